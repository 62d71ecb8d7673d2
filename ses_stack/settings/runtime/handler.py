"""CloudFormation custom-resource provider for SES settings that have no resource type. Ships alone (boto3 only).

Resource types:
- ``Custom::SesAccountSuppression`` (``SuppressedReasons``, ``PriorParameterName``, ``ValidationThreshold``): the
  account-level suppression reasons and Auto Validation; see ``account_suppression``.
- ``Custom::SesSendingPauseGuard`` (``ConfigurationSetName``, ``MarkerParameterName``, ``Fingerprint``): keeps a
  configuration set paused across deployments. When the reputation guard paused the set it wrote the marker
  parameter; whenever the set changes (the fingerprint changes), this runs after it and pauses it again. Its
  physical id depends on the marker only, so renaming the set is an update, not a replacement: the cleanup Delete
  CloudFormation sends for a replaced resource never removes the marker.

- ``Custom::SesRecordTakeover`` (``HostedZoneId``, ``Records``): see ``takeover``.
- ``Custom::SesDkimReplica`` (``EmailIdentity``, ``OriginRegion``): Deterministic Easy DKIM; see ``dkim_replica``.

Every request gets an answer (an unanswered one holds the stack until its ServiceTimeout), before the function's own
timeout whatever its calls do; a request type, or a resource type this function does not serve (its
``RESOURCE_TYPES``: each kind of resource has its own function and role), is answered FAILED without any other call.
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

if __package__:  # imported as ses_stack.settings.runtime.handler (tests)
    from .account_suppression import ACCOUNT_SUPPRESSION, InvalidRequestError, account_suppression, delete_parameter
    from .deadline import within
    from .dkim_replica import DKIM_REPLICA, replicate
    from .takeover import TAKEOVER, take_over
else:  # pragma: no cover - in Lambda the code folder is the import root
    from account_suppression import (  # type: ignore[import-not-found,no-redef]
        ACCOUNT_SUPPRESSION,
        InvalidRequestError,
        account_suppression,
        delete_parameter,
    )
    from deadline import within  # type: ignore[import-not-found,no-redef]
    from dkim_replica import DKIM_REPLICA, replicate  # type: ignore[import-not-found,no-redef]
    from takeover import TAKEOVER, take_over  # type: ignore[import-not-found,no-redef]

PAUSE_GUARD = "Custom::SesSendingPauseGuard"
_GUARD_PREFIX = "ses-sending-pause-guard"
REQUEST_TYPES = ("Create", "Update", "Delete")
# At most 3 attempts per call, each bounded: the function (2 minutes) answers well inside the ServiceTimeout.
CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 3}, connect_timeout=3, read_timeout=10)
RESPONSE_TIMEOUT_S = 10.0
ANSWER_S = RESPONSE_TIMEOUT_S + 5  # kept back from the function's time to answer CloudFormation

logger = logging.getLogger("ses_settings")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))

Clients = Mapping[str, Any]  # "sesv2", "ssm", "route53", "cloudformation" clients; "sesv2_in": Region -> client
Respond = Callable[[Mapping[str, Any], str, str, Mapping[str, str], str], None]


def _parameter(ssm: Any, name: str) -> str | None:
    """The parameter's value, or None when it does not exist."""
    try:
        return str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return None


def pause_guard(event: Mapping[str, Any], clients: Clients) -> tuple[str, dict[str, str]]:
    properties = event.get("ResourceProperties", {})
    name, marker = properties.get("ConfigurationSetName"), properties.get("MarkerParameterName")
    if not isinstance(name, str) or not name or not isinstance(marker, str) or not marker:
        raise InvalidRequestError("ConfigurationSetName and MarkerParameterName are required")
    # Stable across renames of the set: an update, never a replacement whose cleanup Delete would drop the marker.
    physical_id = f"{_GUARD_PREFIX}:{marker}"
    ssm = clients["ssm"]
    if event["RequestType"] == "Delete":
        if event.get("PhysicalResourceId") == physical_id:  # the stack (or this guard) is going away
            delete_parameter(ssm, marker)
        return str(event.get("PhysicalResourceId", physical_id)), {}
    paused_by = _parameter(ssm, marker)
    if paused_by is None:
        return physical_id, {"Paused": "false"}
    clients["sesv2"].put_configuration_set_sending_options(ConfigurationSetName=name, SendingEnabled=False)
    logger.warning(
        json.dumps({"message": "configuration set kept paused", "configurationSet": name, "pausedBy": paused_by})
    )
    return physical_id, {"Paused": "true"}


