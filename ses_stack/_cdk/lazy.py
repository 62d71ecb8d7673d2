"""A list filled while constructs are added and read only when the template is written."""

from __future__ import annotations

import jsii
from aws_cdk import IStableListProducer, Lazy


@jsii.implements(IStableListProducer)
class _Collected:
    def __init__(self, items: list[str]) -> None:
        self.items = items

    def produce(self) -> list[str]:
        return list(dict.fromkeys(self.items))  # in order, each once


def collected_list(items: list[str]) -> list[str]:
    """A token for ``items`` as they are when the template is written. Append tokens taken while building (an
    alarm's ARN first asked for while the template is resolved loses its logical id)."""
    return Lazy.list(_Collected(items))
