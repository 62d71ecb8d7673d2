"""feedback_id_tags: the message tags behind Gmail's Feedback-ID, accepted by SES's own request model."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack import feedback_id_tags


def test_the_campaign_and_category_become_the_reserved_tags() -> None:
    assert feedback_id_tags("spring-sale-2026", "newsletter") == [
        {"Name": "ses:feedback-id-a", "Value": "spring-sale-2026"},
        {"Name": "ses:feedback-id-b", "Value": "newsletter"},
    ]
    assert feedback_id_tags("welcome_series") == [{"Name": "ses:feedback-id-a", "Value": "welcome_series"}]


def test_sesv2_send_email_accepts_them() -> None:
    ses = boto3.client("sesv2", region_name="eu-west-1", aws_access_key_id="t", aws_secret_access_key="t")
    request = {
        "FromEmailAddress": "news@example.com",
        "Destination": {"ToAddresses": ["reader@example.net"]},
        "Content": {"Simple": {"Subject": {"Data": "Hi"}, "Body": {"Text": {"Data": "Hello"}}}},
        "EmailTags": feedback_id_tags("spring-sale-2026", "newsletter"),
    }
    with Stubber(ses) as stub:  # validates the request against SES's API model
        stub.add_response("send_email", {"MessageId": "m-1"}, request)
        assert ses.send_email(**request)["MessageId"] == "m-1"


@pytest.mark.parametrize(
    ("args", "setting", "value"),
    [
        (("",), "campaign", ""),
        (("spring sale",), "campaign", "spring sale"),
        (("a:b",), "campaign", "a:b"),  # Gmail's separator: SES refuses it in a tag value
        (("x" * 257,), "campaign", "x" * 257),
        (("ok", "caf\u00e9"), "category", "caf\u00e9"),
        (("ok", "line\n"), "category", "line\n"),
    ],
)
def test_values_ses_would_refuse_are_refused_here(args: tuple[Any, ...], setting: str, value: str) -> None:
    with pytest.raises(ValueError) as raised:
        feedback_id_tags(*args)
    assert str(raised.value).startswith(f"feedback_id_tags {setting}: must be 1-256 ASCII letters")
    assert str(raised.value).endswith(f"got {value!r}")


def test_the_helper_loads_without_aws_cdk() -> None:
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = "import sys; from ses_stack import feedback_id_tags; feedback_id_tags('a'); print('aws_cdk' in sys.modules)"
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
