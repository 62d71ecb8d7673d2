"""Rules both evaluators apply, whatever the evidence comes from (a template or live DNS)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ses_stack.checklist.items import Status
from ses_stack.identity.dmarc import parse_dmarc_tags
from ses_stack.identity.dmarc_reports import authorization_name, external_report_domains

TRANSACTIONAL_ONLY_EVIDENCE = "declared transactional mail only: no bulk mail, no unsubscribe needed"


def feedback_host(region: str) -> str:
    """The MAIL FROM MX target of a Region."""
    return f"feedback-smtp.{region}.amazonses.com"


def mail_from_problems(
    mail_from: str, mx_values: Sequence[str], spf_values: Sequence[str], accepted_hosts: Collection[str]
) -> list[str]:
    """What is wrong with a MAIL FROM domain's records: exactly one MX, to the Region's feedback host (the first of
    ``accepted_hosts`` is the one named in messages), and exactly one SPF record including amazonses.com."""
    problems = []
    if len(mx_values) != 1:
        problems.append(f"{len(mx_values)} MX records on {mail_from} (SES needs exactly one)")
    elif mx_values[0].split()[-1].rstrip(".").lower() not in {h.lower() for h in accepted_hosts}:
        problems.append(f"MX {mx_values[0]!r} is not {next(iter(accepted_hosts))} (this Region's feedback host)")
    if len(spf_values) != 1:
        problems.append(f"{len(spf_values)} SPF records on {mail_from} (exactly one is allowed; two is a permerror)")
    elif "include:amazonses.com" not in spf_values[0].lower().split():
        problems.append(f"SPF {spf_values[0]!r} does not include amazonses.com")
    return problems


def unreachable_report_addresses(addresses: Iterable[str], mail_from_domains: Collection[str]) -> list[str]:
    """Report addresses on a MAIL FROM domain: its only MX is SES's feedback host, so reports never arrive."""
    return [a for a in addresses if a.removeprefix("mailto:").rpartition("@")[2].lower() in mail_from_domains]


def validation_threshold(options: Any) -> str | None:
    """The Auto Validation threshold of a ``ValidationOptions``/``ValidationAttributes`` value (template or API),
    or None when it is absent or DISABLED."""
    condition = (options or {}).get("ConditionThreshold") or {} if isinstance(options, dict) else {}
    if str(condition.get("ConditionThresholdEnabled", "")).upper() != "ENABLED":
        return None
    overall = condition.get("OverallConfidenceThreshold") or {}
    return str(overall.get("ConfidenceVerdictThreshold") or "MANAGED")


AUTO_VALIDATION_FIX = (
    "turn on Auto Validation (configurationSet.autoValidation or accountSuppression.autoValidation: MEDIUM, HIGH or "
    "MANAGED) so SES refuses addresses it judges invalid before they bounce"
)


def auto_validation_text(sets: Mapping[str, str | None], account: str | None) -> str:
    """Where Auto Validation is on, for the ``suppression`` evidence."""
    on = [f"configuration set {name} {threshold}" for name, threshold in sets.items() if threshold]
    if account:
        on.append(f"account {account}")
    return f"Auto Validation: {', '.join(on)}" if on else "Auto Validation: off"


def suppression_verdict(
    summary: str, sets: Mapping[str, str | None], account: str | None, *, marketing: bool
) -> Verdict:
    """Both evaluators, once both reasons are suppressed (``summary`` says where): Auto Validation reported beside
    them, and a warning for marketing mail without it anywhere (recommended, not required by AWS)."""
    evidence = f"{summary}; {auto_validation_text(sets, account)}"
    if marketing and not account and not any(sets.values()):
        return Verdict(Status.WARN, evidence + " (recommended for marketing mail)", AUTO_VALIDATION_FIX)
    return Verdict(Status.PASS, evidence)


VALID_DMARC_POLICIES = ("none", "quarantine", "reject")
REMOVED_DMARC_TAGS = ("pct", "rf", "ri")
"""Tags of RFC 7489 that RFC 9989 (DMARCbis) removed: receivers that follow it ignore them."""


@dataclass(frozen=True)
class Verdict:
    """A status with what was seen and what to do, before it is tied to an item and a domain."""

    status: Status
    evidence: str
    fix: str = ""


