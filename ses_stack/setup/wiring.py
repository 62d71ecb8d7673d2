"""The domain wiring the one-call setup and the domain stacks share: a ``SesDomain`` per configured domain (its
logical ids depending on its name alone), the tenants beside their identities, and sending grants."""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import CfnOutput, RemovalPolicy
from aws_cdk import aws_iam as iam
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from constructs import Construct

from ses_stack.config import DomainConfig, MailFromMxFailure, RemovalChoice, TenantConfig
from ses_stack.identity.domain import SesDomain
from ses_stack.sending.tenant import SesTenant
from ses_stack.validation import is_within

_MX_FAILURE = {
    MailFromMxFailure.REJECT_MESSAGE: ses.MailFromBehaviorOnMxFailure.REJECT_MESSAGE,
    MailFromMxFailure.USE_DEFAULT_VALUE: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
}


def removal_policy_of(choice: RemovalChoice | RemovalPolicy, owner: str = "SesStack") -> RemovalPolicy:
    """aws-cdk-lib's ``RemovalPolicy`` (RETAIN or DESTROY) for the config's choice, or as given."""
    if choice in (RemovalPolicy.RETAIN, RemovalPolicy.DESTROY):
        return choice
    if isinstance(choice, RemovalChoice):
        return RemovalPolicy.DESTROY if choice is RemovalChoice.DESTROY else RemovalPolicy.RETAIN
    raise TypeError(f"{owner} removal_policy: must be RemovalPolicy.RETAIN or DESTROY (or the config's RemovalChoice); "
                    f"got {choice!r}")  # fmt: skip


def add_domains(
    stack: Construct,
    domains: Sequence[DomainConfig],
    *,
    configuration_set: ses.IConfigurationSet,
    removal_policy: RemovalPolicy,
    dkim_origin_region: str | None = None,
) -> list[SesDomain]:
    """A ``SesDomain`` per domain, each a direct child of ``stack`` (a stack, or a setup with the id ``Default``)
    with the domain name as its id: a domain's
    logical ids depend on its name alone, whichever stack holds it and whatever other domains there are.

    Domains whose DNS is not in Route53 get one stack output per record to publish (``Dkim1Record``...
    ``MailFromMxRecord``, ``MailFromSpfRecord``, ``DmarcRecord`` under the domain), valued ``NAME TYPE VALUE``.
    """
    added = []
    for settings in domains:
        zone = (
            route53.PublicHostedZone.from_public_hosted_zone_attributes(
                stack, f"{settings.name}-Zone", hosted_zone_id=settings.hosted_zone_id, zone_name=settings.name
            )
            if settings.hosted_zone_id
            else None
        )
        domain = SesDomain(
            stack,
            settings.name,
            domain_name=settings.name,
            hosted_zone=zone,
            mail_from_subdomain=settings.mail_from_subdomain,
            behavior_on_mx_failure=_MX_FAILURE[settings.behavior_on_mx_failure],
            dmarc=settings.dmarc.to_dmarc(),
            publish_dmarc=settings.dmarc.publish,
            configuration_set=configuration_set,
            removal_policy=removal_policy,
            wait_for_verification=settings.wait_for_verification,
            dkim_origin_region=dkim_origin_region,
            dmarc_report_senders=settings.dmarc.accept_reports_for,
        )
        if zone is None:
            for record in domain.dns_records:
                CfnOutput(
                    domain,
                    record.purpose.title().replace("_", "") + "Record",
                    description=f"{record.purpose} record to publish for {domain.domain_name}",
                    value=f"{record.name} {record.type} {record.value}",
                )
        added.append(domain)
    return added


def add_tenants(
    stack: Construct,
    tenants: Sequence[TenantConfig],
    domains: Sequence[SesDomain],
    *,
    configuration_set: ses.IConfigurationSet,
    removal_policy: RemovalPolicy,
) -> list[SesTenant]:
    """A ``SesTenant`` per tenant, beside its identities (``domains`` must hold them), associated with them and
    with ``configuration_set``; ids ``Tenant-<name>``, so a tenant's logical id depends on its name alone."""
    by_name = {domain.domain_name: domain for domain in domains}
    return [
        SesTenant(
            stack,
            f"Tenant-{tenant.name}",
            tenant_name=tenant.name,
            identities=[by_name[name].identity for name in tenant.domains],
            configuration_sets=[configuration_set],
            reputation_policy=tenant.reputation_policy,
            suppression_scope=tenant.suppression.scope,
            suppressed_reasons=[reason.value for reason in tenant.suppression.reasons],
            removal_policy=removal_policy,
        )
        for tenant in tenants
    ]


def check_tenants(owner: str, tenants: Sequence[TenantConfig], domains: Sequence[DomainConfig]) -> None:
    """Before anything is created: every tenant's domains must be among the stack's ``domains``."""
    names = {domain.name for domain in domains}
    for tenant in tenants:
        missing = [name for name in tenant.domains if name not in names]
        if missing:
            raise ValueError(
                f"{owner} tenants: tenant {tenant.name!r} needs its domains in this stack; got {missing!r} besides "
                f"{sorted(names)!r}"
            )


def grant_send_as(
    owner: str, domains: Sequence[SesDomain], grantee: iam.IGrantable, from_addresses: Sequence[str]
) -> iam.Grant:
    """Allow ``grantee`` to send as each of ``domains``, each only for its own ``from_addresses`` (when given);
    an address at none of them is an error naming ``owner``. One grant for all of them."""
    stray = [a for a in from_addresses if not any(_at_domain(a, d.domain_name) for d in domains)]
    if stray:
        raise ValueError(
            f"{owner} grant_send from_addresses: each must be at one of the stack's domains; got {stray!r}"
        )
    grant = iam.Grant.drop(grantee, "send as no domain")
    for domain in domains:
        addresses = [a for a in from_addresses if _at_domain(a, domain.domain_name)]
        if from_addresses and not addresses:
            continue  # restricted to other domains' addresses: no right to send as this one
        grant = grant.combine(domain.grant_send(grantee, from_addresses=addresses))
    return grant


def _at_domain(address: str, domain: str) -> bool:
    return is_within(address.rpartition("@")[2].lower(), domain)
