"""What a validated list comes to: the share that would bounce against SES's 5% review rate, and whether it is safe
to send to."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ses_stack.preflight.validate.reader import AddressList
from ses_stack.preflight.validate.runner import Failures, Suppressed
from ses_stack.preflight.validate.verdicts import Insight
from ses_stack.validation import BOUNCE_REVIEW_RATE

DEFAULT_MAX_BOUNCE_SHARE = 0.02
"""Safe to send: under 2% would bounce, the level at which this stack's bounce alarm warns (reputation.bounceRate):
a first send that bounces more than that starts the account's history close to AWS's 5%."""
LISTED = 20


@dataclass(frozen=True)
class ListSummary:
    source: str
    out: str
    addresses: AddressList
    insights: Sequence[Insight]
    resumed: int
    failures: Failures
    max_share: float
    suppressed: Suppressed | None = None

    def count(self, verdict: str) -> int:
        return sum(1 for i in self.insights if i.verdict == verdict)

    def flagged(self, column: str) -> int:
        return sum(1 for i in self.insights if i.confidences.get(column) == "HIGH")

    @property
    def would_bounce(self) -> float:
        return self.count("invalid") / len(self.insights) if self.insights else 0.0

    @property
    def safe(self) -> bool:
        return bool(self.insights) and not self.failures.by_address and self.would_bounce < self.max_share

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "file": self.source,
            "verdictsFile": self.out,
            "addresses": len(self.addresses.addresses),
            "malformed": [{"line": m.line, "text": m.text, "problem": m.problem} for m in self.addresses.malformed],
            "duplicates": self.addresses.duplicates,
            "checked": len(self.insights),
            "resumed": self.resumed,
            "notChecked": [{"email": e, "error": why} for e, why in self.failures.by_address],
            "verdicts": {v: self.count(v) for v in ("valid", "risky", "invalid", "unknown")},
            "flagged": {c: self.flagged(c) for c in ("is_role_address", "is_disposable", "is_random_input")},
            "wouldBounce": round(self.would_bounce, 6),
            "sesBounceReviewRate": BOUNCE_REVIEW_RATE,
            "maxBounceShare": self.max_share,
            "safe": self.safe,
        }
        if self.suppressed is not None:
            data["suppressed"] = {
                "added": self.suppressed.added,
                "already": self.suppressed.already,
                "failed": [{"email": e, "error": why} for e, why in self.suppressed.failures.by_address],
            }
        return data

    def text(self) -> str:
        checked = len(self.insights)

        def share(count: int) -> str:
            return f"{count:,} ({count / checked:.1%})" if checked else f"{count:,}"

        lines = [
            f"validate-list {self.source}: {len(self.addresses.addresses):,} addresses "
            f"({len(self.addresses.malformed):,} malformed lines skipped, {self.addresses.duplicates:,} duplicates "
            "checked once)",
            f"  checked {checked:,} ({checked - self.resumed:,} now, {self.resumed:,} from {self.out})",
            f"  valid {share(self.count('valid'))}, risky {share(self.count('risky'))}, "
            f"invalid {share(self.count('invalid'))}"
            + (f", unknown {self.count('unknown'):,}" if self.count("unknown") else ""),
            f"  flagged with HIGH confidence: role {self.flagged('is_role_address'):,}, disposable "
            f"{self.flagged('is_disposable'):,}, random {self.flagged('is_random_input'):,}",
            f"  would bounce: {self.would_bounce:.1%} (the invalid ones); SES reviews an account at "
            f"{BOUNCE_REVIEW_RATE:.0%}, this run's limit is {self.max_share:.1%}",
        ]
        lines += self._problems()
        if self.suppressed is not None:
            lines.append(f"  suppressed: {self.suppressed.added:,} added to the account suppression list (BOUNCE), "
                         f"{self.suppressed.already:,} there already")  # fmt: skip
        lines.append(self._verdict())
        return "\n".join(lines)

    def _problems(self) -> list[str]:
        lines = []
        for malformed in self.addresses.malformed[:LISTED]:
            lines.append(f"  line {malformed.line}: {malformed.text!r}: {malformed.problem}")
        if len(self.addresses.malformed) > LISTED:
            lines.append(f"  ... and {len(self.addresses.malformed) - LISTED:,} more malformed lines (--output json)")
        failed = [*self.failures.by_address, *(self.suppressed.failures.by_address if self.suppressed else [])]
        for email, why in failed[:LISTED]:
            lines.append(f"  not done: {email}: {why}")
        if self.failures.by_address:
            lines.append(f"  {len(self.failures.by_address):,} addresses not checked: run the same command again "
                         "to check them (the others are not paid for twice)")  # fmt: skip
        return lines

    def _verdict(self) -> str:
        if not self.insights:
            return "  => NOTHING CHECKED"
        if self.safe:
            return f"  => SAFE to send: {self.would_bounce:.1%} would bounce, under {self.max_share:.1%}"
        if self.failures.by_address:
            return "  => NOT SAFE YET: some addresses are not checked"
        return (f"  => NOT SAFE to send: {self.would_bounce:.1%} would bounce; remove the invalid addresses (or "
                "--suppress them) and send to the risky ones last")  # fmt: skip
