"""SesSendingSetup: the whole checklist in one call for a library user, with the same validation as the app, and
every type its props (and the other constructs') take importable from ``ses_stack``."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest
from aws_cdk import Environment, Stack
from aws_cdk import aws_iam as iam

import ses_stack
from ses_stack import ContactListConfig, ContactTopicConfig, SesSendingSetup, SesStack, assert_ready
from tests.conftest import new_app

ZONE = "Z0123456789ABCDEFGHIJ"
NEWSLETTER = ContactListConfig(
    name="newsletter", topics=[ContactTopicConfig(name="news", display_name="News", default_subscription="OPT_OUT")]
)


def library_stack(tmp_path: Path, **props: object) -> tuple[Stack, SesSendingSetup]:
    stack = Stack(new_app(tmp_path), "Mail", env=Environment(region="eu-west-1"))
    setup = SesSendingSetup(stack, "Ses", domains=[{"name": "example.com", "hostedZoneId": ZONE}], **props)  # type: ignore[arg-type]
    return stack, setup


def test_one_call_gives_a_stack_ready_to_leave_the_sandbox(tmp_path: Path) -> None:
    stack, setup = library_stack(tmp_path, contact_list=NEWSLETTER)
    checklist = assert_ready(stack)
    assert {r.item.value for r in checklist.results} == {
        "domain_dkim", "spf", "dmarc", "bounce", "complaint", "suppression", "unsubscribe"
    }  # fmt: skip
    assert [d.domain_name for d in setup.domains] == ["example.com"]
    assert setup.contact_list is not None and setup.account_suppression is not None


def test_assert_ready_fails_with_the_report_when_an_item_fails(tmp_path: Path) -> None:
    """The negative twin: without a contact list (and not transactional-only), unsubscribe fails."""
    stack, _ = library_stack(tmp_path)
    with pytest.raises(AssertionError, match="Mail is not ready to leave the SES sandbox") as raised:
        assert_ready(stack)
    assert "unsubscribe" in str(raised.value)
    assert assert_ready(stack, transactional_only=True).ready  # the twin's twin: declared transactional


def test_grant_send_returns_one_grant(tmp_path: Path) -> None:
    stack, setup = library_stack(tmp_path, contact_list=NEWSLETTER)
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    grant = setup.grant_send(role)
    assert isinstance(grant, iam.Grant) and grant.success


@pytest.mark.parametrize(
    ("domains", "error", "message"),
    [
        ([{"name": "bad name"}], ValueError, r"SesSendingSetup 'Ses' domains\[0\]: <domain>: name: "),
        ([{"name": "example.com", "unknown": 1}], ValueError, r"domains\[0\]: <domain>: unknown: "),
        (["example.com"], TypeError, r"SesSendingSetup 'Ses' domains\[0\]: must be a DomainConfig or a dict; got str"),
        ("example.com", TypeError, r"SesSendingSetup 'Ses' domains: must be a list of DomainConfig or dicts; got str"),
    ],
    ids=["invalid-name", "unknown-key", "a-string-item", "a-string"],
)
def test_bad_domains_name_the_construct_the_item_and_the_rule(
    tmp_path: Path, domains: object, error: type[Exception], message: str
) -> None:
    stack = Stack(new_app(tmp_path), "Mail")
    with pytest.raises(error, match=message):
        SesSendingSetup(stack, "Ses", domains=domains)  # type: ignore[arg-type]
    assert stack.node.try_find_child("Ses") is None  # refused before anything was created


def test_the_app_stack_takes_the_same_dicts(tmp_path: Path) -> None:
    """`SesStack(domains=[{"name": ...}])` raised AttributeError; it is the one-call setup in a stack now."""
    stack = SesStack(new_app(tmp_path), "SesStack-eu-west-1", domains=[{"name": "example.com"}],
                     env=Environment(region="eu-west-1"))  # fmt: skip
    assert [d.domain_name for d in stack.domains] == ["example.com"]
    with pytest.raises(ValueError, match=r"SesStack 'Other' domains\[0\]: <domain>: name: "):
        SesStack(new_app(tmp_path / "b"), "Other", domains=[{"name": ""}])


_TYPE_NAME = re.compile(r"\b([A-Z][A-Za-z0-9]+)\b")
_FROM_ELSEWHERE = {
    "Construct", "Sequence", "Mapping", "Any", "None", "IConfigurationSet", "IPublicHostedZone", "IHostedZone",
    "IGrantable", "CfnRecordSet", "EmailIdentity", "Duration", "RemovalPolicy", "MailFromBehaviorOnMxFailure",
    "ITopic", "IQueue", "RetentionDays", "EmailSendingEvent", "HttpsPolicy", "VdmOptions", "IRole", "IDependable",
    "SuppressionReasons", "IKey", "Grant",
}  # fmt: skip


def missing_types(exported_names: list[str]) -> dict[str, set[str]]:
    """Per exported construct, the class names in its props' annotations that ``exported_names`` lacks."""
    missing: dict[str, set[str]] = {}
    for name in exported_names:
        exported = getattr(ses_stack, name)
        if not (inspect.isclass(exported) and exported.__module__.startswith("ses_stack")):
            continue
        for parameter in inspect.signature(exported.__init__).parameters.values():
            annotation = str(parameter.annotation)
            for found in _TYPE_NAME.findall(annotation):
                if found not in exported_names and found not in _FROM_ELSEWHERE and f".{found}" not in annotation:
                    missing.setdefault(name, set()).add(found)
    return missing


