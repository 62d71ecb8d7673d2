"""The live evaluator: every checklist item, proved against an account (SESv2, SNS) and public DNS.

Shares the item ids, verdicts and JSON shape with the template evaluator (``ses_stack.checklist``); only the
evidence differs. Clients are passed in, so tests drive it with botocore's Stubber and a DNS server on loopback.
The items are checked in ``live_domain`` and ``live_account``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from typing import Any, TypeVar

import dns.resolver

from ses_stack.checklist.items import Checklist, ItemId, ItemResult
from ses_stack.config import SesStackConfig, dkim_origin_region, region_domains
from ses_stack.config.domains import DomainConfig
from ses_stack.config.operations import marketing_mail
from ses_stack.inbox import Provider
from ses_stack.preflight.check.account import check_pipeline, check_suppression, check_unsubscribe
from ses_stack.preflight.check.common import Clients, if_exists
from ses_stack.preflight.check.domain import check_dkim, check_dmarc, check_spf
from ses_stack.preflight.check.inbox import apply_advice, judge_providers, open_recommendations
from ses_stack.preflight.check.tenants import check_tenant
from ses_stack.preflight.defaults import DEFAULT_CONCURRENCY
from ses_stack.settings.runtime.dkim_replica import signing_origin

__all__ = ["Clients", "evaluate_region"]

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")


def _identity(ses: Any, domain: str) -> Mapping[str, Any] | None:
    return if_exists(ses.get_email_identity, EmailIdentity=domain)


# Domains are checked on threads: each waits mostly on DNS and SES round trips, which threads overlap. SES calls
# are paced by the clients (``pacing.Pacer``), whatever the number of threads.


def evaluate_region(
    config: SesStackConfig,
    region: str,
    clients: Clients,
    resolver: dns.resolver.Resolver,
    *,
    dmarc_reader: Callable[[str], Mapping[str, Any]] | None = None,
    spf_validator: Callable[[str], str | None] | None = None,
    concurrency: int = DEFAULT_CONCURRENCY,
    on_domain_done: Callable[[int, int], None] | None = None,
    providers: Sequence[Provider] = (),
) -> Checklist:
    """Every checklist item for ``region``: per domain (``concurrency`` at once, results in config order), then
    account-wide; with VDM on, its open advice lowers the items it is about. ``providers``: the mailbox providers
    whose requirements are judged too (``Checklist.inbox``). ``on_domain_done(done, total)`` is told as each domain
    finishes (for a progress line)."""
    if dmarc_reader is None or spf_validator is None:
        _forget_checkdmarc_answers()
    read_dmarc = dmarc_reader or _checkdmarc_reader(resolver)
    dmarc_records: dict[str, Mapping[str, Any]] = {}

    def remembered_dmarc(domain: str) -> Mapping[str, Any]:  # kept for the providers' alignment rule
        dmarc_records[domain] = read_dmarc(domain)
        return dmarc_records[domain]

    spf_validator = spf_validator or _checkdmarc_spf_validator(resolver)
    domains = region_domains(config, region)
    # Reports must not go to any MAIL FROM domain of the domain, whatever the Region.
    mail_from_domains = {d.mail_from_domain for r in config.regions for d in region_domains(config, r)}

    origin = dkim_origin_region(config, region)
    expected_origin = signing_origin(origin) if origin is not None else None

    identities: dict[str, Mapping[str, Any] | None] = {}

    def check_domain(settings: DomainConfig) -> tuple[str | None, list[ItemResult]]:
        identity = identities[settings.name] = _identity(clients.sesv2, settings.name)
        reads_origin = expected_origin is not None and clients.origin_sesv2 is not None
        origin_identity = _identity(clients.origin_sesv2, settings.name) if reads_origin else None
        configuration_set = identity.get("ConfigurationSetName") if identity else None
        results = [
            check_dkim(
                settings.name,
                identity,
                resolver,
                expected_origin=expected_origin,
                origin_identity=origin_identity,
                region=region,
            ),
            check_spf(settings, identity, region, resolver, spf_validator),
            check_dmarc(settings, mail_from_domains, remembered_dmarc, resolver),
        ]
        return (str(configuration_set) if configuration_set else None), results

    per_domain = _in_parallel(check_domain, domains, concurrency, on_domain_done)
    sets = list(dict.fromkeys(name for name, _ in per_domain if name))
    if config.configuration_set.name and config.configuration_set.name not in sets:
        sets.append(config.configuration_set.name)
    account = clients.sesv2.get_account()
    results = [
        *(result for _, domain_results in per_domain for result in domain_results),
        check_pipeline(ItemId.BOUNCE, sets, clients),
        check_pipeline(ItemId.COMPLAINT, sets, clients),
    ]
    details = {name: if_exists(clients.sesv2.get_configuration_set, ConfigurationSetName=name) for name in sets}
    results += [
        check_suppression(sets, account, details, marketing_mail(config.production_access)),
        check_unsubscribe(config, clients),
        *_in_parallel(lambda tenant: check_tenant(tenant, region, clients.sesv2), config.tenants, concurrency, None),
    ]
    recommendations = open_recommendations(clients.sesv2, account)
    advice = None
    if recommendations is not None:
        results, advice = apply_advice(results, recommendations)
    order = {item: index for index, item in enumerate(ItemId)}
    results.sort(key=lambda r: order[r.item])
    checklist = Checklist(region=region, results=tuple(results))
    if not providers:
        return checklist
    inbox = judge_providers(
        config,
        providers,
        results,
        identities={d.name: identities.get(d.name) for d in domains},  # config order, not completion order
        dmarc_records=dmarc_records,
        set_details=details,
        advice=advice,
        sesv2=clients.sesv2,
        resolver=resolver,
    )
    return replace(checklist, inbox=inbox)


def _in_parallel(
    work: Callable[[_Item], _Result],
    domains: Sequence[_Item],
    concurrency: int,
    on_done: Callable[[int, int], None] | None,
) -> list[_Result]:
    """``work`` on every domain (or tenant), at most ``concurrency`` at once; results in their order. The first
    error (an ``AwsCallError``, say) is raised once the running ones finish; those not started are cancelled."""
    if concurrency < 1:
        raise ValueError(f"concurrency must be at least 1; got {concurrency}")
    results: list[_Result] = []
    with ThreadPoolExecutor(max_workers=min(concurrency, max(1, len(domains)))) as pool:
        futures = [pool.submit(work, domain) for domain in domains]
        try:
            for done, future in enumerate(as_completed(futures), start=1):
                future.result()
                if on_done is not None:
                    on_done(done, len(futures))
        except BaseException:
            for future in futures:
                future.cancel()
            raise
        results = [future.result() for future in futures]
    return results


def _forget_checkdmarc_answers() -> None:
    """checkdmarc caches DNS answers process-wide, keyed by name only (not by resolver): start each check fresh,
    so records published since the last check, or another --nameserver, are seen."""
    import checkdmarc.utils  # noqa: PLC0415

    checkdmarc.utils.DNS_CACHE.clear()


def _checkdmarc_reader(resolver: dns.resolver.Resolver) -> Callable[[str], Mapping[str, Any]]:
    def read(domain: str) -> Mapping[str, Any]:
        import checkdmarc.dmarc  # noqa: PLC0415 (slow import, only when checking)

        result: Mapping[str, Any] = checkdmarc.dmarc.check_dmarc(domain, resolver=resolver, timeout=resolver.lifetime)
        return result

    return read


def _checkdmarc_spf_validator(resolver: dns.resolver.Resolver) -> Callable[[str], str | None]:
    def validate(name: str) -> str | None:
        import checkdmarc.spf  # noqa: PLC0415

        result = checkdmarc.spf.check_spf(name, resolver=resolver, timeout=resolver.lifetime)
        return None if result.get("valid") else str(result.get("error", "invalid"))

    return validate
