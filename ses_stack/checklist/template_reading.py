"""Reading a synthesized template as plain data: rendered values, resources, references and DNS records."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any


def render(value: Any) -> str:
    """A template value as text, intrinsic functions shown as ``${Logical.Attr}`` / ``${Ref}`` placeholders."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, Mapping) and len(value) == 1:
        ((function, argument),) = value.items()
        if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
            return render(argument[0]).join(render(part) for part in argument[1])
        if function == "Fn::GetAtt":
            target = ".".join(argument) if isinstance(argument, list) else str(argument)
            return "${" + target + "}"
        if function == "Ref":
            return "${" + str(argument) + "}"
    return json.dumps(value, sort_keys=True)


def dns_name(value: Any) -> str:
    return render(value).strip().rstrip(".").lower()


@dataclass(frozen=True)
class Record:
    name: str
    type: str
    values: tuple[str, ...]
    published: bool
    """True for a Route53 record set; False for a record listed in a stack output for manual publishing."""
    source: str


def records(template: Mapping[str, Any]) -> list[Record]:
    found: list[Record] = []
    for logical_id, resource in resources(template, "AWS::Route53::RecordSet"):
        props = resource.get("Properties", {})
        found.append(
            Record(
                name=dns_name(props.get("Name", "")),
                type=str(props.get("Type", "")).upper(),
                values=tuple(render(v) for v in props.get("ResourceRecords", [])),
                published=True,
                source=logical_id,
            )
        )
    for output_id, output in (template.get("Outputs") or {}).items():
        name, _, rest = render(output.get("Value", "")).partition(" ")
        record_type, _, record_value = rest.partition(" ")
        if record_type.upper() in ("CNAME", "MX", "TXT") and record_value:
            found.append(
                Record(
                    name=name.rstrip(".").lower(),
                    type=record_type.upper(),
                    values=(record_value,),
                    published=False,
                    source=f"output {output_id}",
                )
            )
    return found


def resources(template: Mapping[str, Any], resource_type: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    for logical_id, resource in (template.get("Resources") or {}).items():
        if isinstance(resource, Mapping) and resource.get("Type") == resource_type:
            yield logical_id, resource


def ref_target(value: Any) -> str | None:
    """The logical id a ``Ref`` or ``Fn::GetAtt`` points at, else None."""
    if isinstance(value, Mapping):
        if "Ref" in value:
            return str(value["Ref"])
        if "Fn::GetAtt" in value:
            argument = value["Fn::GetAtt"]
            return str(argument[0] if isinstance(argument, list) else str(argument).split(".")[0])
    return None
