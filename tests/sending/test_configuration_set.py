"""SesConfigurationSet: secure defaults asserted as emitted, optional settings, validation."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Match, Template

from ses_stack import SesConfigurationSet
from tests.conftest import new_app


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Template]:
    app = new_app(tmp_path_factory.mktemp("configuration-set"))
    plain = Stack(app, "Plain")
    SesConfigurationSet(plain, "Set")
    tuned = Stack(app, "Tuned")
    SesConfigurationSet(
        tuned,
        "Set",
        configuration_set_name="transactional",
        custom_tracking_redirect_domain="track.example.com",
        custom_tracking_https_policy=ses.HttpsPolicy.REQUIRE,
        max_delivery_duration=Duration.hours(2),
        dedicated_ip_pool_name="pool-1",
    )
    managed = Stack(app, "Managed")
    SesConfigurationSet(
        managed,
        "Set",
        managed_dedicated_ip_pool_name="managed-1",
        vdm_options=ses.VdmOptions(engagement_metrics=True, optimized_shared_delivery=False),
        auto_validation_threshold=ses.AutoValidationThreshold.MANAGED,
    )
    return {
        "plain": Template.from_stack(plain),
        "tuned": Template.from_stack(tuned),
        "managed": Template.from_stack(managed),
    }


def test_defaults_suppress_require_tls_publish_reputation_and_leave_sending_to_ses(
    templates: dict[str, Template],
) -> None:
    templates["plain"].resource_count_is("AWS::SES::ConfigurationSet", 1)
    templates["plain"].has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "SuppressionOptions": {"SuppressedReasons": ["BOUNCE", "COMPLAINT"], "ValidationOptions": Match.absent()},
            "DeliveryOptions": {
                "TlsPolicy": "REQUIRE",
                "SendingPoolName": Match.absent(),
                "MaxDeliverySeconds": Match.absent(),
            },
            # asserted as emitted: aws-cdk once documented false and deployed true (#30968)
            "ReputationOptions": {"ReputationMetricsEnabled": True},
            # Left to SES (enabled on create) so CloudFormation never resumes a set the reputation guard paused.
            "SendingOptions": Match.absent(),
            "Name": Match.absent(),
            "TrackingOptions": Match.absent(),
            "VdmOptions": Match.absent(),
        },
    )
    templates["plain"].resource_count_is("AWS::SES::DedicatedIpPool", 0)


def test_optional_settings_are_emitted_when_set(templates: dict[str, Template]) -> None:
    templates["tuned"].has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "Name": "transactional",
            "TrackingOptions": {"CustomRedirectDomain": "track.example.com", "HttpsPolicy": "REQUIRE"},
            "DeliveryOptions": {"TlsPolicy": "REQUIRE", "SendingPoolName": "pool-1", "MaxDeliverySeconds": 7200},
        },
    )


def test_a_managed_pool_is_created_kept_and_sent_from_and_vdm_options_are_set(templates: dict[str, Template]) -> None:
    managed = templates["managed"]
    managed.has_resource(
        "AWS::SES::DedicatedIpPool",
        {
            "Properties": {"PoolName": "managed-1", "ScalingMode": "MANAGED"},
            "DeletionPolicy": "Retain",  # its IPs' warm-up is state
            "UpdateReplacePolicy": "Retain",
        },
    )
    managed.has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "DeliveryOptions": Match.object_like({"SendingPoolName": {"Ref": Match.any_value()}}),
            "VdmOptions": {
                "DashboardOptions": {"EngagementMetrics": "ENABLED"},
                "GuardianOptions": {"OptimizedSharedDelivery": "DISABLED"},
            },
        },
    )
    # an existing pool by name creates no pool
    templates["tuned"].resource_count_is("AWS::SES::DedicatedIpPool", 0)


def test_a_managed_pool_goes_with_the_set_under_destroy(tmp_path: Any) -> None:
    from aws_cdk import RemovalPolicy  # noqa: PLC0415

    stack = Stack(new_app(tmp_path), "Throwaway")
    SesConfigurationSet(stack, "Set", managed_dedicated_ip_pool_name="pool", removal_policy=RemovalPolicy.DESTROY)
    Template.from_stack(stack).has_resource("AWS::SES::DedicatedIpPool", {"DeletionPolicy": "Delete"})


def test_auto_validation_is_emitted_when_set(templates: dict[str, Template]) -> None:
    templates["managed"].has_resource_properties(
        "AWS::SES::ConfigurationSet",
        {
            "SuppressionOptions": {
                "SuppressedReasons": ["BOUNCE", "COMPLAINT"],
                "ValidationOptions": {
                    "ConditionThreshold": {
                        "ConditionThresholdEnabled": "ENABLED",
                        "OverallConfidenceThreshold": {"ConfidenceVerdictThreshold": "MANAGED"},
                    }
                },
            }
        },
    )


def test_auto_validation_changes_the_fingerprint_only_when_set() -> None:
    stack = Stack()
    plain = SesConfigurationSet(stack, "Plain", configuration_set_name="a")
    validated = SesConfigurationSet(
        stack, "Validated", configuration_set_name="a", auto_validation_threshold=ses.AutoValidationThreshold.HIGH
    )
    # unset, the fingerprint is the one earlier releases computed: deployed guards see no change
    released = json.dumps(["a", None, None, None, None, "suppression=BOUNCE,COMPLAINT;tls=REQUIRE;reputation=on"])
    assert plain.fingerprint == hashlib.sha256(released.encode()).hexdigest()[:16]
    assert validated.fingerprint != plain.fingerprint
    assert (
        validated.auto_validation_threshold is ses.AutoValidationThreshold.HIGH
        and plain.auto_validation_threshold is None
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"configuration_set_name": "no spaces"},
            "SesConfigurationSet 'Bad' configuration_set_name: must be 1-64 letters, digits, underscores or "
            "hyphens; got 'no spaces'",
        ),
        (
            {"custom_tracking_https_policy": ses.HttpsPolicy.REQUIRE},
            "SesConfigurationSet 'Bad' custom_tracking_https_policy: needs custom_tracking_redirect_domain; "
            "got 'REQUIRE'",
        ),
        (
            {"max_delivery_duration": Duration.minutes(1)},
            "SesConfigurationSet 'Bad' max_delivery_duration: must be from 300 s (5 minutes) to 50400 s (14 hours); "
            "got '60 s'",
        ),
        (
            {"custom_tracking_redirect_domain": "tracking"},
            "SesConfigurationSet 'Bad' custom_tracking_redirect_domain: must be a domain name with at least two "
            "labels, such as example.com; got 'tracking'",
        ),
        (
            {"dedicated_ip_pool_name": "pool/1"},
            "SesConfigurationSet 'Bad' dedicated_ip_pool_name: must be 1-64 letters, digits, underscores or "
            "hyphens; got 'pool/1'",
        ),
        (
            {"managed_dedicated_ip_pool_name": ""},
            "SesConfigurationSet 'Bad' managed_dedicated_ip_pool_name: must be 1-64 letters, digits, underscores or "
            "hyphens; got ''",
        ),
        (
            {"dedicated_ip_pool_name": "mine", "managed_dedicated_ip_pool_name": "managed"},
            "SesConfigurationSet 'Bad' managed_dedicated_ip_pool_name: cannot be combined with "
            "dedicated_ip_pool_name; got 'managed'",
        ),
        (
            {"auto_validation_threshold": "HIGH"},
            "SesConfigurationSet 'Bad' auto_validation_threshold: must be an AutoValidationThreshold (MEDIUM, HIGH or "
            "MANAGED); got 'HIGH'",
        ),
    ],
)
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    with pytest.raises(ValueError) as raised:
        SesConfigurationSet(stack, "Bad", **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None
