"""CloudWatch alarm action: pauses sending on a configuration set and records why. Ships alone (boto3 only).

Invoked directly by the critical reputation alarms (Lambda alarm action). It only ever pauses: resuming is a
deliberate human step (see the README), and the recorded marker keeps the set paused across deployments.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Mapping
from typing import Any

import boto3
from botocore.config import Config

CLIENT_CONFIG = Config(retries={"mode": "standard", "max_attempts": 5})
logger = logging.getLogger("ses_pause")
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def pause(event: Mapping[str, Any], ses: Any, ssm: Any, configuration_set: str, marker: str) -> dict[str, Any]:
    """Pause ``configuration_set`` when the alarm in ``event`` is in ALARM; any other state changes nothing."""
    alarm = event.get("alarmData") or {}
    state = (alarm.get("state") or {}).get("value")
    name = alarm.get("alarmName", event.get("alarmArn", "unknown alarm"))
    if state != "ALARM":
        logger.info(json.dumps({"message": "not in alarm: nothing to do", "alarm": name, "state": state}))
        return {"paused": False}
    ses.put_configuration_set_sending_options(ConfigurationSetName=configuration_set, SendingEnabled=False)
    record = {
        "pausedAt": (alarm.get("state") or {}).get("timestamp") or event.get("time"),
        "alarm": name,
        "reason": (alarm.get("state") or {}).get("reason", ""),
    }
    # Written after the pause succeeded: the deployment guard re-applies a pause only when one happened.
    ssm.put_parameter(Name=marker, Value=json.dumps(record)[:4096], Type="String", Overwrite=True)
    logger.warning(
        json.dumps({"message": "paused sending on configuration set", "configurationSet": configuration_set, **record})
    )
    return {"paused": True, "configurationSet": configuration_set}


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    """Lambda entry point; errors propagate so the alarm action is retried and the failure is logged."""
    return pause(
        event,
        boto3.client("sesv2", config=CLIENT_CONFIG),
        boto3.client("ssm", config=CLIENT_CONFIG),
        os.environ["CONFIGURATION_SET_NAME"],
        os.environ["MARKER_PARAMETER_NAME"],
    )
