"""Rules of the DMARC settings that span several settings or domains (the tags themselves are checked by the
model): test mode against pct and the policies, and the report authorizations a domain publishes."""

from __future__ import annotations

from collections.abc import Iterator

from ses_stack.config.domains import MAX_REPORT_SENDERS, DomainConfig
from ses_stack.config.fields import repeated
from ses_stack.config.model import SesStackConfig
from ses_stack.config.plan import region_domains
from ses_stack.identity.dmarc import DmarcPolicy


def report_sender_problems(config: SesStackConfig) -> Iterator[tuple[str, str]]:
    """A domain may publish at most ``MAX_REPORT_SENDERS`` report authorizations, counting the configured domains
    that report to it."""
    primary = {d.name: d for d in region_domains(config, config.regions[0])}
    for index, domain in enumerate(config.domains):
        senders = primary[domain.name].dmarc.accept_reports_for
        if len(senders) > MAX_REPORT_SENDERS:
            yield (
                f"domains[{index}].dmarc",
                f"{domain.name} would publish {len(senders)} DMARC report authorizations (at most "
                f"{MAX_REPORT_SENDERS}: {len(senders) - len(domain.dmarc.accept_reports_for)} configured domains send "
                "it their reports); publish *._report._dmarc." + domain.name + ' TXT "v=DMARC1" yourself and set '
                "authorizeSenders to false, or send their reports to their own organizational domains",
            )


def dmarc_mode_problems(index: int, domain: DomainConfig) -> Iterator[tuple[str, str]]:
    dmarc, path = domain.dmarc, f"domains[{index}].dmarc"
    if dmarc.test_mode and dmarc.pct is not None:
        yield (f"{path}.testMode", f"replaces pct (RFC 9989 removed pct): set one of them; got pct {dmarc.pct}")
    elif dmarc.test_mode and all(
        p in (None, DmarcPolicy.NONE)
        for p in (dmarc.policy, dmarc.subdomain_policy, dmarc.nonexistent_subdomain_policy)
    ):
        yield (f"{path}.testMode", 'lowers each policy one step, so it needs one stricter than "none"; got "none"')
    if dmarc.accept_reports_for and not dmarc.authorize_senders:
        yield (f"{path}.acceptReportsFor", "needs authorizeSenders: true (false publishes no authorization)")
    if domain.name in dmarc.accept_reports_for:
        yield (f"{path}.acceptReportsFor", f'lists the domain itself ("{domain.name}"): its own reports need no record')
    yield from repeated(f"{path}.acceptReportsFor", dmarc.accept_reports_for, "domain")
