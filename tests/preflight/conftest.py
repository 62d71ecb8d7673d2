"""A live account as botocore Stubber responses, its DNS as a real server on loopback, and the CLI run against both."""

from __future__ import annotations

import copy
import io
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.preflight import cli
from ses_stack.preflight.aws.clients import Aws
from ses_stack.preflight.check.live import Clients
from tests.preflight.dns_server import ZoneResolver, running_dns_server

# Every subcommand run by the tests may only make the calls iam.CALLS lists for it (iam-policy prints them).
os.environ["SES_PREFLIGHT_STRICT_CALLS"] = "1"

REGION = "eu-west-1"
SET = "ses-default-set"
TOPIC = "arn:aws:sns:eu-west-1:123456789012:SesStack-eu-west-1-FeedbackTopic"
TOKENS = ["abcdefghijklmnopqrstuvwxyz234567", "bcdefghijklmnopqrstuvwxyz2345672", "cdefghijklmnopqrstuvwxyz23456723"]

HIGH_VALIDATION = {
    "ConditionThreshold": {
        "ConditionThresholdEnabled": "ENABLED",
        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "HIGH"},
    }
}

CONFIG: dict[str, Any] = {
    "regions": [REGION],
    "domains": [
        {
            "name": "example.com",
            "hostedZoneId": "Z0123456789ABCDEFGHIJ",
            "dmarc": {"policy": "quarantine", "rua": ["dmarc@example.com"]},
        }
    ],
    "contactList": {
        "name": "newsletter",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
    },
    "configurationSet": {"autoValidation": "HIGH"},
    "productionAccess": {
        "mailType": "MARKETING",
        "websiteUrl": "https://example.com",
        "additionalContactEmails": ["ops@example.com"],
        "useCase": "A monthly newsletter and account notifications for about 20,000 customers.",
        "recipientSource": "Customers subscribe on example.com with double opt-in; we never buy lists.",
    },
}


def good_zone() -> list[tuple[str, str, str]]:
    return [
        *[(f"{t}._domainkey.example.com", "CNAME", f"{t}.dkim.amazonses.com.") for t in TOKENS],
        ("mail.example.com", "MX", "10 feedback-smtp.eu-west-1.amazonses.com."),
        ("mail.example.com", "TXT", '"v=spf1 include:amazonses.com ~all"'),
        ("_dmarc.example.com", "TXT", '"v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"'),
        ("example.com", "MX", "10 inbound.example.com."),
        ("example.com", "TXT", '"google-site-verification=abc"'),
        # what include:amazonses.com expands to, so SPF validation resolves it here
        ("amazonses.com", "TXT", '"v=spf1 ip4:199.255.192.0/22 ip4:199.127.232.0/22 ~all"'),
    ]


def good_account() -> dict[str, Any]:
    """Every response the live check reads, keyed by operation."""
    return {
        "get_email_identity": {
            "IdentityType": "DOMAIN",
            "VerifiedForSendingStatus": True,
            "VerificationStatus": "SUCCESS",
            "FeedbackForwardingStatus": False,
            "DkimAttributes": {
                "SigningEnabled": True,
                "Status": "SUCCESS",
                "Tokens": list(TOKENS),
                "SigningHostedZone": "dkim.amazonses.com",
                "SigningAttributesOrigin": "AWS_SES",
                "CurrentSigningKeyLength": "RSA_2048_BIT",
                "NextSigningKeyLength": "RSA_2048_BIT",
            },
            "MailFromAttributes": {
                "MailFromDomain": "mail.example.com",
                "MailFromDomainStatus": "SUCCESS",
                "BehaviorOnMxFailure": "REJECT_MESSAGE",
            },
            "ConfigurationSetName": SET,
        },
        "get_account": {
            "ProductionAccessEnabled": False,
            "SendingEnabled": True,
            "EnforcementStatus": "HEALTHY",
            "DedicatedIpAutoWarmupEnabled": False,
            "SendQuota": {"Max24HourSend": 200.0, "MaxSendRate": 1.0, "SentLast24Hours": 3.0},
            "SuppressionAttributes": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"]},
        },
        "get_configuration_set_event_destinations": {
            "EventDestinations": [
                {
                    "Name": "FeedbackEventDestination",
                    "Enabled": True,
                    "MatchingEventTypes": ["BOUNCE", "COMPLAINT", "SUBSCRIPTION"],
                    "SnsDestination": {"TopicArn": TOPIC},
                }
            ]
        },
        "list_subscriptions_by_topic": {
            "Subscriptions": [
                {
                    "SubscriptionArn": f"{TOPIC}:0f6a4c1e-1111-2222-3333-444455556666",
                    "Owner": "123456789012",
                    "Protocol": "sqs",
                    "Endpoint": "arn:aws:sqs:eu-west-1:123456789012:SesStack-FeedbackQueue",
                    "TopicArn": TOPIC,
                }
            ]
        },
        "get_configuration_set": {
            "ConfigurationSetName": SET,
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"], "ValidationOptions": HIGH_VALIDATION},
            "DeliveryOptions": {"TlsPolicy": "REQUIRE"},
        },
        "list_contact_lists": {"ContactLists": [{"ContactListName": "newsletter"}]},
        "get_contact_list": {
            "ContactListName": "newsletter",
            "Topics": [{"TopicName": "news", "DisplayName": "News", "DefaultSubscriptionStatus": "OPT_OUT"}],
        },
    }


