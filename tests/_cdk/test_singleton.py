"""Constructs shared per stack: created once whatever the number of users, and a clash on their id is an error."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from constructs import Construct

from ses_stack.settings.provider import PROVIDER_ID, SesSettingsProvider


def test_the_provider_is_created_once_per_stack() -> None:
    app = cdk.App()
    first, second = cdk.Stack(app, "First"), cdk.Stack(app, "Second")
    nested = Construct(first, "Deep")
    provider = SesSettingsProvider.of(nested)
    assert SesSettingsProvider.of(first) is provider
    assert provider.node.scope is first
    assert SesSettingsProvider.of(second) is not provider


def test_another_construct_on_the_reserved_id_is_refused() -> None:
    stack = cdk.Stack(cdk.App(), "Clash")
    Construct(stack, PROVIDER_ID)
    with pytest.raises(TypeError, match=f"the id '{PROVIDER_ID}' is reserved for ses_stack's SesSettingsProvider"):
        SesSettingsProvider.of(stack)