ReportAuthorized = Callable[[str, str], bool | None]
"""``(domain, destination)`` -> whether ``destination`` publishes the record accepting reports about ``domain``;
None when it cannot be told (at synth, a record outside the app's stacks)."""


def dmarc_verdict(
    name: str, record: str, mail_from_domains: Collection[str], report_authorized: ReportAuthorized | None = None
) -> Verdict:
    """The DMARC rule both evaluators apply to the one record found at ``name``.

    Fail: no valid policy, or aggregate reports sent to a MAIL FROM domain (its only MX is SES's feedback host).
    Warn: no ``rua`` (you would never see who sends as you); a tag RFC 9989 removed (``pct``, except the ``t=y;
    pct=0`` pair that reads as test mode to both kinds of receivers); an RFC 9989 tag with a value receivers ignore,
    or ``psd=y`` on a sending domain; report addresses at another organizational domain that does not publish its
    authorization record (``report_authorized``). ``p=none`` passes: it is what Gmail and Yahoo require of bulk
    senders, and the place to start.
    """
    tags = parse_dmarc_tags(record)
    if tags is None or tags.get("p", "").lower() not in VALID_DMARC_POLICIES:
        return Verdict(
            Status.FAIL,
            f"{name} {record!r} has no valid policy (p=none, quarantine or reject)",
            "start the record with 'v=DMARC1; p=none' (or quarantine/reject)",
        )
    reports = [a.strip().removeprefix("mailto:").lower() for a in tags.get("rua", "").split(",") if a.strip()]
    dead = unreachable_report_addresses(reports, mail_from_domains)
    summary = f"{name} {record!r}"
    if dead:
        return Verdict(
            Status.FAIL,
            f"{summary} sends reports to {', '.join(dead)}, on a MAIL FROM domain whose MX is SES's feedback host",
            "send rua reports to a mailbox that receives mail",
        )
    warnings, fixes = _rfc9989_warnings(tags)
    domain = name.removeprefix("_dmarc.")
    for destination in external_report_domains(domain, [*reports, *tags.get("ruf", "").split(",")]):
        authorized = report_authorized(domain, destination) if report_authorized is not None else None
        if authorized:
            continue
        record_name = authorization_name(domain, destination)
        seen = "does not publish" if authorized is False else "must publish (outside this app: check it live)"
        warnings.append(f'{destination} {seen} {record_name} TXT "v=DMARC1", so receivers send it no reports')
        fixes.append(f'publish {record_name} TXT "v=DMARC1" in {destination}\'s zone (or send reports in-house)')
    if not reports:
        warnings.append("asks for no aggregate reports")
        fixes.append("add rua addresses so you see who sends as your domain (Yahoo strongly recommends rua)")
    if warnings:
        return Verdict(Status.WARN, f"{summary} {'; '.join(warnings)}", "; ".join(fixes))
    test_mode = "; test mode (t=y): receivers apply the next less strict policy" if tags.get("t") == "y" else ""
    return Verdict(Status.PASS, f"{summary}; reports to {', '.join(reports)}{test_mode}")


def _rfc9989_warnings(tags: Mapping[str, str]) -> tuple[list[str], list[str]]:
    warnings, fixes = [], []
    removed = [tag for tag in REMOVED_DMARC_TAGS if tag in tags]
    if "pct" in removed and tags.get("t") == "y" and tags["pct"] == "0":
        removed.remove("pct")  # the transition pair: RFC 7489 receivers read pct=0 as RFC 9989 ones read t=y
    if removed:
        warnings.append(
            f"{', '.join(removed)} {'was' if len(removed) == 1 else 'were'} removed by RFC 9989 (DMARCbis): receivers "
            "that follow it ignore it and apply p= to all failing mail"
        )
        fixes.append(f"remove {', '.join(removed)} (to try a policy without enforcing it, use test mode: t=y)")
    for tag, allowed in (("t", ("y", "n")), ("np", VALID_DMARC_POLICIES), ("psd", ("y", "n", "u"))):
        if tag in tags and tags[tag].lower() not in allowed:
            warnings.append(f"{tag}={tags[tag]} is not one of {', '.join(allowed)}, so receivers ignore it")
            fixes.append(f"set {tag} to one of {', '.join(allowed)}")
    if tags.get("psd", "").lower() == "y":
        warnings.append("psd=y declares a public suffix domain (a registry), not a sending domain")
        fixes.append("remove psd=y (psd=n marks an organizational domain)")
    return warnings, fixes
