"""The deployable app: config file in, one stack per Region out, cdk-nag on every stack, checklist printed.

This is the only place that reads files or the CDK context; the constructs take typed settings.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import jsii
from aws_cdk import App, Environment, Validations
from cdk_nag import AwsSolutionsChecks

from ses_stack.checklist import Checklist, evaluate_template, format_checklist
from ses_stack.config import ConfigError, SesStackConfig, StackPlan, load_config, plan_stacks
from ses_stack.stack import SesStack

MAX_DESCRIPTION = 400  # CloudFormation allows 1,024 bytes; CDK 2.275 checks that at synth
_NAMED_DOMAINS = 3


def stack_description(plan: StackPlan) -> str:
    """``ses_stack: SES sending setup for eu-west-1 (a.com, b.com, c.com and 19 more)``: bounded whatever the
    number of domains."""
    names = [domain.name for domain in plan.domains]
    listed = ", ".join(names[:_NAMED_DOMAINS])
    if len(names) > _NAMED_DOMAINS:
        listed += f" and {len(names) - _NAMED_DOMAINS} more"
    description = f"ses_stack: SES sending setup for {plan.region} ({listed})"
    return description if len(description) <= MAX_DESCRIPTION else description[: MAX_DESCRIPTION - 3] + "..."


def build_stacks(app: App, config: SesStackConfig) -> list[SesStack]:
    """Add one ``SesStack`` per planned stack, and the AwsSolutions cdk-nag pack, to ``app``."""
    stacks = [
        SesStack(
            app,
            plan.stack_name,
            domains=plan.domains,
            configuration_set=config.configuration_set,
            feedback=config.feedback,
            account_suppression=config.account_suppression,
            contact_list=config.contact_list,
            reputation=config.reputation,
            operations=config.operations,
            removal_policy=config.removal_policy,
            env=Environment(account=config.account, region=plan.region),
            description=stack_description(plan),
        )
        for plan in plan_stacks(config)
    ]
    Validations.of(app).add_plugins(AwsSolutionsChecks(app))
    return stacks


def synth_checklists(app: App, stacks: Sequence[SesStack], *, transactional_only: bool = False) -> list[Checklist]:
    """Synthesize ``app``, evaluate each stack's template, and write ``<stack>.checklist.json`` beside it."""
    assembly = app.synth()
    checklists = []
    for stack in stacks:
        artifact = assembly.get_stack_by_name(stack.stack_name)
        checklist = evaluate_template(
            artifact.template, region=stack.region, stack=stack.stack_name, transactional_only=transactional_only
        )
        out = Path(assembly.directory) / f"{stack.stack_name}.checklist.json"
        out.write_text(json.dumps(checklist.to_json(), indent=2) + "\n", encoding="utf-8")
        checklists.append(checklist)
    return checklists


def main(project_dir: Path) -> int:
    """Entry point of ``app.py``: the config file comes from ``-c config=FILE`` or ``examples/ses-stack.json``."""
    default_config = project_dir / "examples" / "ses-stack.json"
    if os.environ.get("CDK_OUTDIR"):  # run by the CDK CLI, which passes cdk.json's context and the output folder
        app = App()
    else:  # run directly: behave as `cdk synth` would, with the same feature flags, writing to ./cdk.out
        context = json.loads((project_dir / "cdk.json").read_text(encoding="utf-8")).get("context", {})
        app = App(outdir="cdk.out", context=context)
    config_path = app.node.try_get_context("config") or str(default_config)
    try:
        config = load_config(config_path)
    except ConfigError as error:
        for line in error.lines():
            print(f"error: {line}", file=sys.stderr)
        return 1
    try:
        stacks = build_stacks(app, config)
        checklists = synth_checklists(app, stacks, transactional_only=config.transactional_only)
    except (jsii.errors.JSIIError, RuntimeError) as error:  # cdk-nag findings and other synth errors
        print(f"error: synthesis failed: {error}", file=sys.stderr)
        return 1
    for checklist in checklists:
        print(format_checklist(checklist), file=sys.stderr)
    return 0
