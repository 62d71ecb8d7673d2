"""``Custom::SesRecordTakeover``: lets the stack create DNS records that already exist with exactly its values, and
puts them back whenever the stack's own copies go.

CloudFormation cannot import a Route53 record set, and refuses to create one that exists. Before a domain's record
sets are created, each is judged by ``record_rule.judge`` (the rule ``ses-preflight plan`` applies): absent or
already this stack's, nothing to do; identical and outside any stack, *adopted*; anything else (other values, a
record of another stack, this stack's own under another logical id, a CNAME clash) stops the deployment before
anything is changed. Adopted records are written to a journal (an SSM parameter per stack, resource and zone) before
they are deleted in one change, so the stack's record sets can replace them.

Delete (rollback of a failed create or update, a replacement's clean-up, stack deletion) puts back every journaled
record that is absent then, as it was (values and TTL), and never overwrites one that exists. The construct gives
the resource a new logical id whenever its list of records changes, so a record added by an update is guarded by
a resource created in that update: if the update fails, CloudFormation deletes the new record set and then this
resource, which restores what it took. A retried request finds its journal and never records its own deletions.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from botocore.exceptions import ClientError

if __package__:  # imported as ses_stack.settings.runtime.takeover (tests)
    from .record_rule import Verdict, judge, normal_name, record_holders
else:  # pragma: no cover - in Lambda the code folder is the import root
    from record_rule import Verdict, judge, normal_name, record_holders  # type: ignore[import-not-found,no-redef]

TAKEOVER = "Custom::SesRecordTakeover"
JOURNAL_PREFIX = "/ses-stack/record-takeover"
_TYPES = ("CNAME", "MX", "TXT")
_JOURNAL_MAX = 4096  # an SSM standard parameter
_PAGE = "20"
_STACK_ARN = re.compile(
    r"arn:aws[a-z-]*:cloudformation:[a-z0-9-]+:[0-9]{12}:stack/[A-Za-z][A-Za-z0-9-]{0,127}/[0-9a-f-]{36}"
)
logger = logging.getLogger("ses_settings")


class RecordConflictError(ValueError):
    """Records exist that the stack may not take over: nothing was changed."""


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


def journal_path(stack_id: str) -> str:
    """The SSM path of a stack's journals (one parameter per takeover resource below it)."""
    if not _STACK_ARN.fullmatch(stack_id):
        raise ValueError(f"StackId must be a CloudFormation stack ARN; got {stack_id[:160]!r}")
    return f"{JOURNAL_PREFIX}/{stack_id.rsplit('/', 1)[-1]}"


def _key(record_set: Mapping[str, Any]) -> str:
    return f"{normal_name(str(record_set.get('Name', '')))} {record_set.get('Type')}"


def at_name(route53: Any, zone: str, name: str) -> list[dict[str, Any]]:
    """Every record set of the zone at ``name``, whatever its type."""
    found: list[dict[str, Any]] = []
    params: dict[str, Any] = {"HostedZoneId": zone, "StartRecordName": name, "MaxItems": _PAGE}
    for _ in range(5):  # no name holds more than a few dozen types
        page = route53.list_resource_record_sets(**params)
        for record_set in page.get("ResourceRecordSets", []):
            if normal_name(str(record_set.get("Name", ""))) != normal_name(name):
                return found
            found.append(dict(record_set))
        if not page.get("IsTruncated"):
            break
        params.update(StartRecordName=page["NextRecordName"], StartRecordType=page["NextRecordType"])
    return found


def _read(ssm: Any, name: str) -> dict[str, dict[str, Any]]:
    try:
        value = ssm.get_parameter(Name=name)["Parameter"]["Value"]
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return {}
    return _parse(name, str(value))


def _parse(name: str, value: str) -> dict[str, dict[str, Any]]:
    try:
        records = json.loads(value).get("records", [])
    except (ValueError, AttributeError):
        raise ValueError(f"journal {name} is not this provider's JSON: restore its records by hand") from None
    return {_key(r): r for r in records if isinstance(r, dict)}


def _write(ssm: Any, name: str, journal: Mapping[str, Mapping[str, Any]]) -> None:
    value = json.dumps({"records": list(journal.values())}, separators=(",", ":"))
    if len(value.encode()) > _JOURNAL_MAX:
        raise RecordConflictError(
            f"the records to take over ({', '.join(journal)}) do not fit one journal ({_JOURNAL_MAX} bytes), so "
            "they could not be put back after a failed deployment: nothing was changed. Delete them yourself, or "
            "keep yours (dmarc.publish false)"
        )
    ssm.put_parameter(Name=name, Value=value, Type="String", Overwrite=True)


def _inherited(ssm: Any, path: str, own: str, keys: set[str]) -> dict[str, dict[str, Any]]:
    """Journal entries of this stack's earlier takeover resources for the records this one now guards (the
    resource is replaced whenever its list of records changes)."""
    found: dict[str, dict[str, Any]] = {}
    params: dict[str, Any] = {"Path": path, "Recursive": True}
    for _ in range(20):
        page = ssm.get_parameters_by_path(**params)
        for parameter in page.get("Parameters", []):
            name = str(parameter.get("Name", ""))
            if name != own and name.rsplit("/", 1)[-1] == own.rsplit("/", 1)[-1]:  # the same zone
                found.update({k: v for k, v in _parse(name, str(parameter.get("Value"))).items() if k in keys})
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    return found


