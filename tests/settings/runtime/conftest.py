"""Stubbed SES and SSM clients for the settings provider's tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber


@pytest.fixture
def clients() -> Iterator[tuple[dict[str, Any], Stubber, Stubber]]:
    options = {"region_name": "eu-west-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    ses, ssm = boto3.client("sesv2", **options), boto3.client("ssm", **options)
    with Stubber(ses) as ses_stub, Stubber(ssm) as ssm_stub:
        yield {"sesv2": ses, "ssm": ssm}, ses_stub, ssm_stub
        ses_stub.assert_no_pending_responses()
        ssm_stub.assert_no_pending_responses()
