"""``Custom::SesDkimReplica``: Deterministic Easy DKIM (DEED). The identity of this Region signs with the Easy DKIM
keys of the same domain's identity in the origin (primary) Region, so the three DKIM CNAMEs published for the
origin serve every Region.

CloudFormation's ``AWS::SES::EmailIdentity`` cannot express it; the SESv2 API can:
``PutEmailIdentityDkimSigningAttributes(SigningAttributesOrigin=AWS_SES_<ORIGIN_REGION>)``. SES requires the origin
identity to be verified and to sign with its own Easy DKIM, so Create and Update read it first and fail, changing
nothing, while it is not (the message says what to do). Create and Update are idempotent: an identity already
replicating the origin is left alone. Delete leaves the identity as it is: reverting it to its own keys would give
it new DKIM tokens that no published CNAME matches (see docs/what-gets-created.md, "Deterministic Easy DKIM").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from botocore.exceptions import ClientError

DKIM_REPLICA = "Custom::SesDkimReplica"
_PREFIX = "ses-dkim-replica"
_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]$")
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$")


class InvalidReplicaError(ValueError):
    """Properties this resource cannot act on, or an origin identity DEED cannot replicate."""


class OriginNotReadyError(RuntimeError):
    """The origin identity does not exist or is not verified yet."""


def signing_origin(region: str) -> str:
    """``eu-west-1`` -> ``AWS_SES_EU_WEST_1`` (the value of ``SigningAttributesOrigin``)."""
    return "AWS_SES_" + region.upper().replace("-", "_")


def _identity(ses: Any, name: str) -> Mapping[str, Any] | None:
    try:
        found: Mapping[str, Any] = ses.get_email_identity(EmailIdentity=name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "NotFoundException":
            raise
        return None
    return found


def replicate(event: Mapping[str, Any], clients: Mapping[str, Any]) -> tuple[str, dict[str, str]]:
    properties = event.get("ResourceProperties") or {}
    identity, origin = properties.get("EmailIdentity"), properties.get("OriginRegion")
    if not isinstance(identity, str) or not _DOMAIN.match(identity.lower()):
        raise InvalidReplicaError(f"EmailIdentity must be a domain name; got {str(identity)[:80]!r}")
    if not isinstance(origin, str) or not _REGION.match(origin):
        raise InvalidReplicaError(f"OriginRegion must be a Region such as eu-west-1; got {str(origin)[:40]!r}")
    physical_id = f"{_PREFIX}:{identity.lower()}"
    if event["RequestType"] == "Delete":
        return str(event.get("PhysicalResourceId") or physical_id), {}
    wanted = signing_origin(origin)
    in_origin: Callable[[str], Any] = clients["sesv2_in"]
    parent = _identity(in_origin(origin), identity)
    if parent is None:
        raise OriginNotReadyError(f"no identity {identity} in {origin} yet: deploy the {origin} stack first")
    dkim = parent.get("DkimAttributes") or {}
    if dkim.get("SigningAttributesOrigin", "AWS_SES") != "AWS_SES":
        raise InvalidReplicaError(
            f"{identity} in {origin} signs with {dkim.get('SigningAttributesOrigin')} keys; DEED replicates only an "
            "identity that signs with its own Easy DKIM"
        )
    if dkim.get("Status") != "SUCCESS":
        raise OriginNotReadyError(
            f"{identity} in {origin} is not verified yet (DKIM {dkim.get('Status', 'unknown')}): publish its DKIM "
            f"CNAMEs and deploy again once verified (waitForVerification on the domain makes the {origin} deploy "
            "wait for it)"
        )
    ses = clients["sesv2"]
    own = _identity(ses, identity)
    if own is None:
        raise OriginNotReadyError(f"no identity {identity} in this Region: it is created before this resource")
    if (own.get("DkimAttributes") or {}).get("SigningAttributesOrigin") != wanted:
        ses.put_email_identity_dkim_signing_attributes(EmailIdentity=identity, SigningAttributesOrigin=wanted)
    return physical_id, {"SigningAttributesOrigin": wanted}
