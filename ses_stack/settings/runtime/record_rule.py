"""The one rule for a DNS record a stack is about to create, shared by the record takeover (at deploy) and
``ses-preflight plan`` (before it): what the zone and CloudFormation hold decides ``new``, ``managed``, ``adopt``
(an identical record outside any stack, which the takeover may replace) or ``conflict`` (never touched).

Standard library and botocore only: it ships in the settings provider's Lambda asset.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

if __package__:  # imported as ses_stack.settings.runtime.record_rule
    from .txt import txt_text
else:  # pragma: no cover - in Lambda the code folder is the import root
    from txt import txt_text  # type: ignore[import-not-found,no-redef]

RECORD_SET = "AWS::Route53::RecordSet"
_GONE = ("DELETE_COMPLETE", "DELETE_SKIPPED", "CREATE_FAILED")  # no longer (or never) held by that stack


def normal_name(name: str) -> str:
    return name.strip().rstrip(".").lower()


def normal_values(record_type: str, values: Sequence[str]) -> list[str]:
    """Values compared as DNS compares them: names without the trailing dot and in lower case, TXT as text."""
    if record_type == "TXT":
        return sorted(txt_text(v) for v in values)
    if record_type in ("CNAME", "MX"):
        return sorted(" ".join(v.strip().rstrip(".").lower().split()) for v in values)
    return sorted(values)


def values_of(record_set: Mapping[str, Any]) -> list[str]:
    return [str(r.get("Value", "")) for r in record_set.get("ResourceRecords", [])]


def shown(values: Sequence[str]) -> str:
    return " | ".join(values) or "an alias or routing-policy record"


@dataclass(frozen=True)
class Holder:
    """A CloudFormation stack resource whose physical id is the record's name."""

    stack_id: str
    stack_name: str
    logical_id: str


@dataclass(frozen=True)
class Verdict:
    state: str
    """``new``, ``managed``, ``adopt`` or ``conflict``."""
    evidence: str
    fix: str = ""


def record_holders(cloudformation: Any, name: str) -> list[Holder]:
    """Every live ``AWS::Route53::RecordSet`` resource whose physical id is ``name`` (with or without the final
    dot), in whichever stack. DescribeStackResources answers the whole stack that holds a physical id."""
    found: dict[tuple[str, str], Holder] = {}
    for asked in (normal_name(name), normal_name(name) + "."):
        try:
            resources = cloudformation.describe_stack_resources(PhysicalResourceId=asked).get("StackResources", [])
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ValidationError":  # no stack holds it
                continue
            raise
        for resource in resources:
            if (
                resource.get("ResourceType") == RECORD_SET
                and normal_name(str(resource.get("PhysicalResourceId", ""))) == normal_name(name)
                and str(resource.get("ResourceStatus", "")) not in _GONE
            ):
                holder = Holder(str(resource.get("StackId")), str(resource.get("StackName")),
                                str(resource.get("LogicalResourceId")))  # fmt: skip
                found[(holder.stack_id, holder.logical_id)] = holder
        if found:
            break
    return sorted(found.values(), key=lambda h: (h.stack_name, h.logical_id))


def _blocking_cname(record_type: str, at_name: Sequence[Mapping[str, Any]]) -> str | None:
    """DNS allows nothing beside a CNAME: the record set that makes creating ``record_type`` impossible."""
    for record_set in at_name:
        other = str(record_set.get("Type"))
        if other != record_type and "CNAME" in (other, record_type):
            return f"{other} {shown(values_of(record_set))}"
    return None


def judge(
    *,
    name: str,
    record_type: str,
    values: Sequence[str],
    at_name: Sequence[Mapping[str, Any]],
    holders: Sequence[Holder],
    stack: str,
    logical_id: str | None,
    siblings: Collection[str] = (),
    app_stacks: Collection[str] = (),
    what: str = "record",
    keep_yours: str = "",
) -> Verdict:
    """The verdict on one record that ``stack`` (its id or name) writes as ``logical_id`` (None: not known, as in
    ``plan``).

    :param at_name: Every record set the zone holds at ``name`` (any type).
    :param holders: ``record_holders(name)``.
    :param siblings: The stack's own logical ids for records of other types at the same name (the MAIL FROM MX
        and TXT share a physical id).
    :param app_stacks: The names of the app's other stacks: a record one of them holds is moving, not foreign.
    """
    blocker = _blocking_cname(record_type, at_name)
    if blocker is not None:
        return Verdict(
            "conflict",
            f"the zone holds {blocker} at this name, and DNS allows nothing beside a CNAME: the deploy would fail "
            "here, so nothing is taken over",
            f"remove that record, {keep_yours or 'or publish this one elsewhere'}",
        )
    held = next((r for r in at_name if r.get("Type") == record_type), None)
    if held is None:
        return Verdict("new", "not in the zone")
    held_values = values_of(held)
    others = sorted({h.stack_name for h in holders if stack not in (h.stack_id, h.stack_name)})
    moving = [other for other in others if other in app_stacks]
    if moving:
        return Verdict(
            "conflict",
            f"{what} of {moving[0]}, another stack of this app: it moves here (domainStacks, or a domainStack pin, "
            "changed)",
            f"deploy {moving[0]} first, which lets it go (removalPolicy retain keeps it in DNS and this deploy takes "
            "it over; destroy deletes it and this deploy creates it); or undo the change that moves it",
        )
    if others:
        return Verdict(
            "conflict",
            f"{what} of another stack, {others[0]}: never taken over (when that stack deletes it, DNS loses it)",
            f"remove it from {others[0]} first (DeletionPolicy Retain, then delete it from that template)",
        )
    ours = {h.logical_id for h in holders if stack in (h.stack_id, h.stack_name)}
    if ours and (logical_id is None or logical_id in ours):
        drift = "" if same_values(record_type, held_values, values) else f"; DNS holds {shown(held_values)} (changed " \
            "outside the stack)"  # fmt: skip
        return Verdict("managed", f"{what} of this stack{drift}")
    if ours - set(siblings):
        return Verdict(
            "conflict",
            f"held by this stack as {', '.join(sorted(ours))}, not as {logical_id}: the stack would create it twice, "
            "and deleting it would lose it when CloudFormation cleans up the old id",
            "deploy the previous version of the app, then upgrade again (a record's logical id must not change)",
        )
    if held.get("AliasTarget") or held.get("SetIdentifier") or not same_values(record_type, held_values, values):
        return Verdict("conflict", f"holds {shown(held_values)}; the stack writes {shown(values)}", keep_yours)
    return Verdict(
        "adopt",
        f"exists outside any stack, identical to what the stack writes ({shown(held_values)}): the deploy replaces "
        "it with its own record (a few seconds apart) and puts it back if the deploy fails",
    )


def same_values(record_type: str, held: Sequence[str], written: Sequence[str]) -> bool:
    return normal_values(record_type, held) == normal_values(record_type, written)
