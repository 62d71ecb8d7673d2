"""The provider report as text, grouped per provider (the JSON form is ``InboxReport.to_json``)."""

from __future__ import annotations

from itertools import groupby

from ses_stack.inbox.requirements import REQUIREMENTS, SOURCES, InboxStatus
from ses_stack.inbox.rules import InboxReport

_LABELS = {
    InboxStatus.PASS: "PASS",
    InboxStatus.FAIL: "FAIL",
    InboxStatus.WARN: "WARN",
    InboxStatus.UNKNOWN: "????",
    InboxStatus.NOT_APPLICABLE: "N/A",
}


def format_inbox(report: InboxReport) -> str:
    """One block per provider: its source, then a line per requirement with the senders it applies to and how the
    verdict was established, the fix (or how to check) indented below anything that is not a pass."""
    lines = [
        "Mailbox providers (bulk: about 5,000 messages a day or more to the provider; marketing: bulk and subscribed "
        "mail; ????: this tool cannot tell, the line says how to check)"
    ]
    for provider, group in groupby(report.results, key=lambda r: r.provider):
        lines.append(f"  {provider.value} ({SOURCES[provider]})")
        for result in group:
            judgement = result.judgement
            how = ", ".join(e.value for e in judgement.established)
            title = REQUIREMENTS[result.requirement].title
            lines.append(
                f"    {_LABELS[judgement.status]:<4}  {result.requirement:<21} {title} ({result.scope.value}) "
                f"[{how}]: {judgement.evidence}"
            )
            if judgement.fix and judgement.status is not InboxStatus.PASS:
                lines.append(f"{'':33}{'how' if judgement.status is InboxStatus.UNKNOWN else 'fix'}: {judgement.fix}")
    counts = {s: sum(1 for r in report.results if r.judgement.status is s) for s in InboxStatus}
    summary = ", ".join(f"{counts[s]} {s.value}" for s in InboxStatus if counts[s])
    lines.append(f"  => {'INBOX-READY' if report.ready else 'NOT INBOX-READY'} ({summary})")
    return "\n".join(lines)
