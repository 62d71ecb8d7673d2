"""What ``ses-preflight plan`` found for one Region, and how it is printed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ses_stack.preflight.plan.records import Planned

IMPORT_FLAG = "--import-existing-resources"


@dataclass(frozen=True)
class RegionPlan:
    region: str
    stack: str
    """The Region's shared (or only) stack."""
    resources: tuple[Planned, ...]
    domain_stacks: tuple[str, ...] = ()
    """The Region's domain stacks, with ``domainStacks``."""

    @property
    def deploy_targets(self) -> str:
        """The stacks to name to ``cdk deploy``: the shared one, and a pattern for its domain stacks."""
        return f"{self.stack} '{self.stack}-domains-*'" if self.domain_stacks else self.stack

    @property
    def deployable(self) -> bool:
        return all(r.state != "conflict" for r in self.resources)

    def to_json(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "stack": self.stack,
            "domainStacks": list(self.domain_stacks),
            "deployable": self.deployable,
            "resources": [r.to_json() for r in self.resources],
        }


_LABELS = {"new": "NEW", "managed": "MANAGED", "adopt": "ADOPT", "conflict": "CONFLICT"}


def format_plan(plan: RegionPlan, config_path: str) -> str:
    counts = {state: sum(1 for r in plan.resources if r.state == state) for state in _LABELS}
    summary = ", ".join(f"{n} {state}" for state, n in counts.items() if n)
    verdict = "deployable" if plan.deployable else "NOT deployable: fix the conflicts first"
    stacks = f"{plan.stack} and its {len(plan.domain_stacks)} domain stacks" if plan.domain_stacks else plan.stack
    lines = [f"Plan for {stacks} ({plan.region}): {summary} => {verdict}"]
    if moving := Counter(r.moves_from for r in plan.resources if r.moves_from):
        origins = ", ".join(f"{n} from {stack}" for stack, n in sorted(moving.items()))
        lines.append(f"  moves: {sum(moving.values())} domains change stacks ({origins})")
    for resource in plan.resources:
        lines.append(f"  {_LABELS[resource.state]:<9} {resource.type:<30} {resource.name}: {resource.evidence}")
        if resource.fix:
            lines.append(f"{'':12}fix: {resource.fix}")
    imports = [r for r in plan.resources if r.state == "adopt" and r.type.startswith("AWS::SES::")]
    if plan.deployable:
        flag = f" {IMPORT_FLAG}" if imports else ""
        lines.append(f"  deploy with: cdk deploy -c config={config_path}{flag} {plan.deploy_targets}")
    return "\n".join(lines)
