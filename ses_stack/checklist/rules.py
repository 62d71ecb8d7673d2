"""Rules both evaluators apply, whatever the evidence comes from (a template or live DNS)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

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
