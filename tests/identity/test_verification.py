"""SesIdentityVerification in a template: opt-in per domain, after the records, one waiter function per stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk import Duration, Stack
from aws_cdk import aws_ses as ses

from ses_stack import SesDomain, SesIdentityVerification
from ses_stack.config import ConfigError, parse_config
from tests.conftest import new_app, resources_of, synth_config

ZONE = "Z0123456789ABCDEFGHIJ"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    data = {
        "regions": ["eu-west-1"],
        "domains": [
            {"name": "example.com", "hostedZoneId": ZONE, "waitForVerification": True},
            {
                "name": "example.net",
                "hostedZoneId": ZONE,
                "waitForVerification": True,
                "behaviorOnMxFailure": "USE_DEFAULT_VALUE",
            },
            {"name": "example.org", "hostedZoneId": ZONE},  # no wait
        ],
    }
    (result,) = synth_config(data, tmp_path_factory.mktemp("verification")).values()
    return result


def waits(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return resources_of(template, "Custom::SesIdentityVerification")


def test_one_wait_per_domain_that_asks_for_it_after_its_identity_and_records(template: dict[str, Any]) -> None:
    found = {w["Properties"]["EmailIdentity"]: w for w in waits(template).values()}
    assert sorted(found) == ["example.com", "example.net"]
    record_sets = resources_of(template, "AWS::Route53::RecordSet")
    for name, wait in found.items():
        prefix = name.replace(".", "")
        own_records = {k for k in record_sets if k.startswith(prefix)}
        assert own_records <= set(wait["DependsOn"])  # the DNS records exist before the wait starts
        assert any(
            k.startswith(f"{prefix}Identity") and template["Resources"][k]["Type"] == "AWS::SES::EmailIdentity"
            for k in wait["DependsOn"]
        )
        assert wait["Properties"]["MaxWaitSeconds"] == "780" and wait["Properties"]["ServiceTimeout"] == "1200"
    # MAIL FROM is awaited only when the identity refuses to send without it
    assert found["example.com"]["Properties"]["RequireMailFrom"] == "true"
    assert found["example.net"]["Properties"]["RequireMailFrom"] == "false"


def test_one_waiter_function_per_stack_may_only_read_those_identities(template: dict[str, Any]) -> None:
    functions = [
        f for k, f in resources_of(template, "AWS::Lambda::Function").items() if k.startswith("SesVerification")
    ]
    (function,) = functions
    assert function["Properties"]["Handler"] == "verification.handler"
    assert function["Properties"]["Timeout"] == 900
    (policy,) = [
        p for k, p in resources_of(template, "AWS::IAM::Policy").items() if k.startswith("SesVerificationWaiterPolicy")
    ]
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == "ses:GetEmailIdentity"
    arns = [a["Fn::Join"][1][-1] for a in statement["Resource"]]
    assert arns == [":identity/example.com", ":identity/example.net"]


def test_nothing_waits_unless_asked(tmp_path: Path) -> None:
    (template,) = synth_config(
        {"regions": ["eu-west-1"], "domains": [{"name": "a.com", "hostedZoneId": ZONE}]}, tmp_path
    ).values()
    assert not waits(template)
    assert not [k for k in template["Resources"] if k.startswith("SesVerification")]


def test_waiting_needs_a_hosted_zone() -> None:
    with pytest.raises(ConfigError) as raised:
        parse_config({"regions": ["eu-west-1"], "domains": [{"name": "a.com", "waitForVerification": True}]}, "c.json")
    assert raised.value.lines() == [
        "c.json: domains[0].waitForVerification: needs hostedZoneId: with DNS elsewhere the records can only be "
        "published after the deployment"
    ]
    with pytest.raises(ValueError, match="wait_for_verification: needs hosted_zone"):
        SesDomain(Stack(), "D", domain_name="a.com", wait_for_verification=True)


def test_dependents_can_depend_on_it(tmp_path: Path) -> None:
    from aws_cdk import aws_route53 as route53  # noqa: PLC0415
    from aws_cdk.assertions import Template  # noqa: PLC0415

    stack = Stack(new_app(tmp_path), "App")
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Z", hosted_zone_id=ZONE, zone_name="a.com"
    )
    domain = SesDomain(stack, "Domain", domain_name="a.com", hosted_zone=zone, wait_for_verification=True)
    dependent = ses.CfnConfigurationSet(stack, "Dependent")
    assert domain.verification is not None
    dependent.node.add_dependency(domain.verification)
    template = Template.from_stack(stack).to_json()
    (wait_id,) = waits(template)
    assert wait_id in template["Resources"]["Dependent"]["DependsOn"]


def test_max_wait_is_at_most_13_minutes() -> None:
    stack = Stack()
    identity = ses.EmailIdentity(stack, "I", identity=ses.Identity.domain("a.com"))
    with pytest.raises(ValueError, match="max_wait: must be from 1 s to 13 minutes; got 900 s"):
        SesIdentityVerification(stack, "V", identity=identity, domain_name="a.com", max_wait=Duration.minutes(15))
