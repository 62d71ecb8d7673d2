"""``Custom::SesRecordTakeover``: lets the stack create DNS records that already exist with exactly its values.

CloudFormation cannot import a Route53 record set, and refuses to create one that exists. Before a domain's record
sets are created this resource looks at each record the stack does not manage yet (its logical id is not in the
stack): absent, nothing to do; present with exactly the stack's values (the DKIM CNAMEs the SES console published
for the identity, say), deleted in one change so the stack's record set replaces it; present with other values,
the request fails before anything is changed, naming each record, what it holds and what the stack would write.
Records the stack already manages are never touched, so adding this resource to an existing stack changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

if __package__:  # imported as ses_stack.settings.runtime.takeover (tests, the template checklist)
    from .txt import txt_text
else:  # pragma: no cover - in Lambda the code folder is the import root
    from txt import txt_text  # type: ignore[import-not-found,no-redef]

TAKEOVER = "Custom::SesRecordTakeover"
_TYPES = ("CNAME", "MX", "TXT")


class RecordConflictError(ValueError):
    """Records exist with other values than the stack would write."""


def normal_name(name: str) -> str:
    return name.strip().rstrip(".").lower()


def normal_values(record_type: str, values: Sequence[str]) -> list[str]:
    """Values compared as DNS compares them: names without the trailing dot and in lower case, TXT as text."""
    if record_type == "TXT":
        return sorted(txt_text(v) for v in values)
    if record_type in ("CNAME", "MX"):
        return sorted(" ".join(v.strip().rstrip(".").lower().split()) for v in values)
    return sorted(values)


def _records(properties: Mapping[str, Any]) -> list[dict[str, Any]]:
    records = properties.get("Records")
    if not isinstance(records, list) or not records:
        raise ValueError("Records must be a non-empty list")
    for record in records:
        ok = (
            isinstance(record, Mapping)
            and isinstance(record.get("Name"), str)
            and record.get("Type") in _TYPES
            and isinstance(record.get("Values"), list)
            and all(isinstance(v, str) for v in record["Values"])
            and isinstance(record.get("LogicalId"), str)
        )
        if not ok:
            raise ValueError(
                f"each record needs Name, Type ({', '.join(_TYPES)}), Values and LogicalId; got {record!r}"[:300]
            )
    return [dict(r) for r in records]


def _managed_by_this_stack(cloudformation: Any, stack_id: str, logical_id: str) -> bool:
    try:
        detail = cloudformation.describe_stack_resource(StackName=stack_id, LogicalResourceId=logical_id)
    except ClientError as error:
        if "does not exist" in str(error.response.get("Error", {}).get("Message", "")):
            return False
        raise
    resource = detail.get("StackResourceDetail", {})
    status = str(resource.get("ResourceStatus", ""))
    return bool(resource.get("PhysicalResourceId")) and status != "CREATE_FAILED" and not status.startswith("DELETE")


def _existing(route53: Any, zone: str, name: str, record_type: str) -> dict[str, Any] | None:
    page = route53.list_resource_record_sets(
        HostedZoneId=zone, StartRecordName=name, StartRecordType=record_type, MaxItems="1"
    )
    for record_set in page.get("ResourceRecordSets", []):
        if normal_name(record_set.get("Name", "")) == normal_name(name) and record_set.get("Type") == record_type:
            return dict(record_set)
    return None


def _shown(values: Sequence[str]) -> str:
    return " | ".join(values) or "(an alias or routing-policy record)"


def take_over(event: Mapping[str, Any], clients: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """Handle one request (Create and Update look again; Delete leaves DNS alone)."""
    properties = event.get("ResourceProperties", {})
    zone = properties.get("HostedZoneId")
    if not isinstance(zone, str) or not zone:
        raise ValueError("HostedZoneId is required")
    records = _records(properties)
    physical_id = f"ses-record-takeover:{zone}:{normal_name(records[0]['Name'].split('._domainkey.')[-1])}"
    if event["RequestType"] == "Delete":
        return str(event.get("PhysicalResourceId") or physical_id), {}
    to_delete, taken, conflicts = [], [], []
    for record in records:
        if _managed_by_this_stack(clients["cloudformation"], str(event.get("StackId", "")), record["LogicalId"]):
            continue
        existing = _existing(clients["route53"], zone, record["Name"], record["Type"])
        if existing is None:
            continue
        values = [str(r.get("Value", "")) for r in existing.get("ResourceRecords", [])]
        same = not existing.get("AliasTarget") and not existing.get("SetIdentifier")
        if same and normal_values(record["Type"], values) == normal_values(record["Type"], record["Values"]):
            to_delete.append(existing)
            taken.append(f"{normal_name(record['Name'])} {record['Type']}")
        else:
            conflicts.append(
                f"{normal_name(record['Name'])} {record['Type']} holds {_shown(values)}; the stack writes "
                f"{_shown(record['Values'])}"
            )
    if conflicts:
        raise RecordConflictError(
            "records exist with other values (nothing was changed): " + "; ".join(conflicts) + ". Fix: give them the "
            "stack's values, or delete them; for _dmarc you may instead keep yours with dmarc.publish false"
        )
    if to_delete:
        clients["route53"].change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Comment": "ses_stack: identical records replaced by the stack's own",
                "Changes": [{"Action": "DELETE", "ResourceRecordSet": record_set} for record_set in to_delete],
            },
        )
    return physical_id, {"TakenOver": ", ".join(taken) or "none"}
