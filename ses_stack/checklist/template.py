"""Evaluate the checklist against a synthesized CloudFormation template (a plain dict; no aws_cdk import).

What a template can prove: which resources will exist and how they are wired. DNS records created in Route53
pass; records that only appear as stack outputs (DNS managed elsewhere) are a WARN: a human must publish them,
and ``ses-preflight check`` proves them live.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ses_stack.checklist.items import Checklist, ItemId, ItemResult, Status
from ses_stack.checklist.rules import (
    TRANSACTIONAL_ONLY_EVIDENCE,
    feedback_host,
    mail_from_problems,
    unreachable_report_addresses,
)
from ses_stack.dmarc import parse_dmarc_tags
from ses_stack.validation import is_within

# Metadata key SesDomain puts on an identity whose _dmarc record is managed outside the stack.
DMARC_MANAGED_ELSEWHERE = "SesStackDmarcManagedElsewhere"

_REGION_TOKEN = "${AWS::Region}"
_DKIM_TOKENS = (1, 2, 3)
_VALID_POLICIES = ("none", "quarantine", "reject")


def render(value: Any) -> str:
    """A template value as text, intrinsic functions shown as ``${Logical.Attr}`` / ``${Ref}`` placeholders."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            return render(argument[0]).join(render(part) for part in argument[1])
        if function == "Fn::GetAtt":
            target = ".".join(argument) if isinstance(argument, list) else str(argument)
            return "${" + target + "}"
        if function == "Ref":
            return "${" + str(argument) + "}"
    return json.dumps(value, sort_keys=True)


def _txt_text(value: str) -> str:
    """The text of a TXT value in presentation form: quoted strings joined, unquoted text kept as is."""
    value = value.strip()
    if not value.startswith('"'):
        return value
    parts: list[str] = []
    inside = False
    current = ""
    for char in value:
        if char == '"':
            if inside:
                parts.append(current)
                current = ""
            inside = not inside
        elif inside:
            current += char
    return "".join(parts)


def _dns_name(value: Any) -> str:
    return render(value).strip().rstrip(".").lower()


@dataclass(frozen=True)
class _Record:
    name: str
    type: str
    values: tuple[str, ...]
    published: bool
    """True for a Route53 record set; False for a record listed in a stack output for manual publishing."""
    source: str


def _records(template: Mapping[str, Any]) -> list[_Record]:
    found: list[_Record] = []
    for logical_id, resource in _resources(template, "AWS::Route53::RecordSet"):
        props = resource.get("Properties", {})
        found.append(
            _Record(
                name=_dns_name(props.get("Name", "")),
                type=str(props.get("Type", "")).upper(),
                values=tuple(render(v) for v in props.get("ResourceRecords", [])),
                published=True,
                source=logical_id,
            )
        )
    for output_id, output in (template.get("Outputs") or {}).items():
        name, _, rest = render(output.get("Value", "")).partition(" ")
        record_type, _, record_value = rest.partition(" ")
        if record_type.upper() in ("CNAME", "MX", "TXT") and record_value:
            found.append(
                _Record(
                    name=name.rstrip(".").lower(),
                    type=record_type.upper(),
                    values=(record_value,),
                    published=False,
                    source=f"output {output_id}",
                )
            )
    return found


