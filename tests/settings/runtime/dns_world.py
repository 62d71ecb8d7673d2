"""A small stateful Route53 + CloudFormation + SSM for the record takeover: real boto3 clients (every request is
validated against the API model by ``AwsDouble``) answered from one zone, the stacks' resources and the SSM
parameters, plus the steps CloudFormation takes around a custom resource (create a record set, fail, roll back,
clean up), so event sequences can be played as a deployment plays them."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from ses_stack.settings.runtime.record_rule import normal_name
from tests.aws_double import AwsDouble
from tests.settings.runtime.answers import answer_to

ZONE = "Z0123456789ABCDEFGHIJ"
STACK = "arn:aws:cloudformation:eu-west-1:123456789012:stack/SesStack-eu-west-1/1b2c3d4e-0000-1111-2222-333344445555"
OTHER_STACK = "arn:aws:cloudformation:eu-west-1:123456789012:stack/Website/99999999-0000-1111-2222-333344445555"
_CHANGE = {"ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": "2026-12-01T00:00:00Z"}}


class DeployFailedError(RuntimeError):
    """A step CloudFormation would have failed."""


def record_set(name: str, record_type: str, values: list[str], ttl: int = 300) -> dict[str, Any]:
    return {
        "Name": normal_name(name) + ".",
        "Type": record_type,
        "TTL": ttl,
        "ResourceRecords": [{"Value": v} for v in values],
    }


@dataclass
class World:
    records: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    stacks: dict[str, dict[str, str]] = field(default_factory=dict)
    """stack id -> logical id -> physical id (record sets only)."""
    parameters: dict[str, str] = field(default_factory=dict)
    written: dict[tuple[str, str], str] = field(default_factory=dict)
    """(stack id, logical id) -> the type of the record set that resource wrote."""
    double: AwsDouble = field(default_factory=AwsDouble)

    def __post_init__(self) -> None:
        on = self.double.on
        on("route53", "ListResourceRecordSets", None, self._list)
        on("route53", "ChangeResourceRecordSets", None, self._change)
        on("cloudformation", "DescribeStackResources", None, self._stack_resources)
        on("ssm", "GetParameter", None, self._get)
        on("ssm", "PutParameter", None, self._put)
        on("ssm", "DeleteParameter", None, self._delete)
        on("ssm", "GetParametersByPath", None, self._by_path)

    @property
    def clients(self) -> dict[str, Any]:
        return {s: self.double.client(s) for s in ("route53", "cloudformation", "ssm")}

    def put(self, *record_sets: dict[str, Any]) -> None:
        for found in record_sets:
            self.records[(normal_name(found["Name"]), found["Type"])] = copy.deepcopy(found)

    def held(self, name: str, record_type: str) -> dict[str, Any] | None:
        return self.records.get((normal_name(name), record_type))

    # CloudFormation's own steps
    def create(self, stack: str, logical_id: str, found: dict[str, Any]) -> None:
        """CloudFormation creating an ``AWS::Route53::RecordSet``: it fails when the record exists."""
        key = (normal_name(found["Name"]), found["Type"])
        if any(k[0] == key[0] and (k[1] == key[1] or "CNAME" in (k[1], key[1])) for k in self.records):
            raise DeployFailedError(f"[Tried to create resource record set [name='{key[0]}.', type='{key[1]}'] "
                                    "but it already exists]")  # fmt: skip
        self.put(found)
        self.stacks.setdefault(stack, {})[logical_id] = key[0]
        self.written[(stack, logical_id)] = key[1]

    def remove(self, stack: str, logical_id: str, *, retain: bool) -> None:
        """CloudFormation deleting a record set resource (rollback, clean-up, stack deletion)."""
        name = self.stacks[stack].pop(logical_id)
        record_type = self.written.pop((stack, logical_id))
        if not retain:
            self.records.pop((name, record_type), None)

    def send(self, event: dict[str, Any]) -> tuple[str, str, dict[str, str], str]:
        return answer_to(event, self.clients)

    # the API
    def _ordered(self) -> list[tuple[str, str]]:
        return sorted(self.records)

    def _list(self, params: dict[str, Any]) -> dict[str, Any]:
        start = (normal_name(params.get("StartRecordName", "")), params.get("StartRecordType", ""))
        after = [k for k in self._ordered() if k >= start]
        size = int(params.get("MaxItems", "100"))
        page = after[:size]
        answer: dict[str, Any] = {
            "ResourceRecordSets": [copy.deepcopy(self.records[k]) for k in page],
            "IsTruncated": len(after) > size,
            "MaxItems": str(size),
        }
        if len(after) > size:
            answer.update(NextRecordName=after[size][0] + ".", NextRecordType=after[size][1])
        return answer

    def _change(self, params: dict[str, Any]) -> dict[str, Any]:
        assert params["HostedZoneId"] == ZONE
        records = copy.deepcopy(self.records)
        for change in params["ChangeBatch"]["Changes"]:
            found = change["ResourceRecordSet"]
            key = (normal_name(found["Name"]), found["Type"])
            if change["Action"] == "DELETE":
                if records.get(key) != found:
                    return invalid_change(f"[Tried to delete record set [name='{key[0]}.'] but it was not found]")  # type: ignore[return-value]
                del records[key]
            elif change["Action"] == "CREATE":
                if any(k[0] == key[0] and (k[1] == key[1] or "CNAME" in (k[1], key[1])) for k in records):
                    return invalid_change(f"[Tried to create record set [name='{key[0]}.'] but it already exists]")  # type: ignore[return-value]
                records[key] = copy.deepcopy(found)
            else:
                raise AssertionError(f"the takeover never {change['Action']}s")
        self.records = records
        return _CHANGE

    def _stack_resources(self, params: dict[str, Any]) -> dict[str, Any]:
        wanted = params.get("PhysicalResourceId")
        for stack, resources in self.stacks.items():
            if wanted in resources.values():
                return {"StackResources": [
                    {"StackId": stack, "StackName": stack.split("/")[1], "LogicalResourceId": logical,
                     "PhysicalResourceId": physical, "ResourceType": "AWS::Route53::RecordSet",
                     "Timestamp": "2026-12-01T00:00:00Z", "ResourceStatus": "CREATE_COMPLETE"}
                    for logical, physical in resources.items()
                ]}  # fmt: skip
        return stack_missing(str(wanted))  # type: ignore[return-value]

    def _get(self, params: dict[str, Any]) -> dict[str, Any]:
        if params["Name"] not in self.parameters:
            return (400, {"Error": {"Code": "ParameterNotFound", "Message": "not found"}})  # type: ignore[return-value]
        return {"Parameter": {"Name": params["Name"], "Type": "String", "Value": self.parameters[params["Name"]]}}

    def _put(self, params: dict[str, Any]) -> dict[str, Any]:
        self.parameters[params["Name"]] = params["Value"]
        return {"Version": 1}

    def _delete(self, params: dict[str, Any]) -> dict[str, Any]:
        if self.parameters.pop(params["Name"], None) is None:
            return (400, {"Error": {"Code": "ParameterNotFound", "Message": "not found"}})  # type: ignore[return-value]
        return {}

    def _by_path(self, params: dict[str, Any]) -> dict[str, Any]:
        path = params["Path"].rstrip("/") + "/"
        return {
            "Parameters": [
                {"Name": name, "Type": "String", "Value": value}
                for name, value in sorted(self.parameters.items())
                if name.startswith(path)
            ]
        }


def invalid_change(message: str) -> tuple[int, dict[str, Any]]:
    return (400, {"Error": {"Code": "InvalidChangeBatch", "Message": message}})


def stack_missing(physical_id: str) -> tuple[int, dict[str, Any]]:
    return (400, {"Error": {"Code": "ValidationError", "Message": f"Stack for {physical_id} does not exist"}})
