"""Custom::SesDkimReplica (Deterministic Easy DKIM): exact SESv2 calls in both Regions (botocore Stubber)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.settings.runtime.dkim_replica import signing_origin
from tests.settings.runtime.answers import answer_to as run

TOKENS = ["abcdefghijklmnopqrstuvwxyz234567", "bcdefghijklmnopqrstuvwxyz2345672", "cdefghijklmnopqrstuvwxyz23456723"]


@dataclass
class Regions:
    clients: dict[str, Any]
    here: Stubber  # us-east-1, the replica's Region
    origin: Stubber  # eu-west-1, the primary
    asked: list[str]


@pytest.fixture
def regions() -> Iterator[Regions]:
    options = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    here = boto3.client("sesv2", region_name="us-east-1", **options)
    origin = boto3.client("sesv2", region_name="eu-west-1", **options)
    asked: list[str] = []

    def client_in(region: str) -> Any:
        asked.append(region)
        return {"eu-west-1": origin, "us-east-1": here}[region]

    with Stubber(here) as here_stub, Stubber(origin) as origin_stub:
        yield Regions({"sesv2": here, "sesv2_in": client_in}, here_stub, origin_stub, asked)
        here_stub.assert_no_pending_responses()
        origin_stub.assert_no_pending_responses()


def event(request_type: str = "Create", **properties: Any) -> dict[str, Any]:
    return {
        "RequestType": request_type,
        "ResourceType": "Custom::SesDkimReplica",
        "ResourceProperties": {
            "ServiceToken": "arn:f",
            "EmailIdentity": "example.com",
            "OriginRegion": "eu-west-1",
            **properties,
        },
        "ResponseURL": "https://example.invalid/",
        "StackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/SesStack-us-east-1/guid",
        "RequestId": "r-1",
        "LogicalResourceId": "examplecomDkimReplica",
    }


def identity(status: str = "SUCCESS", origin: str = "AWS_SES") -> dict[str, Any]:
    return {
        "IdentityType": "DOMAIN",
        "VerifiedForSendingStatus": status == "SUCCESS",
        "DkimAttributes": {
            "SigningEnabled": True,
            "Status": status,
            "Tokens": TOKENS,
            "SigningAttributesOrigin": origin,
        },
    }


def test_create_points_the_identity_at_the_origins_keys(regions: Regions) -> None:
    regions.origin.add_response("get_email_identity", identity(), {"EmailIdentity": "example.com"})
    regions.here.add_response("get_email_identity", identity(status="PENDING"), {"EmailIdentity": "example.com"})
    regions.here.add_response(
        "put_email_identity_dkim_signing_attributes",
        {"DkimStatus": "SUCCESS", "DkimTokens": TOKENS},
        {"EmailIdentity": "example.com", "SigningAttributesOrigin": "AWS_SES_EU_WEST_1"},
    )
    status, physical_id, data, _ = run(event(), regions.clients)
    assert (status, physical_id, data) == (
        "SUCCESS", "ses-dkim-replica:example.com", {"SigningAttributesOrigin": "AWS_SES_EU_WEST_1"}
    )  # fmt: skip
    assert regions.asked == ["eu-west-1"]


def test_a_retried_create_of_a_replica_already_in_place_changes_nothing(regions: Regions) -> None:
    regions.origin.add_response("get_email_identity", identity(), {"EmailIdentity": "example.com"})
    regions.here.add_response(
        "get_email_identity", identity(origin="AWS_SES_EU_WEST_1"), {"EmailIdentity": "example.com"}
    )
    assert run(event(), regions.clients)[0] == "SUCCESS"  # no put: the Stubber would refuse an unqueued call


def test_an_update_to_another_origin_replicates_that_region(regions: Regions) -> None:
    regions.clients["sesv2_in"] = lambda region: {"eu-central-1": regions.clients["sesv2_origin"]}[region]
    options = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    central = boto3.client("sesv2", region_name="eu-central-1", **options)
    regions.clients["sesv2_origin"] = central
    with Stubber(central) as central_stub:
        central_stub.add_response("get_email_identity", identity(), {"EmailIdentity": "example.com"})
        regions.here.add_response(
            "get_email_identity", identity(origin="AWS_SES_EU_WEST_1"), {"EmailIdentity": "example.com"}
        )
        regions.here.add_response(
            "put_email_identity_dkim_signing_attributes",
            {"DkimStatus": "SUCCESS", "DkimTokens": TOKENS},
            {"EmailIdentity": "example.com", "SigningAttributesOrigin": "AWS_SES_EU_CENTRAL_1"},
        )
        update = event("Update", OriginRegion="eu-central-1")
        update["PhysicalResourceId"] = "ses-dkim-replica:example.com"
        status, physical_id, data, _ = run(update, regions.clients)
        central_stub.assert_no_pending_responses()
    assert (status, physical_id, data["SigningAttributesOrigin"]) == (
        "SUCCESS", "ses-dkim-replica:example.com", "AWS_SES_EU_CENTRAL_1"
    )  # fmt: skip


def test_an_origin_not_verified_yet_fails_with_what_to_do_and_changes_nothing(regions: Regions) -> None:
    regions.origin.add_response("get_email_identity", identity(status="PENDING"), {"EmailIdentity": "example.com"})
    status, _, _, reason = run(event(), regions.clients)
    assert status == "FAILED"
    assert reason.startswith("OriginNotReadyError: example.com in eu-west-1 is not verified yet (DKIM PENDING): ")
    assert "waitForVerification" in reason


def test_a_missing_origin_identity_fails(regions: Regions) -> None:
    regions.origin.add_client_error(
        "get_email_identity",
        "NotFoundException",
        http_status_code=404,
        expected_params={"EmailIdentity": "example.com"},
    )
    status, _, _, reason = run(event(), regions.clients)
    assert (status, reason) == (
        "FAILED", "OriginNotReadyError: no identity example.com in eu-west-1 yet: deploy the eu-west-1 stack first"
    )  # fmt: skip


def test_an_origin_that_is_itself_a_replica_is_refused(regions: Regions) -> None:
    regions.origin.add_response(
        "get_email_identity", identity(origin="AWS_SES_US_WEST_2"), {"EmailIdentity": "example.com"}
    )
    status, _, _, reason = run(event(), regions.clients)
    assert status == "FAILED" and "signs with AWS_SES_US_WEST_2 keys" in reason


def test_delete_leaves_the_identity_as_it_is(regions: Regions) -> None:
    delete = event("Delete")
    delete["PhysicalResourceId"] = "ses-dkim-replica:example.com"
    assert run(delete, regions.clients)[:2] == ("SUCCESS", "ses-dkim-replica:example.com")
    assert regions.asked == []  # no call at all


@pytest.mark.parametrize(
    ("properties", "reason"),
    [
        ({"EmailIdentity": "not a domain"}, "EmailIdentity must be a domain name; got 'not a domain'"),
        ({"OriginRegion": "Europe"}, "OriginRegion must be a Region such as eu-west-1; got 'Europe'"),
        ({"OriginRegion": None}, "OriginRegion must be a Region such as eu-west-1; got 'None'"),
    ],
)
def test_bad_properties_fail_without_a_call(regions: Regions, properties: dict[str, Any], reason: str) -> None:
    status, _, _, why = run(event(**properties), regions.clients)
    assert (status, why) == ("FAILED", f"InvalidReplicaError: {reason}")
    assert regions.asked == []


def test_signing_origin_names_match_botocores_enum() -> None:
    model = boto3.client("sesv2", region_name="eu-west-1").meta.service_model
    allowed = model.shape_for("DkimSigningAttributesOrigin").enum
    assert signing_origin("eu-west-1") in allowed and signing_origin("ap-southeast-5") in allowed
