"""CloudWatch alarm action: pauses sending on a configuration set and records why. Ships alone (boto3 only).

Invoked directly by the critical reputation alarms (Lambda alarm action). It only ever pauses: resuming is a
deliberate human step (see docs/what-gets-created.md), and the recorded marker keeps the set paused across deployments.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config

CLIENT_CONFIG = Config(retries={"mode": "standard", "total_max_attempts": 5}, connect_timeout=3, read_timeout=5)
logger = logging.getLogger("ses_pause")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def _field(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else None


def pause(event: Any, ses: Any, ssm: Any, configuration_set: str, marker: str) -> dict[str, Any]:
    """Pause ``configuration_set`` when the alarm in ``event`` is in ALARM; any other state changes nothing.

    An event this function cannot read is logged and changes nothing (CloudWatch's alarm actions always send the
    documented shape; retrying an unreadable event cannot help). A failed SES or SSM call raises: Lambda retries the
    alarm action, and the reputation guard's PauseFailed alarm tells operators that sending may not be paused.
    """
    alarm = _field(event, "alarmData")
    state = _field(alarm, "state")
    value = _field(state, "value")
    name = str(_field(alarm, "alarmName") or _field(event, "alarmArn") or "unknown alarm")[:256]
    if not isinstance(value, str):
        logger.error(json.dumps({"message": "unreadable alarm event: nothing paused", "alarm": name}))
        return {"paused": False, "error": "unreadable alarm event"}
    if value != "ALARM":
        logger.info(json.dumps({"message": "not in alarm: nothing to do", "alarm": name, "state": value[:40]}))
        return {"paused": False}
    ses.put_configuration_set_sending_options(ConfigurationSetName=configuration_set, SendingEnabled=False)
    record = {
        "pausedAt": str(_field(state, "timestamp") or _field(event, "time") or ""),
        "alarm": name,
        "reason": str(_field(state, "reason") or "")[:2000],
    }
    # Written after the pause succeeded: the deployment guard re-applies a pause only when one happened.
    ssm.put_parameter(Name=marker, Value=json.dumps(record)[:4096], Type="String", Overwrite=True)
    logger.warning(
        json.dumps({"message": "paused sending on configuration set", "configurationSet": configuration_set, **record})
    )
    return {"paused": True, "configurationSet": configuration_set}


def handler(event: Any, context: Any) -> dict[str, Any]:
    """Lambda entry point; AWS errors propagate so the alarm action is retried and counted in ``Errors``."""
    return pause(
        event,
        boto3.client("sesv2", config=CLIENT_CONFIG),
        boto3.client("ssm", config=CLIENT_CONFIG),
        os.environ["CONFIGURATION_SET_NAME"],
        os.environ["MARKER_PARAMETER_NAME"],
    )
