"""``ses-preflight plan``: before a deploy, what each Region's stack would create against what the account and its
hosted zones already hold. Per resource one state: ``new``, ``managed`` (already this stack's), ``adopt`` (exists
outside any stack, taken over as it is) or ``conflict`` (differs, or belongs to another stack: the deploy would
fail or overwrite), with the evidence and, for a conflict, the fix."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import dns.resolver

from ses_stack.config import DomainConfig, SesStackConfig, dkim_origin_region, plan_stacks
from ses_stack.preflight.check.common import if_exists
from ses_stack.preflight.plan.records import (
    Planned,
    by_name,
    expected_records,
    plan_manual_record,
    plan_route53_record,
    zone_records,
)
from ses_stack.preflight.plan.report import IMPORT_FLAG, RegionPlan
from ses_stack.preflight.plan.stack import StackResources, plan_stack_state


@dataclass(frozen=True)
class PlanClients:
    sesv2: Any
    route53: Any
    cloudformation: Any


def _named(stacks: StackResources, kind: str, name: str, found: Mapping[str, Any] | None, about: str) -> Planned:
    """A named SES resource: absent, this stack's, another stack's, or adoptable with auto-import."""
    if found is None:
        return Planned(kind, name, "new", f"no {about} {name} here yet")
    owner = stacks.owner(kind, name)
    if owner == stacks.name:
        return Planned(kind, name, "managed", f"{about} of {stacks.name}")
    if owner in stacks.app_stacks:
        return Planned(
            kind,
            name,
            "conflict",
            f"{about} of {owner}, another stack of this app: it moves to {stacks.name} (domainStacks, "
            "domainStacksBase or a domainStack pin changed)",
            f"deploy {owner} first, which lets it go (kept with removalPolicy retain; deleted with destroy), then "
            f"deploy {stacks.name} with {IMPORT_FLAG}; or undo the change that moves it (raising domainStacks with "
            "domainStacksBase set to the number deployed moves only the domains the new stacks take)",
            moves_from=owner,
        )
    if owner is not None:
        return Planned(
            kind,
            name,
            "conflict",
            f"{about} of another stack, {owner}",
            f"remove it from {owner} first (DeletionPolicy Retain, then delete it from that template), then deploy "
            f"with {IMPORT_FLAG}",
        )
    return Planned(kind, name, "adopt", f"exists outside any stack: `cdk deploy {IMPORT_FLAG}` imports it as it is")


def _settings_commands(
    domain: DomainConfig, identity: Mapping[str, Any], region: str, config_set: str | None
) -> list[str]:
    """The AWS CLI commands that give an imported identity the stack's settings: CloudFormation imports a resource
    as it is and applies the template only when it next updates it."""
    name, commands = domain.name, []
    mail_from = identity.get("MailFromAttributes") or {}
    if (mail_from.get("MailFromDomain"), mail_from.get("BehaviorOnMxFailure")) != (
        domain.mail_from_domain,
        domain.behavior_on_mx_failure.value,
    ):
        commands.append(
            f"aws sesv2 put-email-identity-mail-from-attributes --region {region} --email-identity {name} "
            f"--mail-from-domain {domain.mail_from_domain} "
            f"--behavior-on-mx-failure {domain.behavior_on_mx_failure.value}"
        )
    if (identity.get("DkimAttributes") or {}).get("NextSigningKeyLength") != "RSA_2048_BIT":
        commands.append(
            f"aws sesv2 put-email-identity-dkim-signing-attributes --region {region} --email-identity {name} "
            "--signing-attributes-origin AWS_SES --signing-attributes NextSigningKeyLength=RSA_2048_BIT"
        )
    wanted_set = config_set or "<the stack's ConfigurationSetName output>"
    if identity.get("ConfigurationSetName") != config_set or config_set is None:
        commands.append(
            f"aws sesv2 put-email-identity-configuration-set-attributes --region {region} --email-identity {name} "
            f"--configuration-set-name {wanted_set}"
        )
    return commands


def _plan_identity(
    stacks: StackResources,
    domain: DomainConfig,
    identity: Mapping[str, Any] | None,
    region: str,
    config_set: str | None,
) -> Planned:
    planned = _named(stacks, "AWS::SES::EmailIdentity", domain.name, identity, "identity")
    if identity is None or planned.state != "adopt":
        return planned
    dkim = identity.get("DkimAttributes") or {}
    if dkim.get("SigningAttributesOrigin", "AWS_SES") == "EXTERNAL":
        return Planned(
            planned.type,
            domain.name,
            "conflict",
            "exists outside any stack, signing with your own key (BYODKIM); the stack manages Easy DKIM, so adopting "
            "it would replace your key and its DNS record",
            "keep managing it yourself (remove the domain from the config), or switch it to Easy DKIM first",
        )
    verified = "verified" if identity.get("VerifiedForSendingStatus") else "not verified yet"
    commands = _settings_commands(domain, identity, region, config_set)
    after = (
        "; CloudFormation imports it as it is: after the deploy, give it the stack's settings (fix)"
        if commands
        else "; its settings already are the stack's"
    )
    return Planned(
        planned.type,
        domain.name,
        "adopt",
        f"{planned.evidence}, with its Easy DKIM keys ({verified}, DKIM {dkim.get('Status', 'unknown')}){after}",
        " && ".join(commands),
    )


def _plan_contact_list(stacks: StackResources, ses: Any, wanted: str) -> Planned:
    kind = "AWS::SES::ContactList"
    names = [str(c.get("ContactListName")) for c in ses.list_contact_lists().get("ContactLists", [])]
    if wanted in names or not names:
        return _named(stacks, kind, wanted, {} if wanted in names else None, "contact list")
    other = names[0]
    if stacks.owner(kind, other) == stacks.name:
        return Planned(
            kind,
            wanted,
            "conflict",
            f"renames {other}, this stack's list: a rename is a replacement, and SES allows one list per Region, "
            "so the update would fail and roll back",
            f"keep contactList.name {other} (its contacts and their opt-outs live in it)",
        )
    return Planned(
        kind,
        wanted,
        "conflict",
        f"SES allows one contact list per account and Region, and {other} exists",
        f"set contactList.name to {other} to adopt it with its contacts, or delete it (aws sesv2 delete-contact-list "
        f"--contact-list-name {other}: its contacts and opt-outs are lost)",
    )


def _plan_account_suppression(stacks: StackResources, config: SesStackConfig, ses: Any) -> Planned | None:
    kind, name = "Custom::SesAccountSuppression", "account-level suppression"
    ours = next((pid for (t, pid), _ in stacks.managed.items() if t == kind), None)
    prior = ours.partition("prior=")[2].replace("+", ",").upper() if ours else ""
    prior = "none" if prior == "NONE" else prior
    wanted = ",".join(r.value for r in config.account_suppression.reasons)
    if not config.account_suppression.manage:
        if ours is None:
            return None
        return Planned(kind, name, "managed", f"accountSuppression.manage is false: the deploy removes the stack's "
                       f"setting and restores the reasons in force before its first deploy ({prior})")  # fmt: skip
    if ours is not None:
        return Planned(kind, name, "managed", f"the stack sets {wanted}; removing it (stack deletion, or "
                       f"accountSuppression.manage false) restores {prior}")  # fmt: skip
    now = ",".join((ses.get_account().get("SuppressionAttributes") or {}).get("SuppressedReasons") or []) or "none"
    return Planned(kind, name, "new", f"now {now}; the stack sets {wanted} and restores {now} when it goes")


def _plan_domain(
    domain: DomainConfig,
    *,
    index: int,
    region: str,
    config: SesStackConfig,
    stacks: StackResources,
    zones: dict[str, dict[str, list[dict[str, Any]]]],
    clients: PlanClients,
    resolver: dns.resolver.Resolver,
) -> Iterator[Planned]:
    """The identity and each record of one domain, against the stack that holds it (``zones`` caches zones)."""
    identity = if_exists(clients.sesv2.get_email_identity, EmailIdentity=domain.name)
    yield _plan_identity(stacks, domain, identity, region, config.configuration_set.name)
    replica = dkim_origin_region(config, region) is not None
    for record in expected_records(domain, index, region, identity, replica=replica):
        if domain.hosted_zone_id is None:
            yield plan_manual_record(record, resolver)
            continue
        if domain.hosted_zone_id not in zones:
            zones[domain.hosted_zone_id] = by_name(zone_records(clients.route53, domain.hosted_zone_id))
        at_name = zones[domain.hosted_zone_id].get(record.name.lower(), [])
        yield plan_route53_record(
            record,
            domain.hosted_zone_id,
            at_name,
            holders=functools.partial(stacks.holders, record.name),
            stack=stacks.name,
            app_stacks=stacks.app_stacks,
        )


def plan_region(
    config: SesStackConfig, region: str, clients: PlanClients, resolver: dns.resolver.Resolver
) -> RegionPlan:
    """Everything the Region's stacks would create, against the account and its zones: each domain against the
    stack that holds it, the shared resources against the shared (or only) stack."""
    planned: list[Planned] = []
    zones: dict[str, dict[str, list[dict[str, Any]]]] = {}
    shared: StackResources | None = None
    index_of = {domain.name: index for index, domain in enumerate(config.domains)}
    regional = [p for p in plan_stacks(config) if p.region == region]
    app_stacks = frozenset(p.stack_name for p in regional)
    for stack_plan in regional:
        stacks = StackResources(clients.cloudformation, stack_plan.stack_name, app_stacks=app_stacks)
        stacks.load()
        shared = shared if shared is not None else stacks  # the Region's first stack is the shared one
        planned.append(plan_stack_state(stacks))
        for domain in stack_plan.domains:
            planned.extend(
                _plan_domain(
                    domain,
                    index=index_of[domain.name],
                    region=region,
                    config=config,
                    stacks=stacks,
                    zones=zones,
                    clients=clients,
                    resolver=resolver,
                )
            )
    assert shared is not None  # every Region has its shared (or only) stack
    stacks = shared
    if config.configuration_set.name:
        found = if_exists(clients.sesv2.get_configuration_set, ConfigurationSetName=config.configuration_set.name)
        planned.append(_named(stacks, "AWS::SES::ConfigurationSet", config.configuration_set.name, found,
                              "configuration set"))  # fmt: skip
    if config.contact_list is not None:
        planned.append(_plan_contact_list(stacks, clients.sesv2, config.contact_list.name))
    suppression = _plan_account_suppression(stacks, config, clients.sesv2)
    if suppression is not None:
        planned.append(suppression)
    domain_stacks = tuple(p.stack_name for p in regional if not p.holds_shared)
    return RegionPlan(region, shared.name, tuple(planned), domain_stacks)
