"""Evaluate the checklist against a synthesized CloudFormation template (a plain dict; no aws_cdk import).

What a template can prove: which resources will exist and how they are wired. DNS records created in Route53
pass; records that only appear as stack outputs (DNS managed elsewhere) are a WARN: a human must publish them,
and ``ses-preflight check`` proves them live. The items are evaluated in ``template_domain`` and
``template_account``; ``template_reading`` reads the template.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from ses_stack.checklist.items import Checklist, ItemId, ItemResult, Status
from ses_stack.checklist.template_account import pipeline_result, suppression_result, unsubscribe_result
from ses_stack.checklist.template_domain import (
    DMARC_MANAGED_ELSEWHERE,
    check_dkim,
    check_dmarc,
    check_spf,
    report_authorizations,
)
from ses_stack.checklist.template_reading import records, render, resources
from ses_stack.checklist.tenants import tenant_verdict

__all__ = [
    "DMARC_MANAGED_ELSEWHERE",
    "account_results",
    "domain_results",
    "evaluate_region",
    "evaluate_template",
    "render",
]


def evaluate_template(
    template: Mapping[str, Any],
    *,
    region: str | None = None,
    stack: str | None = None,
    transactional_only: bool = False,
    marketing: bool = False,
) -> Checklist:
    """Every checklist item's verdict for one synthesized template.

    :param region: The stack's Region, to check the MAIL FROM MX host (a ``${AWS::Region}`` host is accepted too).
    :param transactional_only: The account sends transactional mail only (unsubscribe is then not applicable).
    :param marketing: The account sends marketing mail (``productionAccess.mailType``): Auto Validation is then
        recommended, and its absence a warning.
    """
    return evaluate_region(
        template, [template], region=region, stack=stack, transactional_only=transactional_only, marketing=marketing
    )


def evaluate_region(
    shared_template: Mapping[str, Any],
    domain_templates: Sequence[Mapping[str, Any]],
    *,
    region: str | None = None,
    stack: str | None = None,
    transactional_only: bool = False,
    marketing: bool = False,
) -> Checklist:
    """Every checklist item's verdict for a Region deployed as several stacks: the account-wide items (feedback,
    suppression, unsubscribe) once, from the shared stack, and each domain's items from the stack holding it."""
    authorizations = report_authorizations(r for t in (shared_template, *domain_templates) for r in records(t))
    results = [result for template in domain_templates for result in domain_results(template, region, authorizations)]
    if not results:
        for item in (ItemId.DOMAIN_DKIM, ItemId.SPF, ItemId.DMARC):
            results.append(
                ItemResult(item, Status.FAIL, "no domain identity in the stack", fix="add a SesDomain for your domain")
            )
    results.extend(account_results(shared_template, transactional_only, marketing))
    results.extend(result for template in domain_templates for result in tenant_results(template))
    order = {item: index for index, item in enumerate(ItemId)}
    results.sort(key=lambda r: order[r.item])
    return Checklist(region=region, stack=stack, results=tuple(results))


def domain_results(
    template: Mapping[str, Any], region: str | None, authorizations: Collection[str] | None = None
) -> list[ItemResult]:
    """The DKIM, SPF and DMARC verdicts of each domain identity in ``template`` (none without identities).

    :param authorizations: DMARC report authorization records published by the Region's stacks (default: those of
        ``template``; see ``report_authorizations``).
    """
    found_records = records(template)
    if authorizations is None:
        authorizations = report_authorizations(found_records)
    replicas = {
        render((r.get("Properties") or {}).get("EmailIdentity")).lower(): render(
            (r.get("Properties") or {}).get("OriginRegion")
        )
        for _, r in resources(template, "Custom::SesDkimReplica")
    }
    results: list[ItemResult] = []
    for logical_id, resource in resources(template, "AWS::SES::EmailIdentity"):
        props = resource.get("Properties") or {}
        if "@" in render(props.get("EmailIdentity", "")):
            continue
        domain = render(props.get("EmailIdentity")).rstrip(".").lower()
        replica_of = replicas.get(domain)
        results.append(check_dkim(logical_id, props, domain, found_records, replica_of=replica_of, region=region))
        results.append(check_spf(props, domain, found_records, region))
        results.append(check_dmarc(props, resource.get("Metadata") or {}, domain, found_records, authorizations))
    return results


def tenant_results(template: Mapping[str, Any]) -> list[ItemResult]:
    """Each tenant's suppression list and reputation policy (tenants live beside their identities)."""
    found = []
    for _, resource in resources(template, "AWS::SES::Tenant"):
        props = resource.get("Properties") or {}
        suppression = props.get("SuppressionAttributes") or {}
        policy_arn = render(((props.get("ReputationEntity") or {}).get("Policy") or {}).get("ReputationEntityPolicy"))
        found.append(
            tenant_verdict(
                render(props.get("TenantName")),
                scope=suppression.get("SuppressionScope"),
                reasons=[str(r) for r in suppression.get("SuppressedReasons") or []],
                policy=policy_arn.rpartition("reputation-policy/")[2] if "reputation-policy/" in policy_arn else None,
            )
        )
    return found


def account_results(template: Mapping[str, Any], transactional_only: bool, marketing: bool = False) -> list[ItemResult]:
    """The account-wide verdicts: bounce and complaint handling, suppression and unsubscribe."""
    return [
        pipeline_result(ItemId.BOUNCE, template),
        pipeline_result(ItemId.COMPLAINT, template),
        suppression_result(template, marketing),
        unsubscribe_result(template, transactional_only),
    ]
