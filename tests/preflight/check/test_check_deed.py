"""ses-preflight check in a secondary Region with Deterministic Easy DKIM: a replica of the primary's keys passes,
an identity signing with its own keys warns with the command that fixes it."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from tests.preflight.conftest import CONFIG, FakeAccount, Run, good_account, good_zone, responses_with

PRIMARY = good_account()["get_email_identity"]  # the primary's identity, with the tokens the zone publishes


def signing_with(origin: str) -> Callable[[dict[str, Any]], None]:
    def change(responses: dict[str, Any]) -> None:
        responses["get_email_identity"]["DkimAttributes"]["SigningAttributesOrigin"] = origin

    return change


@pytest.mark.parametrize(
    ("origin", "deed", "status", "evidence"),
    [
        ("AWS_SES_EU_WEST_1", True, "pass",
         "example.com verified and signing with the primary Region's Easy DKIM keys (AWS_SES_EU_WEST_1, "
         "Deterministic Easy DKIM), the primary's 3 CNAMEs resolve"),
        ("AWS_SES", True, "warn",
         "example.com signs with its own keys, not the primary's (AWS_SES_EU_WEST_1): this Region needs DKIM CNAMEs "
         "of its own"),
        ("AWS_SES_US_WEST_2", True, "warn", "example.com signs with AWS_SES_US_WEST_2 keys, not the primary's"),
        ("AWS_SES", False, "pass", "example.com verified, Easy DKIM RSA_2048_BIT status SUCCESS"),
    ],
    ids=["replica", "own-keys", "another-origin", "without-deed"],
)  # fmt: skip
def test_a_secondary_regions_dkim_origin_is_checked(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    origin: str,
    deed: bool,
    status: str,
    evidence: str,
) -> None:
    data = copy.deepcopy(CONFIG)
    data["regions"] = ["eu-west-1", "us-east-1"]
    data["deterministicEasyDkim"] = deed
    account.queue_check(responses_with(signing_with(origin)), origin_identity=PRIMARY if deed else None)
    path = str(config_file(data))
    result = run_cli(
        "check", "--config", path, "--region", "us-east-1", "--nameserver", serve_zone(good_zone()), "--json"
    )
    (region,) = result.json()
    (dkim,) = [i for i in region["items"] if i["item"] == "domain_dkim"]
    assert (dkim["status"], dkim["evidence"][: len(evidence)]) == (status, evidence)
    if status == "warn":
        assert dkim["fix"].startswith(
            "aws sesv2 put-email-identity-dkim-signing-attributes --region us-east-1 --email-identity example.com "
            "--signing-attributes-origin AWS_SES_EU_WEST_1"
        )


UNPUBLISHED = copy.deepcopy(PRIMARY)
UNPUBLISHED["DkimAttributes"]["Tokens"] = ["zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz2"] * 3  # not in the zone


@pytest.mark.parametrize(
    ("primary", "evidence"),
    [(UNPUBLISHED, "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz2._domainkey.example.com"),
     (False, "no identity in the primary Region")],
    ids=["primary-cnames-unpublished", "no-primary-identity"],
)  # fmt: skip
def test_a_replica_fails_without_the_primarys_published_keys(
    account: FakeAccount,
    run_cli: Callable[..., Run],
    config_file: Callable[..., Any],
    serve_zone: Callable[..., str],
    primary: Any,
    evidence: str,
) -> None:
    data = copy.deepcopy(CONFIG)
    data["regions"] = ["eu-west-1", "us-east-1"]
    data["deterministicEasyDkim"] = True
    account.queue_check(responses_with(signing_with("AWS_SES_EU_WEST_1")), origin_identity=primary)
    path = str(config_file(data))
    result = run_cli(
        "check", "--config", path, "--region", "us-east-1", "--nameserver", serve_zone(good_zone()), "--json"
    )
    (region,) = result.json()
    (dkim,) = [i for i in region["items"] if i["item"] == "domain_dkim"]
    assert dkim["status"] == "fail" and evidence in dkim["evidence"]
