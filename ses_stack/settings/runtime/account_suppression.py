"""``Custom::SesAccountSuppression``: the account-level suppression reasons and, when asked, Auto Validation.

Properties: ``SuppressedReasons``, ``PriorParameterName`` and, optionally, ``ValidationThreshold`` (MEDIUM, HIGH or
MANAGED). The reasons in force before the first Create are kept in the physical resource id and put back on
Delete. Create is idempotent: the prior state is written to the ``PriorParameterName`` SSM parameter, with the
request id, before the account is changed, so a retried Create never records its own write. The Auto Validation in
force before the stack first set it is recorded in the same parameter (``priorValidation``) before it is changed,
and put back when the stack stops setting it or the resource is deleted. When the stack does not set it, every
write passes the account's current value on, so a setting made elsewhere is never reset.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from botocore.exceptions import ClientError

ACCOUNT_SUPPRESSION = "Custom::SesAccountSuppression"
VALID_REASONS = ("BOUNCE", "COMPLAINT")
VALID_THRESHOLDS = ("MEDIUM", "HIGH", "MANAGED")
PRIOR_PREFIX = "ses-account-suppression:prior="
PRIOR_VALIDATION = "priorValidation"
DISABLED: dict[str, Any] = {"ConditionThreshold": {"ConditionThresholdEnabled": "DISABLED"}}
"""What restoring an account that had no Auto Validation writes."""

logger = logging.getLogger("ses_settings")
Clients = Mapping[str, Any]


class InvalidRequestError(ValueError):
    """A request whose properties this provider cannot act on."""


def reasons_of(properties: Mapping[str, Any]) -> list[str]:
    reasons = properties.get("SuppressedReasons")
    if not isinstance(reasons, list) or any(r not in VALID_REASONS for r in reasons):
        raise InvalidRequestError(f"SuppressedReasons must be a list of {', '.join(VALID_REASONS)}; got {reasons!r}")
    return sorted(set(reasons))


def threshold_of(properties: Mapping[str, Any]) -> str | None:
    threshold = properties.get("ValidationThreshold")
    if threshold is not None and threshold not in VALID_THRESHOLDS:
        allowed = ", ".join(VALID_THRESHOLDS)
        raise InvalidRequestError(f"ValidationThreshold must be one of {allowed}; got {threshold!r}")
    return threshold if isinstance(threshold, str) else None


def validation_attributes(threshold: str) -> dict[str, Any]:
    return {
        "ConditionThreshold": {
            "ConditionThresholdEnabled": "ENABLED",
            "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": threshold},
        }
    }


def _prior_from(physical_id: str) -> list[str] | None:
    if not physical_id.startswith(PRIOR_PREFIX):
        return None  # the create never completed: nothing was changed, nothing to restore
    recorded = physical_id.removeprefix(PRIOR_PREFIX)
    reasons = [] if recorded == "none" else recorded.split("+")
    return reasons if all(r in VALID_REASONS for r in reasons) else None


def _parameter(ssm: Any, name: str) -> dict[str, Any] | None:
    """The parameter's JSON object, or None when it does not exist (or holds something else)."""
    try:
        value = str(ssm.get_parameter(Name=name)["Parameter"]["Value"])
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise
        return None
    try:
        stored = json.loads(value)
    except ValueError:
        return None
    return stored if isinstance(stored, dict) else None


def _write(ssm: Any, name: str, value: Mapping[str, Any]) -> None:
    ssm.put_parameter(Name=name, Value=json.dumps(value), Type="String", Overwrite=True)


def delete_parameter(ssm: Any, name: str) -> None:
    try:
        ssm.delete_parameter(Name=name)
    except ClientError as error:
        if error.response.get("Error", {}).get("Code") != "ParameterNotFound":
            raise


def _account_state(clients: Clients) -> tuple[list[str], dict[str, Any] | None]:
    attributes = clients["sesv2"].get_account().get("SuppressionAttributes") or {}
    validation = attributes.get("ValidationAttributes")
    return sorted(attributes.get("SuppressedReasons") or []), (validation if isinstance(validation, dict) else None)


def _put(
    clients: Clients, reasons: list[str], validation: dict[str, Any] | None, message: str = "set account suppression"
) -> None:
    extra = {"ValidationAttributes": validation} if validation is not None else {}
    clients["sesv2"].put_account_suppression_attributes(SuppressedReasons=reasons, **extra)
    logger.info(json.dumps({"message": message, "reasons": reasons, "validation": validation}))


def _restored(record: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """The Auto Validation to put back: the recorded prior (DISABLED when there was none), or None when nothing
    was recorded (the stack never set it)."""
    if record is None or PRIOR_VALIDATION not in record:
        return None
    prior = record[PRIOR_VALIDATION]
    return prior if isinstance(prior, dict) else DISABLED


def account_suppression(event: Mapping[str, Any], clients: Clients) -> tuple[str, dict[str, str]]:
    request = event["RequestType"]
    properties = event.get("ResourceProperties", {})
    parameter = properties.get("PriorParameterName")
    has_parameter = isinstance(parameter, str) and bool(parameter)
    if request == "Delete":
        return _delete(event, clients, parameter if has_parameter else None)
    desired, threshold = reasons_of(properties), threshold_of(properties)
    if not has_parameter and (request == "Create" or threshold is not None):
        raise InvalidRequestError("PriorParameterName is required")
    reasons_now, validation_now = _account_state(clients)
    record = _parameter(clients["ssm"], parameter) if has_parameter else None
    forget = False
    if request == "Create":
        request_id = str(event.get("RequestId", ""))
        retried = record is not None and record.get("requestId") == request_id and isinstance(record.get("prior"), list)
        if record is None or not retried:  # recorded before anything changes: a retry never records its own write
            record = {"requestId": request_id, "prior": reasons_now}
            if threshold is not None:
                record[PRIOR_VALIDATION] = validation_now
            _write(clients["ssm"], parameter, record)
        physical_id = PRIOR_PREFIX + ("+".join(str(r) for r in record["prior"]) or "none")
    else:
        physical_id = str(event["PhysicalResourceId"])  # keeps the reasons recorded at create
        record = record or {}
        if threshold is not None and PRIOR_VALIDATION not in record:  # first set by this update: record it first
            record = {**record, PRIOR_VALIDATION: validation_now}
            _write(clients["ssm"], parameter, record)
        elif threshold is None and PRIOR_VALIDATION in record:  # the stack stops setting it: put the prior back
            validation_now, forget = _restored(record), True
    _put(clients, desired, validation_attributes(threshold) if threshold is not None else validation_now)
    if forget:  # the prior is forgotten only once it is back
        _write(clients["ssm"], parameter, {k: v for k, v in record.items() if k != PRIOR_VALIDATION})
    data = {"SuppressedReasons": ",".join(desired)}
    return physical_id, ({**data, "ValidationThreshold": threshold} if threshold is not None else data)


def _delete(event: Mapping[str, Any], clients: Clients, parameter: str | None) -> tuple[str, dict[str, str]]:
    physical_id = str(event.get("PhysicalResourceId", ""))
    prior = _prior_from(physical_id)
    if prior is not None:
        record = _parameter(clients["ssm"], parameter) if parameter else None
        restored = _restored(record)
        if restored is None:  # the stack never set Auto Validation: pass the account's own value on
            restored = _account_state(clients)[1]
        _put(clients, prior, restored, "restored account suppression")
    if parameter:
        delete_parameter(clients["ssm"], parameter)
    return physical_id, {}