def test_every_type_a_public_prop_takes_is_importable_from_ses_stack() -> None:
    assert missing_types(list(ses_stack.__all__)) == {}


def test_the_export_check_sees_a_missing_type() -> None:
    """The negative twin: without ContactTopic in the exports, SesContactList's prop type is reported."""
    assert "ContactTopic" in missing_types([n for n in ses_stack.__all__ if n != "ContactTopic"])["SesContactList"]


def test_the_gate_checks_a_domains_only_stack_for_its_domain_items(tmp_path: Path) -> None:
    """A SesDomainStack sends through another stack's set: the gate checks its domains, not the account items
    that live with the set; a broken domain there still fails synth."""
    from aws_cdk import Validations  # noqa: PLC0415
    from aws_cdk import aws_route53 as route53  # noqa: PLC0415

    from ses_stack import SesChecklistGate, SesDomain  # noqa: PLC0415

    def synth(broken: bool) -> None:
        app = new_app(tmp_path / str(broken))
        stack = Stack(app, "Domains", env=Environment(region="eu-west-1"))
        zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(stack, "Z", hosted_zone_id=ZONE,
                                                                           zone_name="example.com")  # fmt: skip
        domain = SesDomain(stack, "D", domain_name="example.com", hosted_zone=zone, take_over_existing_records=False)
        if broken:  # the _dmarc record gone (and not declared as managed elsewhere): the dmarc item fails
            assert domain.node.try_remove_child("DmarcRecord")
        Validations.of(app).add_plugins(SesChecklistGate())
        app.synth()

    synth(broken=False)  # the account items (bounce, suppression...) are not asked of a domains-only stack
    with pytest.raises(RuntimeError, match=r"\(SesPreflightChecklist\)"):
        synth(broken=True)


def test_assert_ready_with_providers_judges_their_requirements_too(tmp_path: Path) -> None:
    from aws_cdk import aws_route53 as route53  # noqa: PLC0415

    from ses_stack import SesAccountSuppression, SesConfigurationSet, SesDomain, SesFeedbackPipeline  # noqa: PLC0415
    from ses_stack.inbox import Provider  # noqa: PLC0415

    stack, _ = library_stack(tmp_path, contact_list=NEWSLETTER)
    checklist = assert_ready(stack, providers=list(Provider))
    assert checklist.inbox is not None and checklist.inbox.ready

    # the twin: the same checklist items built by hand, without the reputation guard: AWS's checklist is ready, but no
    # alarm watches the complaint rate Gmail and Yahoo hold senders to
    bare = Stack(new_app(tmp_path / "bare"), "Bare", env=Environment(region="eu-west-1"))
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        bare, "Zone", hosted_zone_id=ZONE, zone_name="example.com"
    )
    configuration_set = SesConfigurationSet(bare, "Set")
    SesDomain(bare, "Domain", domain_name="example.com", hosted_zone=zone, configuration_set=configuration_set)
    SesFeedbackPipeline(bare, "Feedback", configuration_set=configuration_set.configuration_set)
    SesAccountSuppression(bare, "Suppression")
    assert assert_ready(bare, transactional_only=True).ready
    with pytest.raises(AssertionError, match="Bare does not meet the mailbox providers' requirements") as raised:
        assert_ready(bare, transactional_only=True, providers=[Provider.YAHOO])
    assert "FAIL  complaint_alarms" in str(raised.value)
