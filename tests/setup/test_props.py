"""Props the way CDK users pass them: the wrapper or aws-cdk-lib's interface, a wrong type named with the
construct and the prop, ``node.default_child`` as the escape hatch, ``metric_*()`` and ``from_*``."""

from __future__ import annotations

from pathlib import Path

import pytest
from aws_cdk import CfnResource, CustomResource, Environment, Stack

from ses_stack import (
    ContactTopic,
    SesConfigurationSet,
    SesContactList,
    SesDomain,
    SesFeedbackPipeline,
    SesReputationGuard,
    SesSendingSetup,
    SubscriptionStatus,
)
from tests.conftest import new_app


@pytest.fixture
def stack(tmp_path: Path) -> Stack:
    return Stack(new_app(tmp_path), "Mail", env=Environment(region="eu-west-1"))


def test_the_wrapper_or_aws_cdk_libs_set_is_accepted(stack: Stack) -> None:
    wrapper = SesConfigurationSet(stack, "Set")
    imported = SesConfigurationSet.from_configuration_set_name(stack, "Imported", "outbound")
    for name, given in (("a.example.com", wrapper), ("b.example.com", imported)):
        domain = SesDomain(stack, name, domain_name=name, configuration_set=given)
        assert domain.configuration_set is not None
        assert hasattr(domain.configuration_set, "configuration_set_name")
    pipeline = SesFeedbackPipeline(stack, "Feedback", configuration_set=wrapper)
    guard = SesReputationGuard(stack, "Reputation", configuration_set=imported)
    assert pipeline.handler is not None and guard.operations_topic is not None


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda s: SesDomain(s, "D", domain_name="example.com", configuration_set="outbound"),
         "SesDomain 'D' configuration_set: must be a SesConfigurationSet or an aws_ses.IConfigurationSet; got str"),
        (lambda s: SesFeedbackPipeline(s, "F", configuration_set=42),
         "SesFeedbackPipeline 'F' configuration_set: must be a SesConfigurationSet or an aws_ses.IConfigurationSet"),
        (lambda s: SesReputationGuard(s, "R", configuration_set=None),
         "SesReputationGuard 'R' configuration_set: must be a SesConfigurationSet or an aws_ses.IConfigurationSet"),
        (lambda s: SesSendingSetup(s, "S", domains={"name": "example.com"}),
         "SesSendingSetup 'S' domains: must be a list of DomainConfig or dicts; got dict"),
    ],
    ids=["domain", "pipeline", "guard", "setup"],
)  # fmt: skip
def test_a_wrong_type_names_the_construct_and_the_prop(stack: Stack, make: object, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        make(stack)  # type: ignore[operator]
    assert [c.node.id for c in stack.node.children] == []  # refused before anything was created


def test_the_imported_name_is_checked(stack: Stack) -> None:
    with pytest.raises(ValueError, match="from_configuration_set_name name: must be 1-64 letters"):
        SesConfigurationSet.from_configuration_set_name(stack, "Bad", "not a name")


def test_default_child_is_the_main_resource(stack: Stack) -> None:
    setup = SesSendingSetup(stack, "Ses", domains=[{"name": "example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ"}])
    contact_list = SesContactList(stack, "List", contact_list_name="news", topics=[ContactTopic(name="news",
                                  display_name="News", default_subscription=SubscriptionStatus.OPT_OUT)])  # fmt: skip
    (domain,) = setup.domains
    expected = {
        setup.configuration_set: "AWS::SES::ConfigurationSet",
        domain: "AWS::SES::EmailIdentity",
        contact_list: "AWS::SES::ContactList",
        setup.account_suppression: "Custom::SesAccountSuppression",
        domain.record_takeover: "Custom::SesRecordTakeover",
    }
    for construct, resource_type in expected.items():
        child = construct.node.default_child  # type: ignore[union-attr]
        if isinstance(child, CustomResource):  # its CfnResource is one step further
            child = child.node.default_child
        assert isinstance(child, CfnResource), construct
        assert child.cfn_resource_type == resource_type


def test_metric_helpers_name_what_the_alarms_watch(stack: Stack) -> None:
    setup = SesSendingSetup(stack, "Ses")
    guard, feedback = setup.reputation, setup.feedback
    bounce, complaint = guard.metric_bounce_rate(), guard.metric_complaint_rate(configuration_set=True)
    assert (bounce.namespace, bounce.metric_name, bounce.statistic) == ("AWS/SES", "Reputation.BounceRate", "Maximum")
    assert complaint.metric_name == "Reputation.ComplaintRate"
    assert "ses:configuration-set" in (complaint.dimensions or {})
    assert bounce.dimensions is None  # the account's
    assert feedback.metric_suppressed().metric_name == "Suppressed"
    assert feedback.metric_suppressed().namespace == "SesStack/Feedback"
    assert feedback.metric_dead_letter_messages().metric_name == "ApproximateNumberOfMessagesVisible"
    assert feedback.metric_handler_errors().metric_name == "Errors"


def test_a_name_given_to_from_is_the_sets_name_in_the_template(stack: Stack) -> None:
    imported = SesConfigurationSet.from_configuration_set_name(stack, "Imported", "outbound")
    assert imported.configuration_set_name == "outbound"


def test_the_app_stack_takes_aws_cdk_libs_removal_policy_or_the_configs(tmp_path: Path) -> None:
    from aws_cdk import RemovalPolicy  # noqa: PLC0415

    from ses_stack import RemovalChoice, SesStack  # noqa: PLC0415

    for index, policy in enumerate((RemovalPolicy.DESTROY, RemovalChoice.DESTROY)):
        stack = SesStack(new_app(tmp_path / str(index)), "S", domains=[{"name": "example.com"}], removal_policy=policy)
        assert stack.setup.feedback.dead_letter_queue is not None
    with pytest.raises(TypeError, match=r"SesStack 'T' removal_policy: must be RemovalPolicy\.RETAIN or DESTROY"):
        SesStack(new_app(tmp_path / "x"), "T", removal_policy=RemovalPolicy.SNAPSHOT)
