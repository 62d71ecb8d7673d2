"""``SendingFacts`` read from synthesized templates (plain dicts) and the synth-time checklist."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ses_stack.checklist.items import Checklist, ItemId, Status
from ses_stack.checklist.template_reading import records, render, resources
from ses_stack.identity.dmarc import parse_dmarc_tags
from ses_stack.inbox.facts import DomainFacts, SendingFacts
from ses_stack.inbox.requirements import Established
from ses_stack.settings.runtime.txt import txt_text

COMPLAINT_METRIC = "Reputation.ComplaintRate"


def _identities(templates: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    for template in templates:
        for _, resource in resources(template, "AWS::SES::EmailIdentity"):
            props = resource.get("Properties") or {}
            found[render(props.get("EmailIdentity")).rstrip(".").lower()] = props
    return found


def _dmarc_tags(templates: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, str]]:
    found: dict[str, Mapping[str, str]] = {}
    for template in templates:
        for record in records(template):
            if record.type == "TXT" and record.name.startswith("_dmarc."):
                for value in record.values:
                    tags = parse_dmarc_tags(txt_text(value))
                    if tags is not None:
                        found[record.name.removeprefix("_dmarc.")] = tags
    return found


def complaint_levels(template: Mapping[str, Any]) -> tuple[float, float] | None:
    """The lowest and highest alarm thresholds on SES's complaint rate, or None without an alarm."""
    thresholds = sorted(
        float(props["Threshold"])
        for _, alarm in resources(template, "AWS::CloudWatch::Alarm")
        for props in [alarm.get("Properties") or {}]
        if props.get("MetricName") == COMPLAINT_METRIC and isinstance(props.get("Threshold"), int | float)
    )
    return (thresholds[0], thresholds[-1]) if thresholds else None


def template_facts(
    shared_template: Mapping[str, Any], domain_templates: Sequence[Mapping[str, Any]], checklist: Checklist
) -> SendingFacts:
    templates = [shared_template, *(t for t in domain_templates if t is not shared_template)]
    identities, tags = _identities(templates), _dmarc_tags(templates)
    verdicts = {(r.item, r.domain): r.status for r in checklist.results}
    domains = []
    for name, props in identities.items():
        if "@" in name:
            continue
        mail_from = props.get("MailFromAttributes") or {}
        domains.append(
            DomainFacts(
                name=name,
                dkim=verdicts.get((ItemId.DOMAIN_DKIM, name), Status.FAIL),
                spf=verdicts.get((ItemId.SPF, name), Status.FAIL),
                dmarc=verdicts.get((ItemId.DMARC, name), Status.FAIL),
                mail_from=render(mail_from.get("MailFromDomain")).lower() or None,
                falls_back=mail_from.get("BehaviorOnMxFailure") == "USE_DEFAULT_VALUE",
                dmarc_tags=tags.get(name),
            )
        )
    sets = {
        logical_id: (resource.get("Properties") or {}).get("DeliveryOptions") or {}
        for logical_id, resource in resources(shared_template, "AWS::SES::ConfigurationSet")
    }
    pools = [render(options["SendingPoolName"]) for options in sets.values() if options.get("SendingPoolName")]
    return SendingFacts(
        source=(Established.TEMPLATE,),
        domains=tuple(domains),
        tls_policies={name: options.get("TlsPolicy") for name, options in sets.items()},
        unsubscribe=verdicts.get((ItemId.UNSUBSCRIBE, None), Status.FAIL),
        complaint_levels=complaint_levels(shared_template),
        complaint_source=Established.TEMPLATE,
        pool=pools[0] if pools else None,
        ips=None,
    )