HANDLERS: dict[str, Callable[[Mapping[str, Any], Clients], tuple[str, dict[str, str]]]] = {  # the provider's
    ACCOUNT_SUPPRESSION: account_suppression,
    PAUSE_GUARD: pause_guard,
    TAKEOVER: take_over,
    DKIM_REPLICA: replicate,
}


Handler = Callable[[Mapping[str, Any], Clients], tuple[str, dict[str, str]]]


def process(
    event: Mapping[str, Any],
    clients: Clients,
    respond: Respond,
    handlers: Mapping[str, Handler] | None = None,
    deadline_s: float | None = None,
) -> None:
    """Handle one request and always answer CloudFormation (an unanswered request holds the stack): within
    ``deadline_s`` seconds when given, whatever the calls it makes do (an answer dripping in included)."""
    fallback_id = str(event.get("PhysicalResourceId") or event.get("LogicalResourceId") or "ses-settings")
    try:
        if event.get("RequestType") not in REQUEST_TYPES:
            raise InvalidRequestError(f"unsupported request type {str(event.get('RequestType'))[:40]!r}")
        resource_type = str(event.get("ResourceType"))
        resource_handler = (HANDLERS if handlers is None else handlers).get(resource_type)
        if resource_handler is None and event["RequestType"] == "Delete" and resource_type in HANDLERS:
            # A resource this function served before each kind got its own (a takeover or DKIM replica of an
            # earlier version, replaced by one on its new function): its clean-up Delete has nothing to undo.
            respond(event, "SUCCESS", fallback_id, {}, "")
            return
        if resource_handler is None:
            raise InvalidRequestError(f"unsupported resource type {str(event.get('ResourceType'))[:80]!r}")
        if deadline_s is None:
            physical_id, data = resource_handler(event, clients)
        else:
            physical_id, data = within(deadline_s, lambda: resource_handler(event, clients), "the request")
    except Exception as error:
        logger.error(
            json.dumps(
                {
                    "message": "request failed",
                    "requestType": str(event.get("RequestType"))[:40],
                    "resourceType": str(event.get("ResourceType"))[:80],
                    "error": str(error)[:1000],
                }
            )
        )
        respond(event, "FAILED", fallback_id, {}, f"{type(error).__name__}: {error}"[:1000])
        return
    respond(event, "SUCCESS", physical_id, data, "")


def send_response(
    event: Mapping[str, Any], status: str, physical_id: str, data: Mapping[str, str], reason: str
) -> None:
    """PUT the result to the pre-signed ResponseURL CloudFormation gave. Missing ids are sent empty (CloudFormation
    then refuses the answer, but the attempt is logged); without a ResponseURL there is no one to answer."""
    url = event.get("ResponseURL")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        logger.error(json.dumps({"message": "no ResponseURL: cannot answer", "status": status}))
        return
    body = json.dumps(
        {
            "Status": status,
            "Reason": reason or "See the provider function's log",
            "PhysicalResourceId": physical_id,
            "StackId": str(event.get("StackId", "")),
            "RequestId": str(event.get("RequestId", "")),
            "LogicalResourceId": str(event.get("LogicalResourceId", "")),
            "Data": dict(data),
        }
    ).encode()
    request = urllib.request.Request(
        url, data=body, method="PUT", headers={"Content-Type": "", "Content-Length": str(len(body))}
    )

    def put() -> None:
        with urllib.request.urlopen(request, timeout=RESPONSE_TIMEOUT_S) as response:
            response.read()

    within(RESPONSE_TIMEOUT_S, put, "the answer to CloudFormation")  # a failure raises: Lambda retries the request


def handler(event: Any, context: Any) -> None:
    """Lambda entry point (the ServiceToken of every custom resource above)."""
    if not isinstance(event, Mapping):
        logger.error(json.dumps({"message": "the event is not an object: nothing to answer"}))
        return
    clients: dict[str, Any] = {
        service: boto3.client(service, config=CLIENT_CONFIG)
        for service in ("sesv2", "ssm", "route53", "cloudformation")
    }
    clients["sesv2_in"] = lambda region: boto3.client("sesv2", region_name=region, config=CLIENT_CONFIG)
    remaining = getattr(context, "get_remaining_time_in_millis", None)
    process(
        event,
        clients,
        send_response,
        handlers=own_handlers(os.environ.get("RESOURCE_TYPES", "")),
        deadline_s=remaining() / 1000 - ANSWER_S if callable(remaining) else None,
    )


def own_handlers(resource_types: str) -> dict[str, Handler]:
    """The handlers of the resource types this function serves (``RESOURCE_TYPES``, comma-separated): an event
    of another type gets FAILED, never the permissions of this function's role."""
    wanted = {t.strip() for t in resource_types.split(",") if t.strip()}
    return {t: h for t, h in HANDLERS.items() if t in wanted}