@dataclass
class FakeAccount:
    """Queues the responses in the order the live check asks for them (Stubber enforces order and parameters)."""

    ses: Any
    sns: Any
    ses_stub: Stubber
    sns_stub: Stubber
    extra_ses: list[tuple[str, dict[str, Any], dict[str, Any] | None]] = field(default_factory=list)

    def queue_check(
        self, responses: dict[str, Any], missing_identity: bool = False, origin_identity: Any = None
    ) -> None:
        """``origin_identity``: with Deterministic Easy DKIM, the primary Region's identity, read right after the
        domain's own (``False``: it does not exist there)."""
        if missing_identity:
            self.ses_stub.add_client_error(
                "get_email_identity",
                "NotFoundException",
                http_status_code=404,
                expected_params={"EmailIdentity": "example.com"},
            )
        else:
            self.ses_stub.add_response(
                "get_email_identity", responses["get_email_identity"], {"EmailIdentity": "example.com"}
            )
        if origin_identity is False:
            self.ses_stub.add_client_error(
                "get_email_identity", "NotFoundException", http_status_code=404,
                expected_params={"EmailIdentity": "example.com"},
            )  # fmt: skip
        elif origin_identity is not None:
            self.ses_stub.add_response("get_email_identity", origin_identity, {"EmailIdentity": "example.com"})
        self.ses_stub.add_response("get_account", responses["get_account"], {})
        has_set = not missing_identity and responses["get_email_identity"].get("ConfigurationSetName")
        if has_set:
            for event in ("BOUNCE", "COMPLAINT"):
                destinations = responses["get_configuration_set_event_destinations"]
                self.ses_stub.add_response(
                    "get_configuration_set_event_destinations", destinations, {"ConfigurationSetName": SET}
                )
                if any(
                    d.get("Enabled") and d.get("SnsDestination") and event in d["MatchingEventTypes"]
                    for d in destinations["EventDestinations"]
                ):
                    self.sns_stub.add_response(
                        "list_subscriptions_by_topic", responses["list_subscriptions_by_topic"], {"TopicArn": TOPIC}
                    )
            self.ses_stub.add_response(
                "get_configuration_set", responses["get_configuration_set"], {"ConfigurationSetName": SET}
            )
        self.ses_stub.add_response("list_contact_lists", responses["list_contact_lists"], {})
        for contact_list in responses["list_contact_lists"]["ContactLists"]:
            self.ses_stub.add_response(
                "get_contact_list", responses["get_contact_list"], {"ContactListName": contact_list["ContactListName"]}
            )
            if responses["get_contact_list"].get("Topics"):
                break

    def take_contact_list_calls(self) -> list[Any]:
        """Remove the two contact-list responses queued last (botocore keeps them in order in ``_queue``), to
        queue other calls before them or to drop them."""
        queue = self.ses_stub._queue
        return [queue.pop(), queue.pop()][::-1]

    def requeue(self, calls: list[Any]) -> None:
        self.ses_stub._queue.extend(calls)

    def clients(self) -> Clients:
        return Clients(sesv2=self.ses, sns=self.sns)


@pytest.fixture
def account() -> Iterator[FakeAccount]:
    options = {"region_name": REGION, "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    ses, sns = boto3.client("sesv2", **options), boto3.client("sns", **options)
    with Stubber(ses) as ses_stub, Stubber(sns) as sns_stub:
        yield FakeAccount(ses, sns, ses_stub, sns_stub)
        ses_stub.assert_no_pending_responses()
        sns_stub.assert_no_pending_responses()


@pytest.fixture
def config_file(tmp_path: Path) -> Callable[..., Path]:
    def write(data: dict[str, Any] | None = None) -> Path:
        path = tmp_path / "ses-stack.json"
        path.write_text(json.dumps(CONFIG if data is None else data))
        return path

    return write


def stub_aws(fake: FakeAccount) -> Any:
    """The CLI's real AWS layer (guarded clients, Region rules) over the stubbed clients."""

    def build(profile: str | None, timeout: float) -> Aws:
        return Aws(profile, timeout, make_client=lambda service, region: fake.ses if service == "sesv2" else fake.sns)

    return build


@dataclass
class Run:
    status: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def run_cli(
    account: FakeAccount, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Run]:
    monkeypatch.chdir(tmp_path)  # files a command writes (the request text) land here

    def run(*argv: str) -> Run:
        out = io.StringIO()
        status = cli.main(list(argv), out=out, aws=stub_aws(account))
        return Run(status, out.getvalue(), capsys.readouterr().err)

    return run


def responses_with(change: Callable[[dict[str, Any]], None] | None) -> dict[str, Any]:
    responses = good_account()
    if change is not None:
        change(responses)
    return copy.deepcopy(responses)


@pytest.fixture(scope="session")
def dns_server() -> Iterator[tuple[str, ZoneResolver]]:
    """One DNS server for the session; each test serves its own zone through ``serve_zone``."""
    with running_dns_server() as server:
        yield server


@pytest.fixture
def serve_zone(dns_server: tuple[str, ZoneResolver]) -> Callable[[list[tuple[str, str, str]]], str]:
    def serve(records: list[tuple[str, str, str]]) -> str:
        address, zone = dns_server
        zone.serve(records)
        return address

    return serve
