"""The deployable app: config file in, the planned stacks out (`config.plan`), cdk-nag on every stack, checklists
printed.

This is the only place that reads files or the CDK context; the constructs take typed settings.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from ses_stack.app.domain_stack import SesDomainStack
from ses_stack.app.stack import SesStack
from ses_stack.checklist import Checklist, evaluate_region, format_checklist
from ses_stack.checklist.template import domain_results, tenant_results
from ses_stack.checklist.template_domain import report_authorizations
from ses_stack.checklist.template_reading import records
from ses_stack.config import (
    SesStackConfig,
    StackPlan,
    global_endpoint_secondary,
    plan_stacks,
)
from ses_stack.config.operations import marketing_mail
from ses_stack.inbox import InboxReport, Provider, evaluate_providers, format_inbox
from ses_stack.inbox.template import template_facts

MAX_DESCRIPTION = 400  # CloudFormation allows 1,024 bytes; CDK 2.275 checks that at synth
_NAMED_DOMAINS = 3


def stack_description(plan: StackPlan, domain_stacks: int | None = None) -> str:
    """``ses_stack: SES sending setup for eu-west-1 (a.com, b.com, c.com and 19 more)``: bounded whatever the
    number of domains; a domain stack says which of the Region's ``domain_stacks`` it is."""
    names = [domain.name for domain in plan.domains]
    listed = ", ".join(names[:_NAMED_DOMAINS]) or "no domain yet"
    if len(names) > _NAMED_DOMAINS:
        listed += f" and {len(names) - _NAMED_DOMAINS} more"
    if plan.number is not None:
        description = f"ses_stack: SES domains {plan.number} of {domain_stacks} for {plan.region} ({listed})"
    elif domain_stacks is not None:
        description = f"ses_stack: SES sending setup for {plan.region}, shared by its {domain_stacks} domain stacks"
    else:
        description = f"ses_stack: SES sending setup for {plan.region} ({listed})"
    return description if len(description) <= MAX_DESCRIPTION else description[: MAX_DESCRIPTION - 3] + "..."


def build_stacks(app: App, config: SesStackConfig) -> list[SesStack | SesDomainStack]:
    """Add every planned stack to ``app`` (per Region, the shared or only stack first) and the AwsSolutions cdk-nag
    pack."""
    stacks: list[SesStack | SesDomainStack] = []
    shared: SesStack | None = None
    holding: dict[int | None, SesStack | SesDomainStack] = {}  # the primary Region's stack per domain stack number
    for plan in plan_stacks(config):
        env = Environment(account=config.account, region=plan.region)
        description = stack_description(plan, config.domain_stacks)
        if plan.holds_shared:
            shared = SesStack(
                app,
                plan.stack_name,
                domains=plan.domains,
                configuration_set=config.configuration_set,
                feedback=config.feedback,
                account_suppression=config.account_suppression,
                contact_list=config.contact_list,
                reputation=config.reputation,
                operations=config.operations,
                vdm=config.vdm,
                tenants=plan.tenants,
                dkim_origin_region=plan.dkim_origin_region,
                global_endpoint=_endpoint_in(config, plan.region),
                removal_policy=config.removal_policy,
                env=env,
                description=description,
            )
            _after_primary(shared, plan, holding)
            stacks.append(shared)
            continue
        assert shared is not None and shared.stack_name == plan.shared_stack_name
        domain_stack = SesDomainStack(
            app,
            plan.stack_name,
            domains=plan.domains,
            shared_stack=shared,
            tenants=plan.tenants,
            dkim_origin_region=plan.dkim_origin_region,
            removal_policy=config.removal_policy,
            env=env,
            description=description,
        )
        _after_primary(domain_stack, plan, holding)
        stacks.append(domain_stack)
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stacks


def _endpoint_in(config: SesStackConfig, region: str) -> tuple[str, str] | None:
    """``(name, secondary Region)`` for the primary Region's stack when a global endpoint is configured."""
    secondary = global_endpoint_secondary(config)
    if config.global_endpoint is None or secondary is None or region != config.regions[0]:
        return None
    return config.global_endpoint.name, secondary


def _after_primary(
    stack: SesStack | SesDomainStack, plan: StackPlan, holding: dict[int | None, SesStack | SesDomainStack]
) -> None:
    """Remember the primary Region's stacks; make a DEED replica's stack deploy after the primary stack holding the
    same domains (its identities must exist there first)."""
    if plan.dkim_origin_region is None:
        holding.setdefault(plan.number, stack)
    elif plan.domains:
        stack.add_stack_dependency(holding[plan.number], "Deterministic Easy DKIM needs the primary identities")


def synth_checklists(
    app: App,
    stacks: Sequence[SesStack | SesDomainStack],
    *,
    transactional_only: bool = False,
    marketing: bool = False,
    providers: Sequence[Provider] = (),
) -> list[Checklist]:
    """Synthesize ``app`` and evaluate each Region's shared ``SesStack``: its account-wide items once, and each
    domain's items in the stack holding it (the shared stack itself, or its ``SesDomainStack``s).

    Writes ``<stack>.checklist.json`` beside each template: the Region's whole checklist for its shared stack, and
    its own domains' verdicts for each domain stack.
    """
    assembly = app.synth()
    out = Path(assembly.directory)
    checklists = []
    for shared in stacks:
        if not isinstance(shared, SesStack):
            continue
        template = assembly.get_stack_by_name(shared.stack_name).template
        domain_stacks = [s for s in stacks if isinstance(s, SesDomainStack) and s.shared_stack is shared]
        domain_templates = {s.stack_name: assembly.get_stack_by_name(s.stack_name).template for s in domain_stacks}
        region = shared.region
        checklist = evaluate_region(
            template,
            [template, *domain_templates.values()],
            region=region,
            stack=shared.stack_name,
            transactional_only=transactional_only,
            marketing=marketing,
        )
        authorizations = report_authorizations(r for t in (template, *domain_templates.values()) for r in records(t))
        if providers:
            facts = template_facts(template, list(domain_templates.values()), checklist)
            checklist = replace(checklist, inbox=evaluate_providers(facts, providers))
        _write_checklist(out, shared.stack_name, checklist)
        for name, domain_template in domain_templates.items():
            own = (*domain_results(domain_template, region, authorizations), *tenant_results(domain_template))
            _write_checklist(out, name, Checklist(region, own, stack=name))
        checklists.append(checklist)
    return checklists


def _write_checklist(out: Path, stack_name: str, checklist: Checklist) -> None:
    path = out / f"{stack_name}.checklist.json"
    path.write_text(json.dumps(checklist.to_json(), indent=2) + "\n", encoding="utf-8")


def synthesize(config: SesStackConfig, *, run_by_cli: bool, context: dict[str, Any]) -> int:
    """Build and synthesize the app for a loaded config (``ses_stack.app.main`` loads it before aws_cdk starts)."""
    app = App() if run_by_cli else App(outdir="cdk.out", context=context)
    try:
        stacks = build_stacks(app, config)
        marketing = marketing_mail(config.production_access)
        checklists = synth_checklists(
            app, stacks, transactional_only=config.transactional_only, marketing=marketing, providers=config.providers
        )
    except (jsii.errors.JSIIError, RuntimeError) as error:  # cdk-nag findings and other synth errors
        print(f"error: synthesis failed: {error}", file=sys.stderr)
        return 1
    for checklist in checklists:
        print(format_checklist(checklist), file=sys.stderr)
        if isinstance(checklist.inbox, InboxReport):
            print(format_inbox(checklist.inbox), file=sys.stderr)
    return 0