def _resources(template: Mapping[str, Any], resource_type: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for logical_id, resource in (template.get("Resources") or {}).items():
        if isinstance(resource, Mapping) and resource.get("Type") == resource_type:
            yield logical_id, resource


def _ref_target(value: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` points at, else None."""
    if isinstance(value, Mapping):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            argument = value["Fn::GetAtt"]
            return str(argument[0] if isinstance(argument, list) else str(argument).split(".")[0])
    return None


def _publication(records: list[_Record], item: ItemId, domain: str, what: str) -> ItemResult:
    if all(r.published for r in records):
        return ItemResult(item, Status.PASS, what, domain=domain)
    sources = ", ".join(r.source for r in records if not r.published)
    return ItemResult(
        item,
        Status.WARN,
        f"{what}; DNS is not in Route53, so the records are only listed ({sources})",
        fix="publish the records from the stack outputs in your DNS, then run `ses-preflight check`",
        domain=domain,
    )


def _check_dkim(logical_id: str, props: Mapping[str, Any], domain: str, records: list[_Record]) -> ItemResult:
    item = ItemId.DOMAIN_DKIM
    signing = props.get("DkimSigningAttributes") or {}
    if signing.get("DomainSigningPrivateKey") is not None:
        return ItemResult(
            item,
            Status.WARN,
            f"identity {domain} uses BYODKIM (your own key), not Easy DKIM",
            fix="use Easy DKIM so SES rotates the 2048-bit key for you",
            domain=domain,
        )
    if (props.get("DkimAttributes") or {}).get("SigningEnabled") is False:
        return ItemResult(
            item,
            Status.FAIL,
            f"DKIM signing is disabled on identity {domain}",
            fix="remove DkimAttributes.SigningEnabled=false",
            domain=domain,
        )
    key_length = signing.get("NextSigningKeyLength")
    if key_length not in (None, "RSA_2048_BIT"):
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} asks for a {key_length} DKIM key",
            fix="use EasyDkimSigningKeyLength.RSA_2048_BIT (Gmail recommends 2048-bit keys)",
            domain=domain,
        )
    dkim_records: list[_Record] = []
    missing: list[str] = []
    for token in _DKIM_TOKENS:
        name = f"${{{logical_id}.DkimDNSTokenName{token}}}".lower()
        value = f"${{{logical_id}.DkimDNSTokenValue{token}}}"
        match = [r for r in records if r.type == "CNAME" and r.name == name and r.values == (value,)]
        if match:
            dkim_records.append(match[0])
        else:
            missing.append(str(token))
    if missing:
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} has no DKIM CNAME for token(s) {', '.join(missing)} "
            "(records must use DkimDNSTokenName/Value attributes)",
            fix="create the three CNAMEs from the identity's DkimDNSTokenName1-3 / DkimDNSTokenValue1-3",
            domain=domain,
        )
    if key_length is None:
        return ItemResult(
            item,
            Status.WARN,
            f"identity {domain} with 3 DKIM CNAMEs, but the key length is left to SES's default",
            fix="set NextSigningKeyLength RSA_2048_BIT explicitly",
            domain=domain,
        )
    return _publication(
        dkim_records, item, domain, f"domain identity {domain}, Easy DKIM RSA_2048_BIT, 3 DKIM CNAMEs from attributes"
    )


def _accepted_hosts(region: str | None) -> list[str]:
    # An environment-agnostic stack names its Region with a token.
    return [feedback_host(region), feedback_host(_REGION_TOKEN)] if region else [feedback_host(_REGION_TOKEN)]


def _check_spf(props: Mapping[str, Any], domain: str, records: list[_Record], region: str | None) -> ItemResult:
    item = ItemId.SPF
    mail_from = str((props.get("MailFromAttributes") or {}).get("MailFromDomain") or "").rstrip(".").lower()
    if not mail_from:
        return ItemResult(
            item,
            Status.FAIL,
            f"identity {domain} has no custom MAIL FROM domain, so SPF passes for amazonses.com and cannot align",
            fix="set a MAIL FROM subdomain (mailFromSubdomain), for example mail." + domain,
            domain=domain,
        )
    if mail_from == domain or not is_within(mail_from, domain):
        return ItemResult(
            item,
            Status.FAIL,
            f"MAIL FROM domain {mail_from} is not a subdomain of {domain}",
            fix=f"use a subdomain of {domain} that neither sends From nor receives mail",
            domain=domain,
        )
    mx = [r for r in records if r.name == mail_from and r.type == "MX"]
    mx_values = [v for r in mx for v in r.values]
    spf = [
        r for r in records if r.name == mail_from and r.type == "TXT" and _txt_text(r.values[0]).startswith("v=spf1")
    ]
    spf_values = [_txt_text(v) for r in spf for v in r.values if _txt_text(v).startswith("v=spf1")]
    problems = mail_from_problems(mail_from, mx_values, spf_values, _accepted_hosts(region))
    if problems:
        return ItemResult(
            item,
            Status.FAIL,
            "; ".join(problems),
            fix=f"publish one MX '10 feedback-smtp.<region>.amazonses.com' and one TXT "
            f"'v=spf1 include:amazonses.com ~all' on {mail_from}",
            domain=domain,
        )
    apex = [r.source for r in records if r.published and r.name == domain and r.type in ("MX", "TXT")]
    if apex:
        return ItemResult(
            item,
            Status.WARN,
            f"MAIL FROM {mail_from} has its MX and SPF, but the stack also writes apex records ({', '.join(apex)}), "
            "which replace every existing value of that name",
            fix="leave apex MX/TXT records to whoever owns the domain's inbound mail and verification records",
            domain=domain,
        )
    behaviour = (props.get("MailFromAttributes") or {}).get("BehaviorOnMxFailure", "USE_DEFAULT_VALUE")
    return _publication(
        [*mx, *spf],
        item,
        domain,
        f"MAIL FROM {mail_from}: one MX to {mx_values[0]}, one SPF {spf_values[0]!r}; on MX failure {behaviour}",
    )


def _check_dmarc(
    props: Mapping[str, Any], metadata: Mapping[str, Any], domain: str, records: list[_Record]
) -> ItemResult:
    item = ItemId.DMARC
    name = f"_dmarc.{domain}"
    found = [r for r in records if r.name == name and r.type == "TXT"]
    if not found:
        if metadata.get(DMARC_MANAGED_ELSEWHERE):
            return ItemResult(
                item,
                Status.WARN,
                f"{name} is managed outside this stack",
                fix="make sure it exists and is valid: `ses-preflight check` verifies it in DNS",
                domain=domain,
            )
        return ItemResult(
            item,
            Status.FAIL,
            f"no TXT record at {name}",
            fix=f"publish a DMARC record at {name}, at least 'v=DMARC1; p=none; rua=mailto:<reports mailbox>'",
            domain=domain,
        )
    values = [_txt_text(v) for r in found for v in r.values]
    dmarc_values = [v for v in values if v.startswith("v=DMARC1")]
    if len(dmarc_values) != 1:
        return ItemResult(
            item,
            Status.FAIL,
            f"{len(dmarc_values)} DMARC records at {name} (receivers ignore DMARC unless there is exactly one)",
            fix=f"publish exactly one 'v=DMARC1; p=...' TXT value at {name}",
            domain=domain,
        )
    tags = parse_dmarc_tags(dmarc_values[0])
    if tags is None or tags.get("p", "").lower() not in _VALID_POLICIES:
        return ItemResult(
            item,
            Status.FAIL,
            f"{name} {dmarc_values[0]!r} has no valid policy (p=none, quarantine or reject)",
            fix="start the record with 'v=DMARC1; p=none' (or quarantine/reject)",
            domain=domain,
        )
    mail_from = str((props.get("MailFromAttributes") or {}).get("MailFromDomain") or "").lower()
    reports = [a.strip().removeprefix("mailto:") for a in tags.get("rua", "").split(",") if a.strip()]
    dead = unreachable_report_addresses(reports, {mail_from} if mail_from else set())
    if dead:
        return ItemResult(
            item,
            Status.FAIL,
            f"{name} sends reports to {', '.join(dead)}, on the MAIL FROM domain whose MX is SES's feedback host",
            fix="send rua reports to a mailbox that receives mail",
            domain=domain,
        )
    summary = f"{name} {dmarc_values[0]!r}"
    if not reports:
        return ItemResult(
            item,
            Status.WARN,
            f"{summary} asks for no aggregate reports",
            fix="add rua addresses so you see who sends as your domain (Yahoo strongly recommends rua)",
            domain=domain,
        )
    return _publication(found, item, domain, summary)


def _pipeline_result(item: ItemId, template: Mapping[str, Any]) -> ItemResult:
    """Whether events of the item's type reach a topic -> queue -> function chain in this template."""
    event_type = item.value
    destinations = [
        (logical_id, (resource.get("Properties") or {}).get("EventDestination") or {})
        for logical_id, resource in _resources(template, "AWS::SES::ConfigurationSetEventDestination")
    ]
    matching = [
        (logical_id, d)
        for logical_id, d in destinations
        if event_type in {str(t).lower() for t in d.get("MatchingEventTypes") or []} and d.get("Enabled") is True
    ]
    fix = f"add an enabled configuration-set event destination for {event_type.upper()} events to an SNS topic "
    fix += "subscribed by a queue whose handler suppresses the addresses"
    if not matching:
        return ItemResult(item, Status.FAIL, f"no enabled event destination for {event_type} events", fix=fix)
    resources = template.get("Resources") or {}
    topics = {
        topic
        for _, d in matching
        for topic in [_ref_target((d.get("SnsDestination") or {}).get("TopicARN"))]
        if topic is not None and (resources.get(topic) or {}).get("Type") == "AWS::SNS::Topic"
    }
    if not topics:
        return ItemResult(
            item,
            Status.FAIL,
            f"the {event_type} event destination does not publish to an SNS topic in the stack",
            fix=fix,
        )
    queues = {
        queue
        for _, subscription in _resources(template, "AWS::SNS::Subscription")
        for props in [subscription.get("Properties") or {}]
        if props.get("Protocol") == "sqs" and _ref_target(props.get("TopicArn")) in topics
        for queue in [_ref_target(props.get("Endpoint"))]
        if queue is not None
    }
    if not queues:
        return ItemResult(item, Status.FAIL, f"the {event_type} topic has no queue subscribed", fix=fix)
    handled = [
        logical_id
        for logical_id, mapping in _resources(template, "AWS::Lambda::EventSourceMapping")
        if _ref_target((mapping.get("Properties") or {}).get("EventSourceArn")) in queues
    ]
    if not handled:
        return ItemResult(item, Status.FAIL, f"no function consumes the {event_type} queue", fix=fix)
    return ItemResult(
        item,
        Status.PASS,
        f"{event_type} events -> topic {', '.join(sorted(topics))} -> queue {', '.join(sorted(queues))}"
        f" -> handler ({', '.join(handled)})",
    )


ACCOUNT_SUPPRESSION_TYPE = "Custom::SesAccountSuppression"
_BOTH_REASONS = frozenset({"BOUNCE", "COMPLAINT"})


def _reasons(values: Any) -> frozenset[str]:
    return frozenset(str(r).upper() for r in values or [])


def _suppression_result(template: Mapping[str, Any]) -> ItemResult:
    item = ItemId.SUPPRESSION
    fix = (
        "suppress BOUNCE and COMPLAINT on the configuration set (SuppressionOptions.SuppressedReasons) and at "
        "account level (SesAccountSuppression)"
    )
    sets = [
        logical_id
        for logical_id, resource in _resources(template, "AWS::SES::ConfigurationSet")
        if _reasons((((resource.get("Properties") or {}).get("SuppressionOptions")) or {}).get("SuppressedReasons"))
        >= _BOTH_REASONS
    ]
    account = [
        logical_id
        for logical_id, resource in _resources(template, ACCOUNT_SUPPRESSION_TYPE)
        if _reasons((resource.get("Properties") or {}).get("SuppressedReasons")) >= _BOTH_REASONS
    ]
    missing = []
    if not sets:
        missing.append("no configuration set suppresses both BOUNCE and COMPLAINT")
    if not account:
        missing.append("account-level suppression of BOUNCE and COMPLAINT is not set by the stack")
    if missing:
        return ItemResult(item, Status.FAIL, "; ".join(missing), fix=fix)
    return ItemResult(
        item,
        Status.PASS,
        f"configuration set {', '.join(sets)} and account level ({', '.join(account)}) suppress BOUNCE and COMPLAINT",
    )


def _unsubscribe_result(template: Mapping[str, Any], transactional_only: bool) -> ItemResult:
    item = ItemId.UNSUBSCRIBE
    lists = [
        (logical_id, (resource.get("Properties") or {}).get("Topics") or [])
        for logical_id, resource in _resources(template, "AWS::SES::ContactList")
    ]
    with_topics = [logical_id for logical_id, topics in lists if topics]
    if with_topics:
        return ItemResult(item, Status.PASS, f"contact list {', '.join(with_topics)} with topics")
    if transactional_only:
        return ItemResult(item, Status.NOT_APPLICABLE, TRANSACTIONAL_ONLY_EVIDENCE)
    return ItemResult(
        item,
        Status.FAIL,
        "no contact list with a topic" if not lists else "contact lists without topics",
        fix="add a contact list with topics and send bulk mail with ListManagementOptions "
        "(or declare the account transactional-only)",
    )


def evaluate_template(
    template: Mapping[str, Any],
    *,
    region: str | None = None,
    stack: str | None = None,
    transactional_only: bool = False,
) -> Checklist:
    """Every checklist item's verdict for one synthesized template.

    :param region: The stack's Region, to check the MAIL FROM MX host (a ``${AWS::Region}`` host is accepted too).
    :param transactional_only: The account sends transactional mail only (unsubscribe is then not applicable).
    """
    records = _records(template)
    results: list[ItemResult] = []
    domains = [
        (logical_id, resource)
        for logical_id, resource in _resources(template, "AWS::SES::EmailIdentity")
        if "@" not in render((resource.get("Properties") or {}).get("EmailIdentity", ""))
    ]
    if not domains:
        for item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC):
            results.append(
                ItemResult(item, Status.FAIL, "no domain identity in the stack", fix="add a SesDomain for your domain")
            )
    for logical_id, resource in domains:
        props = resource.get("Properties") or {}
        domain = render(props.get("EmailIdentity")).rstrip(".").lower()
        results.append(_check_dkim(logical_id, props, domain, records))
        results.append(_check_spf(props, domain, records, region))
        results.append(_check_dmarc(props, resource.get("Metadata") or {}, domain, records))
    results.append(_pipeline_result(ItemId.BOUNCE, template))
    results.append(_pipeline_result(ItemId.COMPLAINT, template))
    results.append(_suppression_result(template))
    results.append(_unsubscribe_result(template, transactional_only))
    order = {item: index for index, item in enumerate(ItemId)}
    results.sort(key=lambda r: order[r.item])
    return Checklist(region=region, stack=stack, results=tuple(results))
