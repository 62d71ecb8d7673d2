"""Whether a string holds a CDK token, answered in Python.

``Token.is_unresolved`` is a call into the jsii kernel; a string token reaches Python encoded as ``${Token[...]}``
(aws-cdk-lib's ``BEGIN_STRING_TOKEN_MARKER``, key characters ``a-zA-Z0-9:._-``), so constructs that check every
name can look for that marker instead. ``tests/_cdk/test_tokens.py`` holds it to ``Token.is_unresolved``.
"""

from __future__ import annotations

import re

_STRING_TOKEN = re.compile(r"\$\{Token\[[a-zA-Z0-9:._-]+\]\}")


def has_token(value: str) -> bool:
    """Whether ``value`` holds a CDK token (a CloudFormation attribute, parameter or lazy value)."""
    return "${Token[" in value and _STRING_TOKEN.search(value) is not None
