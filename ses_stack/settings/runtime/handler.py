"""CloudFormation custom-resource provider for SES settings that have no resource type. Ships alone (boto3 only).

Resource types:
- ``Custom::SesAccountSuppression`` (``SuppressedReasons``): sets the account-level suppression list reasons
  (PutAccountSuppressionAttributes). The reasons in force before the first create are kept in the physical
  resource id, and put back on delete, rather than guessed.
- ``Custom::SesSendingPauseGuard`` (``ConfigurationSetName``, ``MarkerParameterName``, ``Fingerprint``): keeps a
  configuration set paused across deployments. When the reputation guard paused the set it wrote the marker
  parameter; whenever the set changes (the fingerprint changes), this runs after it and pauses it again.
"""

from __future__ import annotations

import json
import logging
import os
import urllib.request
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ACCOUNT_SUPPRESSION = "Custom::SesAccountSuppression"
PAUSE_GUARD = "Custom::SesSendingPauseGuard"
VALID_REASONS = ("BOUNCE", "COMPLAINT")
_PRIOR_PREFIX = "ses-account-suppression:prior="
CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})

logger = logging.getLogger("ses_settings")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

Clients = Mapping[str, Any]  # "sesv2" and "ssm" boto3 clients
Respond = Callable[[Mapping[str, Any], str, str, Mapping[str, str], str], None]


class InvalidRequestError(ValueError):
    """A request whose properties this provider cannot act on."""


def _reasons(properties: Mapping[str, Any]) -> list[str]:
    reasons = properties.get("SuppressedReasons")
    if not isinstance(reasons, list) or any(r not in VALID_REASONS for r in reasons):
        raise InvalidRequestError(f"SuppressedReasons must be a list of {', '.join(VALID_REASONS)}; got {reasons!r}")
    return sorted(set(reasons))


def _prior_from(physical_id: str) -> list[str] | None:
    if not physical_id.startswith(_PRIOR_PREFIX):
        return None  # the create never completed: nothing was changed, nothing to restore
    recorded = physical_id.removeprefix(_PRIOR_PREFIX)
    reasons = [] if recorded == "none" else recorded.split("+")
    return reasons if all(r in VALID_REASONS for r in reasons) else None


def account_suppression(event: Mapping[str, Any], clients: Clients) -> tuple[str, dict[str, str]]:
    ses = clients["sesv2"]
    request = event["RequestType"]
    if request == "Delete":
        prior = _prior_from(str(event.get("PhysicalResourceId", "")))
        if prior is not None:
            ses.put_account_suppression_attributes(SuppressedReasons=prior)
            logger.info(json.dumps({"message": "restored account suppression", "reasons": prior}))
        return str(event.get("PhysicalResourceId", "")), {}
    desired = _reasons(event.get("ResourceProperties", {}))
    if request == "Create":
        current = ses.get_account().get("SuppressionAttributes", {}).get("SuppressedReasons", [])
        physical_id = _PRIOR_PREFIX + ("+".join(sorted(current)) or "none")
    else:
        physical_id = str(event["PhysicalResourceId"])  # keeps the value recorded at create
    ses.put_account_suppression_attributes(SuppressedReasons=desired)
    logger.info(json.dumps({"message": "set account suppression", "reasons": desired}))
    return physical_id, {"SuppressedReasons": ",".join(desired)}


def pause_guard(event: Mapping[str, Any], clients: Clients) -> tuple[str, dict[str, str]]:
    properties = event.get("ResourceProperties", {})
    name, marker = properties.get("ConfigurationSetName"), properties.get("MarkerParameterName")
    if not isinstance(name, str) or not name or not isinstance(marker, str) or not marker:
        raise InvalidRequestError("ConfigurationSetName and MarkerParameterName are required")
    physical_id = f"ses-sending-pause-guard:{name}"
    ssm = clients["ssm"]
    if event["RequestType"] == "Delete":
        try:
            ssm.delete_parameter(Name=marker)
        except ClientError as error:
            if error.response["Error"]["Code"] != "ParameterNotFound":
                raise
        return str(event.get("PhysicalResourceId", physical_id)), {}
    try:
        paused_by = ssm.get_parameter(Name=marker)["Parameter"]["Value"]
    except ClientError as error:
        if error.response["Error"]["Code"] != "ParameterNotFound":
            raise
        return physical_id, {"Paused": "false"}
    clients["sesv2"].put_configuration_set_sending_options(ConfigurationSetName=name, SendingEnabled=False)
    logger.warning(
        json.dumps({"message": "configuration set kept paused", "configurationSet": name, "pausedBy": paused_by})
    )
    return physical_id, {"Paused": "true"}


HANDLERS: dict[str, Callable[[Mapping[str, Any], Clients], tuple[str, dict[str, str]]]] = {
    ACCOUNT_SUPPRESSION: account_suppression,
    PAUSE_GUARD: pause_guard,
}


def process(event: Mapping[str, Any], clients: Clients, respond: Respond) -> None:
    """Handle one request and always answer CloudFormation (an unanswered request hangs the stack for an hour)."""
    fallback_id = str(event.get("PhysicalResourceId") or event.get("LogicalResourceId") or "ses-settings")
    try:
        resource_handler = HANDLERS.get(str(event.get("ResourceType")))
        if resource_handler is None:
            raise InvalidRequestError(f"unsupported resource type {event.get('ResourceType')!r}")
        physical_id, data = resource_handler(event, clients)
    except Exception as error:
        logger.error(
            json.dumps(
                {
                    "message": "request failed",
                    "requestType": event.get("RequestType"),
                    "resourceType": event.get("ResourceType"),
                    "error": str(error),
                }
            )
        )
        respond(event, "FAILED", fallback_id, {}, f"{type(error).__name__}: {error}"[:1000])
        return
    respond(event, "SUCCESS", physical_id, data, "")


def send_response(
    event: Mapping[str, Any], status: str, physical_id: str, data: Mapping[str, str], reason: str
) -> None:
    """PUT the result to the pre-signed ResponseURL CloudFormation gave."""
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason or "See the provider function's log",
            "PhysicalResourceId": physical_id,
            "StackId": event["StackId"],
            "RequestId": event["RequestId"],
            "LogicalResourceId": event["LogicalResourceId"],
            "Data": dict(data),
        }
    ).encode()
    request = urllib.request.Request(
        event["ResponseURL"], data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def handler(event: Mapping[str, Any], context: Any) -> None:
    """Lambda entry point (the ServiceToken of every custom resource above)."""
    clients = {"sesv2": boto3.client("sesv2", config=CLIENT_CONFIG), "ssm": boto3.client("ssm", config=CLIENT_CONFIG)}
    process(event, clients, send_response)
