"""SesDomain used on its own from another CDK app: resources, properties, DNS records, validation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_route53 as route53
from aws_cdk import aws_ses as ses
from aws_cdk.assertions import Match, Template

import ses_stack
from ses_stack import Dmarc, DmarcAlignment, DmarcPolicy, SesDomain
from tests.conftest import new_app

ZONE_ID = "Z0123456789ABCDEFGHIJ"


class Built:
    """One app, several stacks, synthesized once for the module."""

    def __init__(self, outdir: Path) -> None:
        self.app: App = new_app(outdir)
        self.zoned = Stack(self.app, "Zoned", env=Environment(region="eu-west-1"))
        zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
            self.zoned, "Zone", hosted_zone_id=ZONE_ID, zone_name="example.com"
        )
        self.zoned_domain = SesDomain(
            self.zoned,
            "Example",
            domain_name="example.com",
            hosted_zone=zone,
            dmarc=Dmarc(policy=DmarcPolicy.REJECT, rua=["dmarc@example.com"], aspf=DmarcAlignment.RELAXED),
        )
        self.parent = Stack(self.app, "ParentZone", env=Environment(region="ap-southeast-2"))
        parent_zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
            self.parent, "Zone", hosted_zone_id="Z0PARENT0ZONE", zone_name="example.org"
        )
        self.sub_domain = SesDomain(
            self.parent,
            "News",
            domain_name="News.Example.org",
            hosted_zone=parent_zone,
            mail_from_subdomain="bounce",
            behavior_on_mx_failure=ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE,
        )
        by_id = route53.PublicHostedZone.from_public_hosted_zone_id(self.parent, "ById", "Z0BYID0ONLY")
        self.by_id_domain = SesDomain(self.parent, "NetDomain", domain_name="example.net", hosted_zone=by_id)
        self.external = Stack(self.app, "External")  # environment-agnostic
        self.external_domain = SesDomain(self.external, "Ext", domain_name="example.io", publish_dmarc=False)
        self.templates = {
            name: Template.from_stack(stack)
            for name, stack in (("zoned", self.zoned), ("parent", self.parent), ("external", self.external))
        }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return Built(tmp_path_factory.mktemp("domain"))


def record_sets(template: Template, **properties: Any) -> dict[str, Any]:
    return template.find_resources("AWS::Route53::RecordSet", {"Properties": properties})


def identity_id(template: Template, domain: str) -> str:
    (logical_id,) = template.find_resources("AWS::SES::EmailIdentity", {"Properties": {"EmailIdentity": domain}})
    return logical_id


def test_identity_is_a_domain_with_easy_dkim_2048_and_mail_from(built: Built) -> None:
    template = built.templates["zoned"]
    template.resource_count_is("AWS::SES::EmailIdentity", 1)
    template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "example.com",
            "DkimSigningAttributes": {"NextSigningKeyLength": "RSA_2048_BIT"},
            "MailFromAttributes": {"MailFromDomain": "mail.example.com", "BehaviorOnMxFailure": "REJECT_MESSAGE"},
            # Settings left unset emit nothing.
            "DkimAttributes": Match.absent(),
            "ConfigurationSetAttributes": Match.absent(),
            "FeedbackAttributes": Match.absent(),
        },
    )


def test_three_dkim_cnames_come_from_the_identity_attributes(built: Built) -> None:
    template = built.templates["zoned"]
    identity = identity_id(template, "example.com")
    for token in (1, 2, 3):
        found = record_sets(
            template,
            Type="CNAME",
            HostedZoneId=ZONE_ID,
            Name={"Fn::GetAtt": [identity, f"DkimDNSTokenName{token}"]},
            ResourceRecords=[{"Fn::GetAtt": [identity, f"DkimDNSTokenValue{token}"]}],
            TTL="1800",
        )
        assert len(found) == 1, f"DKIM token {token}"
    assert len(record_sets(template, Type="CNAME")) == 3


def test_mail_from_has_exactly_one_mx_to_the_region_feedback_host_and_one_spf(built: Built) -> None:
    template = built.templates["zoned"]
    mx = record_sets(template, Type="MX")
    assert [r["Properties"]["Name"] for r in mx.values()] == ["mail.example.com."]
    assert [r["Properties"]["ResourceRecords"] for r in mx.values()] == [["10 feedback-smtp.eu-west-1.amazonses.com"]]
    spf = record_sets(template, Type="TXT", Name="mail.example.com.")
    assert [r["Properties"]["ResourceRecords"] for r in spf.values()] == [['"v=spf1 include:amazonses.com ~all"']]


def test_dmarc_record_is_built_from_typed_settings(built: Built) -> None:
    template = built.templates["zoned"]
    template.has_resource_properties(
        "AWS::Route53::RecordSet",
        {
            "Name": "_dmarc.example.com.",
            "Type": "TXT",
            "HostedZoneId": ZONE_ID,
            "ResourceRecords": ['"v=DMARC1; p=reject; rua=mailto:dmarc@example.com; aspf=r"'],
        },
    )
    assert built.zoned_domain.dmarc_record is not None


def test_the_apex_is_left_alone(built: Built) -> None:
    for template in built.templates.values():
        for name in ("example.com.", "news.example.org.", "example.net.", "example.io."):
            assert record_sets(template, Name=name) == {}


def test_parent_zone_holds_the_subdomain_records_and_the_identity_is_the_subdomain(built: Built) -> None:
    template = built.templates["parent"]
    template.has_resource_properties(
        "AWS::SES::EmailIdentity",
        {
            "EmailIdentity": "news.example.org",
            "MailFromAttributes": {
                "MailFromDomain": "bounce.news.example.org",
                "BehaviorOnMxFailure": "USE_DEFAULT_VALUE",
            },
        },
    )
    mx = record_sets(template, Type="MX", Name="bounce.news.example.org.", HostedZoneId="Z0PARENT0ZONE")
    assert [r["Properties"]["ResourceRecords"] for r in mx.values()] == [
        ["10 feedback-smtp.ap-southeast-2.amazonses.com"]
    ]
    assert len(record_sets(template, Name="_dmarc.news.example.org.", HostedZoneId="Z0PARENT0ZONE")) == 1
    assert len(record_sets(template, Type="CNAME", HostedZoneId="Z0PARENT0ZONE")) == 3


def test_zone_imported_by_id_alone_is_usable(built: Built) -> None:
    template = built.templates["parent"]
    template.has_resource_properties("AWS::SES::EmailIdentity", {"EmailIdentity": "example.net"})
    assert len(record_sets(template, HostedZoneId="Z0BYID0ONLY")) == 6  # 3 DKIM, MX, SPF, DMARC


def test_without_a_zone_nothing_is_written_to_dns_and_records_are_listed(built: Built) -> None:
    template = built.templates["external"]
    template.resource_count_is("AWS::Route53::RecordSet", 0)
    template.resource_count_is("AWS::SES::EmailIdentity", 1)
    domain = built.external_domain
    assert domain.hosted_zone is None
    assert domain.dmarc_record is None
    assert [(r.purpose, r.type) for r in domain.dns_records] == [
        ("dkim1", "CNAME"),
        ("dkim2", "CNAME"),
        ("dkim3", "CNAME"),
        ("mail_from_mx", "MX"),
        ("mail_from_spf", "TXT"),
    ]
    resolved = built.external.resolve(domain.dns_records[3].value)
    assert resolved == {"Fn::Join": ["", ["10 feedback-smtp.", {"Ref": "AWS::Region"}, ".amazonses.com"]]}
    assert domain.dns_records[4].value == '"v=spf1 include:amazonses.com ~all"'


def test_dmarc_managed_elsewhere_is_marked_for_the_checklist(built: Built) -> None:
    built.templates["external"].has_resource(
        "AWS::SES::EmailIdentity", {"Metadata": {"SesStackDmarcManagedElsewhere": True}}
    )
    built.templates["zoned"].has_resource("AWS::SES::EmailIdentity", {"Metadata": Match.absent()})


def test_dns_records_list_dmarc_when_published(built: Built) -> None:
    assert built.zoned_domain.dns_records[-1].name == "_dmarc.example.com"
    assert built.zoned_domain.dns_records[-1].value == '"v=DMARC1; p=reject; rua=mailto:dmarc@example.com; aspf=r"'


def test_children_are_exposed(built: Built) -> None:
    domain = built.zoned_domain
    assert isinstance(domain.identity, ses.EmailIdentity)
    assert domain.domain_name == "example.com"
    assert domain.mail_from_domain == "mail.example.com"
    assert built.sub_domain.domain_name == "news.example.org"
    assert ses_stack.SesDomain is SesDomain


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"domain_name": "not a.domain"},
            "SesDomain 'Bad' domain_name: has an invalid label \"not a\": labels are 1-63 letters, digits or "
            "hyphens, not starting or ending with a hyphen; got 'not a.domain'",
        ),
        (
            {"domain_name": "example.com", "mail_from_subdomain": ""},
            "SesDomain 'Bad' mail_from_subdomain: must be a subdomain label such as mail; the MAIL FROM domain "
            "cannot be the domain itself; got ''",
        ),
        (
            {"domain_name": "example.com", "dmarc": Dmarc(rua=["r@mail.example.com"])},
            "SesDomain 'Bad' dmarc: report address r@mail.example.com is on the MAIL FROM domain, whose MX is SES's "
            "feedback endpoint, so it cannot receive reports; got 'r@mail.example.com'",
        ),
        (
            {"domain_name": "example.com", "dmarc": "p=none"},
            "SesDomain 'Bad' dmarc: must be a ses_stack.Dmarc; got 'p=none'",
        ),
    ],
)
def test_invalid_props_fail_before_any_resource(kwargs: dict[str, Any], message: str) -> None:
    stack = Stack()
    with pytest.raises(ValueError) as raised:
        SesDomain(stack, "Bad", **kwargs)
    assert str(raised.value) == message
    assert stack.node.try_find_child("Bad") is None


def test_zone_that_cannot_hold_the_domain_is_rejected() -> None:
    stack = Stack()
    zone = route53.PublicHostedZone.from_public_hosted_zone_attributes(
        stack, "Zone", hosted_zone_id=ZONE_ID, zone_name="other.com"
    )
    with pytest.raises(ValueError) as raised:
        SesDomain(stack, "Bad", domain_name="example.com", hosted_zone=zone)
    assert (
        str(raised.value)
        == "SesDomain 'Bad' hosted_zone: zone other.com cannot hold records for example.com; got 'other.com'"
    )


def test_grant_send_covers_the_identity_and_its_configuration_set_scoped_to_from_addresses() -> None:
    from aws_cdk import aws_iam as iam  # noqa: PLC0415

    stack = Stack(env=Environment(region="eu-west-1", account="123456789012"))
    config_set = ses.ConfigurationSet(stack, "Set")
    domain = SesDomain(stack, "Example", domain_name="example.com", configuration_set=config_set)
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    domain.grant_send(role, from_addresses=["noreply@example.com", "*@news.example.com"])
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Action"] == ["ses:SendEmail", "ses:SendRawEmail"]
    assert statement["Condition"] == {"StringLike": {"ses:FromAddress": ["noreply@example.com", "*@news.example.com"]}}
    identity_arn, set_arn = (str(r) for r in statement["Resource"])
    assert ":identity/" in identity_arn and "Ref" in identity_arn
    assert ":configuration-set/" in set_arn  # SES authorizes the set too; granting the identity alone fails


def test_grant_send_without_addresses_or_configuration_set() -> None:
    from aws_cdk import aws_iam as iam  # noqa: PLC0415

    stack = Stack()
    domain = SesDomain(stack, "Example", domain_name="example.com")
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    domain.grant_send(role)
    (policy,) = Template.from_stack(stack).find_resources("AWS::IAM::Policy").values()
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert "Condition" not in statement
    assert ":identity/" in str(statement["Resource"])


def test_grant_send_rejects_addresses_of_other_domains() -> None:
    from aws_cdk import aws_iam as iam  # noqa: PLC0415

    stack = Stack()
    domain = SesDomain(stack, "Example", domain_name="example.com")
    role = iam.Role(stack, "Sender", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))
    with pytest.raises(
        ValueError, match=r"from_addresses: each must be an address at example.com; got 'a@example.org'"
    ):
        domain.grant_send(role, from_addresses=["a@example.org"])
