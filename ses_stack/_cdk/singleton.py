"""Constructs that exist once per stack, however many constructs use them (created on first use)."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from aws_cdk import Stack
from constructs import Construct

_Shared = TypeVar("_Shared", bound=Construct)


def once_per_stack(
    scope: Construct, construct_id: str, kind: type[_Shared], make: Callable[[Stack, str], _Shared]
) -> _Shared:
    """The ``kind`` construct with id ``construct_id`` at the top of ``scope``'s stack: the one there, else
    ``make(stack, construct_id)``. Another construct holding that id is an error, not a silent mix-up."""
    stack = Stack.of(scope)
    # jsii gives one Python object per stack: the lookup is remembered on it (a call into jsii saved per use)
    known: dict[str, Construct] = stack.__dict__.setdefault("_ses_stack_once_per_stack", {})
    existing = known.get(construct_id) or stack.node.try_find_child(construct_id)
    if existing is None:
        known[construct_id] = created = make(stack, construct_id)
        return created
    if not isinstance(existing, kind):
        raise TypeError(
            f"{stack.stack_name}: the id {construct_id!r} is reserved for ses_stack's {kind.__name__}; "
            f"got a {type(existing).__name__} there"
        )
    known[construct_id] = existing
    return existing


class OncePerStack(Construct):
    """Base of a construct that exists once per stack, at the top of it with the id ``STACK_ID``: get it with
    ``of(scope)``, which creates it on first use."""

    STACK_ID: ClassVar[str]

    @classmethod
    def of(cls: type[_Shared], scope: Construct) -> _Shared:
        return once_per_stack(scope, cls.STACK_ID, cls, cls)  # type: ignore[attr-defined]
