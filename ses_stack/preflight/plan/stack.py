"""What CloudFormation says about one of the app's stacks, for ``ses-preflight plan``: its state, its resources,
and which stack owns a physical id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from botocore.exceptions import ClientError

from ses_stack.preflight.plan.records import Planned
from ses_stack.settings.runtime.record_rule import RECORD_SET, Holder

_MAX_PAGES = 100
_ROLLED_BACK = ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED", "DELETE_FAILED")


@dataclass
class StackResources:
    """What CloudFormation says: this stack's resources, and which stack owns a physical id."""

    cloudformation: Any
    name: str
    status: str | None = None
    managed: dict[tuple[str, str], str] = field(default_factory=dict)  # (type, physical id) -> logical id
    app_stacks: frozenset[str] = frozenset()
    """Every stack of the app in this Region: a resource in one of them is moving, not foreign."""

    def load(self) -> None:
        try:
            stacks = self.cloudformation.describe_stacks(StackName=self.name).get("Stacks", [])
        except ClientError as error:
            if "does not exist" not in str(error.response.get("Error", {}).get("Message", "")):
                raise
            return
        self.status = str(stacks[0].get("StackStatus")) if stacks else None
        params = {"StackName": self.name}
        for _ in range(_MAX_PAGES):
            page = self.cloudformation.list_stack_resources(**params)
            for resource in page.get("StackResourceSummaries", []):
                key = (str(resource.get("ResourceType")), _physical(resource.get("PhysicalResourceId", "")))
                self.managed[key] = str(resource.get("LogicalResourceId"))
            if not page.get("NextToken"):
                break
            params["NextToken"] = page["NextToken"]

    def owner(self, resource_type: str, physical_id: str) -> str | None:
        """The stack that has this resource: this one, another one, or None."""
        if (resource_type, _physical(physical_id)) in self.managed:
            return self.name
        try:
            found = self.cloudformation.describe_stack_resources(PhysicalResourceId=physical_id)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ValidationError":  # no stack has it
                return None
            raise
        stacks = {
            str(r.get("StackName")) for r in found.get("StackResources", []) if r.get("ResourceType") == resource_type
        }
        return sorted(stacks)[0] if stacks else None

    def holders(self, record_name: str) -> list[Holder]:
        """Who holds the record set named ``record_name``: this stack (from its own list) or another one."""
        logical_id = self.managed.get((RECORD_SET, _physical(record_name)))
        if logical_id is not None:
            return [Holder(self.name, self.name, logical_id)]
        owner = self.owner(RECORD_SET, record_name)
        return [] if owner is None else [Holder(owner, owner, "")]


def _physical(value: Any) -> str:
    return str(value).rstrip(".").lower()


def plan_stack_state(stacks: StackResources) -> Planned:
    kind = "AWS::CloudFormation::Stack"
    if stacks.status is None:
        return Planned(kind, stacks.name, "new", "no such stack yet")
    if stacks.status in _ROLLED_BACK:
        return Planned(
            kind,
            stacks.name,
            "conflict",
            f"in {stacks.status}: CloudFormation cannot update it",
            f"aws cloudformation delete-stack --stack-name {stacks.name} (retained resources stay; plan again)",
        )
    return Planned(kind, stacks.name, "managed", f"{stacks.status}, {len(stacks.managed)} resources")
