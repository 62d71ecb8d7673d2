"""The pre-flight checklist: item definitions and evaluators. No aws_cdk import (the CLI uses it)."""

from ses_stack.checklist.items import DEFINITIONS, ITEMS, Checklist, ItemDefinition, ItemId, ItemResult, Status
from ses_stack.checklist.report import format_checklist
from ses_stack.checklist.template import evaluate_region, evaluate_template

__all__ = [
    "DEFINITIONS",
    "ITEMS",
    "Checklist",
    "ItemDefinition",
    "ItemId",
    "ItemResult",
    "Status",
    "evaluate_region",
    "evaluate_template",
    "format_checklist",
]
