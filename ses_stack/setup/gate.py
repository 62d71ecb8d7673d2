"""The pre-flight checklist as a CDK gate: ``Validations.of(app).add_plugins(SesChecklistGate())`` makes every
FAIL item fail ``cdk synth`` (as cdk-nag's packs do), naming the item, the domain and the fix; and
``assert_ready(stack)`` for pytest."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import (
    IPolicyValidationContext,
    IPolicyValidationPlugin,
    PolicyValidationPluginReport,
    PolicyViolatingResource,
    PolicyViolation,
    Stack,
)
from aws_cdk.assertions import Template

from ses_stack.checklist import Checklist, ItemId, ItemResult, Status, evaluate_template, format_checklist
from ses_stack.checklist.template import domain_results
from ses_stack.inbox import InboxReport, Provider, evaluate_providers, format_inbox
from ses_stack.inbox.template import template_facts

_SES_TYPES = ("AWS::SES::EmailIdentity", "AWS::SES::ConfigurationSet")


def _is_ses_stack(template: Mapping[str, Any]) -> bool:
    return any(r.get("Type") in _SES_TYPES for r in (template.get("Resources") or {}).values())


def _region_of(template: Mapping[str, Any]) -> str | None:
    """The Region a template was made for, from a MAIL FROM MX host (None: environment-agnostic)."""
    for resource in (template.get("Resources") or {}).values():
        for record in (resource.get("Properties") or {}).get("ResourceRecords") or []:
            if isinstance(record, str) and ".amazonses.com" in record and "feedback-smtp." in record:
                return record.split("feedback-smtp.", 1)[1].split(".amazonses.com", 1)[0]
    return None


@jsii.implements(IPolicyValidationPlugin)
class SesChecklistGate:
    """A validation plugin: each synthesized stack holding an SES identity or configuration set is evaluated against
    the checklist; every FAIL item is a violation (the item as the rule, the domain and evidence as the
    description, the fix). Stacks without SES resources are left alone."""

    def __init__(self, *, transactional_only: bool = False) -> None:
        """
        :param transactional_only: The account sends transactional mail only: ``unsubscribe`` is not applicable.
            Default: False (bulk mail needs a contact list).
        """
        self._transactional_only = transactional_only

    @property
    def name(self) -> str:
        return "SesPreflightChecklist"

    @property
    def version(self) -> str | None:
        return None

    @property
    def rule_ids(self) -> list[str]:
        return [item.value for item in ItemId]

    def validate(self, context: IPolicyValidationContext) -> PolicyValidationPluginReport:
        violations = []
        for path in context.template_paths:
            template = json.loads(Path(path).read_text(encoding="utf-8"))
            if not _is_ses_stack(template):
                continue
            results = _results(template, self._transactional_only)
            resource = next(iter(template.get("Resources") or {"Template": None}))
            violations += [
                PolicyViolation(
                    rule_name=result.item.value,
                    description=f"{result.domain + ': ' if result.domain else ''}{result.evidence}",
                    fix=result.fix or None,
                    violating_resources=[
                        PolicyViolatingResource(resource_logical_id=resource, template_path=path, locations=[])
                    ],
                )
                for result in results
                if result.status is Status.FAIL
            ]
        return PolicyValidationPluginReport(success=not violations, violations=violations)


def _results(template: Mapping[str, Any], transactional_only: bool) -> list[ItemResult]:
    """A stack with a configuration set is checked whole; one with domains only (a ``SesDomainStack``, sending
    through another stack's set) for its domains' items: the account-wide items are checked where the set is."""
    region = _region_of(template)
    if not any(r.get("Type") == "AWS::SES::ConfigurationSet" for r in (template.get("Resources") or {}).values()):
        return domain_results(template, region)
    return list(evaluate_template(template, region=region, transactional_only=transactional_only).results)


def checklist_of(stack: Stack, *, transactional_only: bool = False, providers: Sequence[Provider] = ()) -> Checklist:
    """The checklist of a stack, synthesized on the spot (for tests).

    :param providers: Mailbox providers whose requirements are judged too (``Checklist.inbox``, see
        ``ses_stack.inbox``), for example ``list(Provider)``. Default: none.
    """
    template = Template.from_stack(stack).to_json()
    region = stack.region if not stack.region.startswith("${Token[") else _region_of(template)
    checklist = evaluate_template(
        template, region=region, stack=stack.stack_name, transactional_only=transactional_only
    )
    if not providers:
        return checklist
    return replace(checklist, inbox=evaluate_providers(template_facts(template, [template], checklist), providers))


def assert_ready(stack: Stack, *, transactional_only: bool = False, providers: Sequence[Provider] = ()) -> Checklist:
    """Fail (``AssertionError``, with the whole report) unless every checklist item of ``stack`` passes or only
    warns, and with ``providers`` every requirement of those mailbox providers that the template can tell; return
    the checklist otherwise. For pytest: ``assert_ready(stack)``, ``assert_ready(stack, providers=list(Provider))``."""
    checklist = checklist_of(stack, transactional_only=transactional_only, providers=providers)
    if not checklist.ready:
        raise AssertionError(
            f"{stack.stack_name} is not ready to leave the SES sandbox:\n{format_checklist(checklist)}"
        )
    if isinstance(checklist.inbox, InboxReport) and not checklist.inbox.ready:
        raise AssertionError(
            f"{stack.stack_name} does not meet the mailbox providers' requirements:\n{format_inbox(checklist.inbox)}"
        )
    return checklist