def _verdicts(records: Sequence[Mapping[str, Any]], zone: str, stack_id: str, clients: Mapping[str, Any]) -> list[
    tuple[Mapping[str, Any], Verdict, list[dict[str, Any]]]
]:  # fmt: skip
    judged = []
    for record in records:
        held = at_name(clients["route53"], zone, record["Name"])
        siblings = {
            r["LogicalId"] for r in records if r is not record and normal_name(r["Name"]) == normal_name(record["Name"])
        }
        verdict = judge(
            name=record["Name"], record_type=record["Type"], values=record["Values"], at_name=held,
            holders=record_holders(clients["cloudformation"], record["Name"]) if held else [],
            stack=stack_id, logical_id=record["LogicalId"], siblings=siblings,
        )  # fmt: skip
        judged.append((record, verdict, held))
    return judged


def _take(event: Mapping[str, Any], clients: Mapping[str, Any], zone: str, journal_name: str) -> list[str]:
    records = _records(event.get("ResourceProperties", {}))
    stack_id = str(event.get("StackId", ""))
    judged = _verdicts(records, zone, stack_id, clients)
    conflicts = [
        f"{normal_name(r['Name'])} {r['Type']}: {v.evidence}" + (f" (fix: {v.fix})" if v.fix else "")
        for r, v, _ in judged
        if v.state == "conflict"
    ]
    if conflicts:
        raise RecordConflictError(
            "records the stack may not take over (nothing was changed): " + "; ".join(conflicts)
            + ". For _dmarc you may keep yours with dmarc.publish false"
        )  # fmt: skip
    adopted = [
        next(r for r in held if r.get("Type") == record["Type"]) for record, v, held in judged if v.state == "adopt"
    ]
    journal = _read(clients["ssm"], journal_name)
    if event["RequestType"] == "Create":
        keys = {f"{normal_name(r['Name'])} {r['Type']}" for r in records}
        for key, entry in _inherited(clients["ssm"], journal_path(stack_id), journal_name, keys).items():
            journal.setdefault(key, entry)
    before = dict(journal)
    for record_set in adopted:
        journal.setdefault(_key(record_set), record_set)  # a retry keeps what the first attempt took
    if journal != before or (journal and event["RequestType"] == "Create"):
        _write(clients["ssm"], journal_name, journal)  # before anything is deleted
    if adopted:
        clients["route53"].change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Comment": "ses_stack: identical records replaced by the stack's own (journaled)",
                "Changes": [{"Action": "DELETE", "ResourceRecordSet": record_set} for record_set in adopted],
            },
        )
    return [_key(r) for r in adopted]


def _restore(clients: Mapping[str, Any], zone: str, journal_name: str) -> list[str]:
    """Put back every journaled record that is absent now; never overwrite one that exists."""
    restored: list[str] = []
    journal = _read(clients["ssm"], journal_name)
    if not journal:
        return restored  # it took nothing (or its create failed before taking anything)
    for key, record_set in journal.items():
        held = at_name(clients["route53"], zone, str(record_set["Name"]))
        if any(r.get("Type") == record_set["Type"] or "CNAME" in (r.get("Type"), record_set["Type"]) for r in held):
            continue  # the stack's copy stayed (retained), or something newer holds the name: not ours to replace
        clients["route53"].change_resource_record_sets(
            HostedZoneId=zone,
            ChangeBatch={
                "Comment": "ses_stack: a record the stack had taken over, put back",
                "Changes": [{"Action": "CREATE", "ResourceRecordSet": record_set}],
            },
        )
        restored.append(key)
    logger.info(json.dumps({"message": "takeover journal replayed", "restored": restored}))
    clients["ssm"].delete_parameter(Name=journal_name)
    return restored


def take_over(event: Mapping[str, Any], clients: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    """Handle one request: Create and Update judge every record and adopt the identical ones; Delete restores."""
    properties = event.get("ResourceProperties", {})
    zone = properties.get("HostedZoneId")
    if not isinstance(zone, str) or not zone.isalnum():
        raise ValueError(f"HostedZoneId must be a hosted zone id; got {str(zone)[:40]!r}")
    records = _records(properties)
    logical_id = str(event.get("LogicalResourceId", ""))
    if not logical_id.isalnum():
        raise ValueError(f"LogicalResourceId must be a logical id; got {logical_id[:80]!r}")
    journal_name = f"{journal_path(str(event.get('StackId', '')))}/{logical_id}/{zone}"
    physical_id = f"ses-record-takeover:{zone}:{normal_name(records[0]['Name'].split('._domainkey.')[-1])}"
    if event["RequestType"] == "Delete":  # whatever the physical id: a create that failed may have taken some
        restored = _restore(clients, zone, journal_name)
        return str(event.get("PhysicalResourceId") or physical_id), {"Restored": ", ".join(restored) or "none"}
    taken = _take(event, clients, zone, journal_name)
    return physical_id, {"TakenOver": ", ".join(taken) or "none"}
