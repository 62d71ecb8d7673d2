"""What the live checks share: the AWS clients of a Region and SES's not-found answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError


@dataclass(frozen=True)
class Clients:
    """The AWS clients of one Region."""

    sesv2: Any
    sns: Any
    origin_sesv2: Any = None
    """With Deterministic Easy DKIM in a secondary Region: the primary Region's SESv2 client."""


def error_code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


def if_exists(operation: Callable[..., Mapping[str, Any]], **params: Any) -> Mapping[str, Any] | None:
    """The operation's response, or None when SES answers NotFoundException."""
    try:
        return operation(**params)
    except ClientError as error:
        if error_code(error) == "NotFoundException":
            return None
        raise
