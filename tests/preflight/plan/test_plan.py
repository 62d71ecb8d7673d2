"""ses-preflight plan against account states, with botocore's Stubber (SESv2, Route53, CloudFormation; exact
requests in order, responses validated against the models) and, for DNS outside Route53, the loopback DNS server."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from ses_stack.preflight import cli
from ses_stack.preflight.aws.clients import Aws
from ses_stack.preflight.plan.records import Planned as PlannedResource
from ses_stack.preflight.plan.report import RegionPlan, format_plan
from tests.preflight.conftest import TOKENS, good_account

REGION, STACK, ZONE = "eu-west-1", "SesStack-eu-west-1", "Z0123456789ABCDEFGHIJ"
STACK_ID = f"arn:aws:cloudformation:{REGION}:123456789012:stack/{STACK}/guid"
DMARC = "v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com"
CONFIG: dict[str, Any] = {
    "regions": [REGION],
    "domains": [
        {"name": "example.com", "hostedZoneId": ZONE, "dmarc": {"policy": "quarantine", "rua": ["dmarc@example.com"]}}
    ],
    "contactList": {
        "name": "newsletter",
        "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
    },
}
DKIM = [(f"{t}._domainkey.example.com", "CNAME", f"{t}.dkim.amazonses.com") for t in TOKENS]
MX = ("mail.example.com", "MX", "10 feedback-smtp.eu-west-1.amazonses.com")
SPF = ("mail.example.com", "TXT", '"v=spf1 include:amazonses.com ~all"')
DMARC_RECORD = ("_dmarc.example.com", "TXT", f'"{DMARC}"')
APEX = [("example.com", "MX", "10 inbound.example.com"), ("example.com", "TXT", '"google-site-verification=abc"')]


@dataclass
class Account:
    """An account and its zone, as plan reads them."""

    stack_status: str | None = None
    stack: list[tuple[str, str]] = field(default_factory=list)  # (type, physical id) this stack has
    identity: dict[str, Any] | None = None
    zone: list[tuple[str, str, str]] = field(default_factory=lambda: list(APEX))
    owners: dict[str, str] = field(default_factory=dict)  # physical id -> another stack
    contact_lists: list[str] = field(default_factory=list)
    suppressed: list[str] = field(default_factory=lambda: ["BOUNCE", "COMPLAINT"])


def console_identity(**dkim: Any) -> dict[str, Any]:
    """An identity created in the SES console: verified, Easy DKIM, no MAIL FROM, no default set."""
    identity = copy.deepcopy(good_account()["get_email_identity"])
    identity.pop("ConfigurationSetName")
    identity["MailFromAttributes"] = {
        "MailFromDomain": "",
        "MailFromDomainStatus": "FAILED",
        "BehaviorOnMxFailure": "USE_DEFAULT_VALUE",
    }
    identity["DkimAttributes"].update(dkim)
    return identity


class Stubs:
    def __init__(self) -> None:
        options = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        self.ses = boto3.client("sesv2", region_name=REGION, **options)
        self.route53 = boto3.client("route53", region_name="us-east-1", **options)
        self.cfn = boto3.client("cloudformation", region_name=REGION, **options)
        self.stubs = {name: Stubber(getattr(self, name)) for name in ("ses", "route53", "cfn")}

    def run_plan(self, config: dict[str, Any], folder: Path, *args: str) -> tuple[int, str]:
        """``ses-preflight plan --config <config written to folder> *args`` over these clients: (exit, output)."""
        path = folder / "cfg.json"
        path.write_text(json.dumps(config))
        by_service = {"sesv2": self.ses, "route53": self.route53, "cloudformation": self.cfn}

        def aws(profile: str | None, timeout: float) -> Aws:
            return Aws(profile, timeout, make_client=lambda service, region: by_service[service])

        out = io.StringIO()
        status = cli.main(["plan", "--config", str(path), *args], out=out, aws=aws)
        return status, out.getvalue()

    def owner(self, account: Account, resource_type: str, physical_id: str) -> None:
        if (resource_type, physical_id) in account.stack:
            return  # plan knows it from the stack's own list
        other = account.owners.get(physical_id)
        if other is None:
            self.stubs["cfn"].add_client_error(
                "describe_stack_resources",
                "ValidationError",
                f"Stack for {physical_id} does not exist",
                400,
                expected_params={"PhysicalResourceId": physical_id},
            )
        else:
            self.stubs["cfn"].add_response(
                "describe_stack_resources",
                {
                    "StackResources": [
                        {
                            "StackName": other,
                            "StackId": f"arn:aws:cloudformation:{REGION}:1:stack/{other}/g",
                            "LogicalResourceId": "X",
                            "PhysicalResourceId": physical_id,
                            "ResourceType": resource_type,
                            "Timestamp": "2026-11-01T00:00:00Z",
                            "ResourceStatus": "CREATE_COMPLETE",
                        }
                    ]
                },
                {"PhysicalResourceId": physical_id},
            )

    def queue(self, account: Account, config: dict[str, Any]) -> None:
        """Every call plan makes, in its order, with its exact parameters."""
        cfn, ses = self.stubs["cfn"], self.stubs["ses"]
        if account.stack_status is None:
            cfn.add_client_error(
                "describe_stacks",
                "ValidationError",
                f"Stack with id {STACK} does not exist",
                400,
                expected_params={"StackName": STACK},
            )
        else:
            cfn.add_response(
                "describe_stacks",
                {
                    "Stacks": [
                        {
                            "StackName": STACK,
                            "StackId": STACK_ID,
                            "CreationTime": "2026-11-01T00:00:00Z",
                            "StackStatus": account.stack_status,
                        }
                    ]
                },
                {"StackName": STACK},
            )
            summaries = [
                {
                    "LogicalResourceId": f"R{i}",
                    "PhysicalResourceId": pid,
                    "ResourceType": kind,
                    "LastUpdatedTimestamp": "2026-11-01T00:00:00Z",
                    "ResourceStatus": "CREATE_COMPLETE",
                }
                for i, (kind, pid) in enumerate(account.stack)
            ]
            cfn.add_response("list_stack_resources", {"StackResourceSummaries": summaries}, {"StackName": STACK})
        domain = config["domains"][0]
        if account.identity is None:
            ses.add_client_error(
                "get_email_identity",
                "NotFoundException",
                http_status_code=404,
                expected_params={"EmailIdentity": "example.com"},
            )
        else:
            ses.add_response("get_email_identity", account.identity, {"EmailIdentity": "example.com"})
            self.owner(account, "AWS::SES::EmailIdentity", "example.com")
        tokens = (account.identity or {}).get("DkimAttributes", {}).get("Tokens", [])
        expected = [*DKIM[: len(tokens)], MX, SPF]
        dmarc = domain.get("dmarc", {})
        expected += [DMARC_RECORD] if dmarc.get("publish", True) else []
        expected += [
            (f"{s}._report._dmarc.{domain['name']}", "TXT", '"v=DMARC1"') for s in dmarc.get("acceptReportsFor", [])
        ]
        if "hostedZoneId" in domain:
            self.stubs["route53"].add_response(
                "list_resource_record_sets",
                {
                    "ResourceRecordSets": [
                        {
                            "Name": f"{name}.",
                            "Type": kind,
                            "TTL": 300,
                            "ResourceRecords": [{"Value": v} for n, k, v in account.zone if (n, k) == (name, kind)],
                        }
                        for name, kind in dict.fromkeys((n, k) for n, k, _ in account.zone)
                    ],
                    "IsTruncated": False,
                    "MaxItems": "300",
                },
                {"HostedZoneId": ZONE},
            )
            present = {(n, k) for n, k, _ in account.zone}
            for name, kind, _ in expected:
                if (name, kind) in present:
                    self.owner(account, "AWS::Route53::RecordSet", name)
        set_name = config.get("configurationSet", {}).get("name")
        if set_name:
            ses.add_client_error(
                "get_configuration_set",
                "NotFoundException",
                http_status_code=404,
                expected_params={"ConfigurationSetName": set_name},
            )
        if "contactList" in config:
            wanted = config["contactList"]["name"]
            ses.add_response(
                "list_contact_lists", {"ContactLists": [{"ContactListName": n} for n in account.contact_lists]}, {}
            )
            if account.contact_lists:
                self.owner(
                    account,
                    "AWS::SES::ContactList",
                    wanted if wanted in account.contact_lists else account.contact_lists[0],
                )
        manage = config.get("accountSuppression", {}).get("manage", True)
        if manage and not any(kind == "Custom::SesAccountSuppression" for kind, _ in account.stack):
            ses.add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": account.suppressed}}, {})


@pytest.fixture
def stubs() -> Iterator[Stubs]:
    created = Stubs()
    for stub in created.stubs.values():
        stub.activate()
    yield created
    for stub in created.stubs.values():
        stub.assert_no_pending_responses()
        stub.deactivate()


@dataclass
class Planned:
    status: int
    text: str
    plan: dict[str, Any]

    def state(self, name: str) -> str:
        (found,) = [r for r in self.plan["resources"] if r["name"] == name]
        return str(found["state"])

    def resource(self, name: str) -> dict[str, Any]:
        (found,) = [r for r in self.plan["resources"] if r["name"] == name]
        return found


@pytest.fixture
def plan(stubs: Stubs, tmp_path: Path, serve_zone: Callable[..., str], capsys: Any) -> Callable[..., Planned]:
    def run(
        account: Account, config: dict[str, Any] | None = None, dns: list[tuple[str, str, str]] | None = None
    ) -> Planned:
        config = config or CONFIG
        nameserver = serve_zone(dns or [])
        outputs = []
        for as_json in (True, False):
            stubs.queue(account, config)
            outputs.append(
                stubs.run_plan(config, tmp_path, "--nameserver", nameserver, *(["--json"] if as_json else []))
            )
        capsys.readouterr()
        ((status, as_json), (text_status, text)) = outputs
        assert status == text_status
        (region_plan,) = json.loads(as_json)
        return Planned(status, text, region_plan)

    return run


def deployed() -> Account:
    """Everything already deployed by this app."""
    return Account(
        stack_status="UPDATE_COMPLETE",
        stack=[
            ("AWS::SES::EmailIdentity", "example.com"),
            ("AWS::SES::ContactList", "newsletter"),
            ("AWS::Route53::RecordSet", "mail.example.com"),
            ("AWS::Route53::RecordSet", "_dmarc.example.com"),
            *[("AWS::Route53::RecordSet", name) for name, _, _ in DKIM],
            ("Custom::SesAccountSuppression", "ses-account-suppression:prior=BOUNCE"),
        ],
        identity=copy.deepcopy(good_account()["get_email_identity"]),
        zone=[*APEX, *DKIM, MX, SPF, DMARC_RECORD],
        contact_lists=["newsletter"],
    )


# --- the scenario table (docs/adoption.md) -------------------------------------------------------------------------


def test_a_fresh_account_creates_everything(plan: Callable[..., Planned]) -> None:
    result = plan(Account())
    assert result.status == 0 and result.plan["deployable"] is True
    assert {r["state"] for r in result.plan["resources"]} == {"new"}
    assert [r["type"] for r in result.plan["resources"]] == [
        "AWS::CloudFormation::Stack",
        "AWS::SES::EmailIdentity",
        "AWS::Route53::RecordSet",
        "AWS::Route53::RecordSet",
        "AWS::Route53::RecordSet",
        "AWS::SES::ContactList",
        "Custom::SesAccountSuppression",
    ]
    assert result.resource("account-level suppression")["evidence"] == (
        "now BOUNCE,COMPLAINT; the stack sets BOUNCE,COMPLAINT and restores BOUNCE,COMPLAINT when it goes"
    )
    assert (
        result.text.splitlines()[-1]
        == f"  deploy with: cdk deploy -c config={result.text.split('config=')[1].split()[0]} {STACK}"
    )


def test_an_identity_verified_in_the_console_with_its_dkim_cnames_is_adopted(plan: Callable[..., Planned]) -> None:
    result = plan(Account(identity=console_identity(), zone=[*APEX, *DKIM]))
    assert result.status == 0
    assert result.state("example.com") == "adopt"
    assert (
        "`cdk deploy --import-existing-resources` imports it as it is, with its Easy DKIM keys"
        in (result.resource("example.com")["evidence"])
    )
    for name, _, value in DKIM:
        assert result.state(f"{name} CNAME") == "adopt"
        assert value in result.resource(f"{name} CNAME")["evidence"]
    assert result.state("mail.example.com MX") == "new"
    assert "--import-existing-resources SesStack-eu-west-1" in result.text.splitlines()[-1]
    # imported as it is: the commands that then give it the stack's MAIL FROM and default set
    assert result.resource("example.com")["fix"].split(" && ") == [
        "aws sesv2 put-email-identity-mail-from-attributes --region eu-west-1 --email-identity example.com "
        "--mail-from-domain mail.example.com --behavior-on-mx-failure REJECT_MESSAGE",
        "aws sesv2 put-email-identity-configuration-set-attributes --region eu-west-1 --email-identity example.com "
        "--configuration-set-name <the stack's ConfigurationSetName output>",
    ]


def test_an_adopted_identity_with_the_stacks_settings_needs_no_commands(plan: Callable[..., Planned]) -> None:
    config = {**copy.deepcopy(CONFIG), "configurationSet": {"name": "ses-default-set"}}
    identity = copy.deepcopy(good_account()["get_email_identity"])  # MAIL FROM, key length and set already set
    account = Account(identity=identity)
    result = plan(account, config)
    assert result.state("example.com") == "adopt" and result.resource("example.com")["fix"] == ""
    assert result.resource("example.com")["evidence"].endswith("; its settings already are the stack's")


def test_a_different_spf_on_the_mail_from_name_is_a_conflict_with_the_fix(plan: Callable[..., Planned]) -> None:
    result = plan(Account(zone=[*APEX, ("mail.example.com", "TXT", '"v=spf1 include:_spf.google.com ~all"')]))
    assert result.status == 1 and result.plan["deployable"] is False
    conflict = result.resource("mail.example.com TXT")
    assert conflict["state"] == "conflict"
    assert conflict["evidence"].startswith('holds "v=spf1 include:_spf.google.com ~all"; the stack writes')
    assert conflict["fix"].startswith(f"aws route53 change-resource-record-sets --hosted-zone-id {ZONE} --change-batch")
    assert '"Action": "UPSERT"' in conflict["fix"] and "or use another domains[0].mailFromSubdomain" in conflict["fix"]
    assert "NOT deployable" in result.text.splitlines()[0] and "deploy with" not in result.text


def test_an_identical_dmarc_record_is_adopted(plan: Callable[..., Planned]) -> None:
    result = plan(Account(zone=[*APEX, DMARC_RECORD]))
    assert (result.status, result.state("_dmarc.example.com TXT")) == (0, "adopt")


def test_a_different_dmarc_record_is_a_conflict_you_may_keep(plan: Callable[..., Planned]) -> None:
    result = plan(Account(zone=[*APEX, ("_dmarc.example.com", "TXT", '"v=DMARC1; p=reject"')]))
    assert (result.status, result.state("_dmarc.example.com TXT")) == (1, "conflict")
    assert result.resource("_dmarc.example.com TXT")["fix"].endswith(
        "or keep yours: set domains[0].dmarc.publish to false"
    )


def test_keeping_your_dmarc_record_makes_the_plan_deployable(plan: Callable[..., Planned]) -> None:
    config = copy.deepcopy(CONFIG)
    config["domains"][0]["dmarc"] = {"publish": False}
    result = plan(Account(zone=[*APEX, ("_dmarc.example.com", "TXT", '"v=DMARC1; p=reject"')]), config)
    assert result.status == 0
    assert not [r for r in result.plan["resources"] if r["name"].startswith("_dmarc")]


@pytest.mark.parametrize(
    ("zone", "state", "status"),
    [
        ([], "new", 0),
        ([("partner.example.org._report._dmarc.example.com", "TXT", '"v=DMARC1"')], "adopt", 0),
        ([("partner.example.org._report._dmarc.example.com", "TXT", '"v=DMARC1; x=y"')], "conflict", 1),
    ],
    ids=["new", "identical-adopted", "other-value"],
)
def test_a_report_authorization_is_planned_like_the_other_records(
    plan: Callable[..., Planned], zone: list[tuple[str, str, str]], state: str, status: int
) -> None:
    config = copy.deepcopy(CONFIG)
    config["domains"][0]["dmarc"]["acceptReportsFor"] = ["partner.example.org"]
    result = plan(Account(zone=[*APEX, *zone]), config)
    assert (result.status, result.state("partner.example.org._report._dmarc.example.com TXT")) == (status, state)


def test_a_contact_list_with_another_name_is_a_conflict(plan: Callable[..., Planned]) -> None:
    result = plan(Account(contact_lists=["customers"]))
    assert (result.status, result.state("newsletter")) == (1, "conflict")
    assert (
        result.resource("newsletter")["evidence"]
        == "SES allows one contact list per account and Region, and customers exists"
    )
    assert result.resource("newsletter")["fix"].startswith("set contactList.name to customers to adopt it")


def test_everything_already_deployed_by_this_app_is_managed(plan: Callable[..., Planned]) -> None:
    result = plan(deployed())
    assert result.status == 0
    assert {r["state"] for r in result.plan["resources"]} == {"managed"}
    assert result.resource("account-level suppression")["evidence"] == (
        "the stack sets BOUNCE,COMPLAINT; removing it (stack deletion, or accountSuppression.manage false) "
        "restores BOUNCE"
    )


# --- more conflicts -------------------------------------------------------------------------------------------------


def test_an_identity_of_another_stack_is_a_conflict(plan: Callable[..., Planned]) -> None:
    result = plan(Account(identity=console_identity(), owners={"example.com": "OldMailStack"}))
    assert (result.status, result.state("example.com")) == (1, "conflict")
    assert result.resource("example.com")["evidence"] == "identity of another stack, OldMailStack"


def test_a_byodkim_identity_is_not_adopted_silently(plan: Callable[..., Planned]) -> None:
    identity = console_identity(SigningAttributesOrigin="EXTERNAL", Tokens=[])
    result = plan(Account(identity=identity))
    assert (result.status, result.state("example.com")) == (1, "conflict")
    assert "BYODKIM" in result.resource("example.com")["evidence"]


def test_renaming_this_stacks_contact_list_is_caught(plan: Callable[..., Planned]) -> None:
    account = deployed()
    account.contact_lists = ["old-newsletter"]
    account.stack = [(k, "old-newsletter" if k == "AWS::SES::ContactList" else p) for k, p in account.stack]
    result = plan(account)
    assert (result.status, result.state("newsletter")) == (1, "conflict")
    assert (
        result.resource("newsletter")["fix"]
        == "keep contactList.name old-newsletter (its contacts and their opt-outs live in it)"
    )


def test_a_record_of_another_stack_is_a_conflict(plan: Callable[..., Planned]) -> None:
    result = plan(Account(zone=[*APEX, MX], owners={"mail.example.com": "OldMailStack"}))
    assert (result.status, result.state("mail.example.com MX")) == (1, "conflict")
    assert result.resource("mail.example.com MX")["evidence"] == (
        "MAIL FROM MX record of another stack, OldMailStack: never taken over (when that stack deletes it, DNS "
        "loses it)"
    )
    assert result.resource("mail.example.com MX")["fix"].startswith("remove it from OldMailStack first")


def test_a_cname_at_the_mail_from_name_is_a_conflict_before_anything_is_deployed(
    plan: Callable[..., Planned],
) -> None:
    result = plan(Account(zone=[*APEX, ("mail.example.com", "CNAME", "elsewhere.example.net")]))
    assert result.status == 1
    for name in ("mail.example.com MX", "mail.example.com TXT"):
        assert result.state(name) == "conflict"
        assert "DNS allows nothing beside a CNAME" in result.resource(name)["evidence"]
    assert result.state("_dmarc.example.com TXT") == "new"


def test_a_stack_that_failed_its_first_deploy_must_go_first(plan: Callable[..., Planned]) -> None:
    result = plan(Account(stack_status="ROLLBACK_COMPLETE"))
    assert (result.status, result.state(STACK)) == (1, "conflict")
    assert result.resource(STACK)["fix"].startswith(f"aws cloudformation delete-stack --stack-name {STACK}")


def test_turning_account_suppression_off_says_what_is_restored(plan: Callable[..., Planned]) -> None:
    config = {**copy.deepcopy(CONFIG), "accountSuppression": {"manage": False}}
    result = plan(deployed(), config)
    assert result.resource("account-level suppression")["evidence"] == (
        "accountSuppression.manage is false: the deploy removes the stack's setting and restores the reasons in "
        "force before its first deploy (BOUNCE)"
    )


# --- DNS outside Route53 (the loopback DNS server) -----------------------------------------------------------------


def test_dns_elsewhere_records_are_compared_with_public_dns(plan: Callable[..., Planned]) -> None:
    config = copy.deepcopy(CONFIG)
    del config["domains"][0]["hostedZoneId"]
    dns = [
        ("mail.example.com", "MX", "10 feedback-smtp.eu-west-1.amazonses.com."),  # published as listed
        ("mail.example.com", "TXT", '"v=spf1 include:mailgun.org ~all"'),  # another SPF
        # no _dmarc yet
    ]
    result = plan(Account(), config, dns)
    assert result.status == 1
    assert [
        (r["name"], r["type"], r["state"]) for r in result.plan["resources"] if r["type"] == "DNS::ManualRecord"
    ] == [
        ("mail.example.com MX", "DNS::ManualRecord", "adopt"),
        ("mail.example.com TXT", "DNS::ManualRecord", "conflict"),
        ("_dmarc.example.com TXT", "DNS::ManualRecord", "new"),
    ]
    assert result.resource("_dmarc.example.com TXT")["fix"] == f'publish TXT "{DMARC}"'


def test_cloudformation_access_denied_is_an_environment_error(stubs: Stubs, tmp_path: Path, capsys: Any) -> None:
    stubs.stubs["cfn"].add_client_error("describe_stacks", "AccessDenied", "not authorized to DescribeStacks", 403)
    status, _ = stubs.run_plan(CONFIG, tmp_path)
    assert status == 2
    line, hint = [x for x in capsys.readouterr().err.splitlines() if not x.startswith("[")]
    assert line.startswith("error: AWS: An error occurred (AccessDenied) when calling the DescribeStacks operation")
    assert hint.startswith("hint: cloudformation:DescribeStacks was denied: grant it (`ses-preflight iam-policy plan`")


# --- sharded Regions: each domain against its own stack --------------------------------------------------------------


def _no_stack(stubs: Stubs, name: str) -> None:
    stubs.stubs["cfn"].add_client_error(
        "describe_stacks", "ValidationError", f"Stack with id {name} does not exist", 400, {"StackName": name}
    )


def _stack_exists(stubs: Stubs, name: str, resources: list[tuple[str, str]]) -> None:
    cfn = stubs.stubs["cfn"]
    stack_id = f"arn:aws:cloudformation:{REGION}:123456789012:stack/{name}/guid"
    created = "2026-11-01T00:00:00Z"
    stack = {"StackName": name, "StackId": stack_id, "CreationTime": created, "StackStatus": "UPDATE_COMPLETE"}
    cfn.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": name})
    summaries = [
        {
            "LogicalResourceId": f"R{i}",
            "PhysicalResourceId": pid,
            "ResourceType": kind,
            "LastUpdatedTimestamp": created,
            "ResourceStatus": "CREATE_COMPLETE",
        }
        for i, (kind, pid) in enumerate(resources)
    ]
    cfn.add_response("list_stack_resources", {"StackResourceSummaries": summaries}, {"StackName": name})


def test_a_sharded_region_plans_each_domain_against_the_stack_holding_it(
    stubs: Stubs, tmp_path: Path, serve_zone: Callable[..., str], capsys: Any
) -> None:
    domain = {"name": "example.com", "hostedZoneId": ZONE, "domainStack": 2}
    config = {"regions": [REGION], "domainStacks": 2, "domains": [domain]}
    domain_stack = f"{STACK}-domains-2"
    records = [*DKIM, MX, SPF, DMARC_RECORD]
    _no_stack(stubs, STACK)
    _no_stack(stubs, f"{STACK}-domains-1")
    owned = [("AWS::SES::EmailIdentity", "example.com"), *[("AWS::Route53::RecordSet", n) for n, _, _ in records]]
    _stack_exists(stubs, domain_stack, owned)
    identity = good_account()["get_email_identity"]
    stubs.stubs["ses"].add_response("get_email_identity", identity, {"EmailIdentity": "example.com"})
    record_sets = [{"Name": f"{n}.", "Type": k, "TTL": 300, "ResourceRecords": [{"Value": v}]} for n, k, v in records]
    listing = {"ResourceRecordSets": record_sets, "IsTruncated": False, "MaxItems": "300"}
    stubs.stubs["route53"].add_response("list_resource_record_sets", listing, {"HostedZoneId": ZONE})
    suppression = {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]}}
    stubs.stubs["ses"].add_response("get_account", suppression, {})
    status, text = stubs.run_plan(config, tmp_path, "--nameserver", serve_zone([]))
    capsys.readouterr()
    assert status == 0, text
    lines = text.splitlines()
    assert lines[0].startswith(f"Plan for {STACK} and its 2 domain stacks ({REGION}): ")
    assert f"  NEW       AWS::CloudFormation::Stack     {STACK}-domains-1: no such stack yet" in lines
    assert f"  MANAGED   AWS::SES::EmailIdentity        example.com: identity of {domain_stack}" in lines
    assert lines[-1].endswith(f"{STACK} '{STACK}-domains-*'")


def test_an_identity_moving_between_the_apps_stacks_is_a_conflict_with_the_order_to_deploy(
    stubs: Stubs, tmp_path: Path, serve_zone: Callable[..., str], capsys: Any
) -> None:
    # Turning domainStacks on for a deployed Region: the identity is still in the shared stack.
    config = {"regions": [REGION], "domainStacks": 1, "domains": [{"name": "example.com"}]}
    _stack_exists(stubs, STACK, [("AWS::SES::EmailIdentity", "example.com")])
    _no_stack(stubs, f"{STACK}-domains-1")
    identity = good_account()["get_email_identity"]
    stubs.stubs["ses"].add_response("get_email_identity", identity, {"EmailIdentity": "example.com"})
    stubs.stubs["cfn"].add_response(
        "describe_stack_resources",
        {
            "StackResources": [
                {
                    "StackName": STACK,
                    "StackId": STACK_ID,
                    "LogicalResourceId": "examplecomIdentity",
                    "PhysicalResourceId": "example.com",
                    "ResourceType": "AWS::SES::EmailIdentity",
                    "Timestamp": "2026-11-01T00:00:00Z",
                    "ResourceStatus": "CREATE_COMPLETE",
                }
            ]
        },
        {"PhysicalResourceId": "example.com"},
    )
    stubs.stubs["ses"].add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": ["BOUNCE"]}}, {})
    status, out = stubs.run_plan(config, tmp_path, "--nameserver", serve_zone([]), "--json")
    capsys.readouterr()
    (region_plan,) = json.loads(out)
    assert status == 1 and region_plan["domainStacks"] == [f"{STACK}-domains-1"]
    (moving,) = [r for r in region_plan["resources"] if r["name"] == "example.com"]
    assert moving["state"] == "conflict"
    assert moving["evidence"].startswith(
        f"identity of {STACK}, another stack of this app: it moves to {STACK}-domains-1"
    )
    assert moving["fix"].startswith(f"deploy {STACK} first, which lets it go")
    assert moving["movesFrom"] == STACK
    assert all("movesFrom" not in r for r in region_plan["resources"] if r["name"] != "example.com")


def test_the_text_plan_counts_the_domains_that_change_stacks() -> None:
    identity = "AWS::SES::EmailIdentity"
    resources = (
        PlannedResource(identity, "a.example", "conflict", "moves", moves_from=f"{STACK}-domains-2"),
        PlannedResource(identity, "b.example", "conflict", "moves", moves_from=f"{STACK}-domains-1"),
        PlannedResource(identity, "c.example", "conflict", "moves", moves_from=f"{STACK}-domains-2"),
        PlannedResource(identity, "d.example", "managed", f"identity of {STACK}-domains-3"),
    )
    text = format_plan(RegionPlan(REGION, STACK, resources, (f"{STACK}-domains-3",)), "c.json")
    assert f"  moves: 3 domains change stacks (1 from {STACK}-domains-1, 2 from {STACK}-domains-2)" in text
    settled = format_plan(RegionPlan(REGION, STACK, resources[3:], (f"{STACK}-domains-3",)), "c.json")
    assert "moves:" not in settled


@pytest.mark.parametrize("deed", [True, False])
def test_a_deed_secondary_region_plans_no_dkim_records_of_its_own(
    stubs: Stubs, tmp_path: Path, serve_zone: Callable[..., str], capsys: Any, deed: bool
) -> None:
    config = {"regions": ["eu-west-1", "us-east-1"], "deterministicEasyDkim": deed,
              "domains": [{"name": "example.com", "hostedZoneId": ZONE}]}  # fmt: skip
    secondary = "SesStack-us-east-1"
    _no_stack(stubs, secondary)
    identity = copy.deepcopy(good_account()["get_email_identity"])
    stubs.stubs["ses"].add_response("get_email_identity", identity, {"EmailIdentity": "example.com"})
    stubs.stubs["cfn"].add_client_error(
        "describe_stack_resources", "ValidationError", "Stack for example.com does not exist", 400,
        expected_params={"PhysicalResourceId": "example.com"},
    )  # fmt: skip
    listing = {"ResourceRecordSets": [], "IsTruncated": False, "MaxItems": "300"}
    stubs.stubs["route53"].add_response("list_resource_record_sets", listing, {"HostedZoneId": ZONE})
    stubs.stubs["ses"].add_response("get_account", {"SuppressionAttributes": {"SuppressedReasons": []}}, {})
    _, out = stubs.run_plan(config, tmp_path, "--region", "us-east-1", "--nameserver", serve_zone([]), "--json")
    capsys.readouterr()
    (region_plan,) = json.loads(out)
    dkim = [r for r in region_plan["resources"] if "._domainkey." in r["name"]]
    assert len(dkim) == (0 if deed else 3)
    assert [r["name"] for r in region_plan["resources"] if r["name"].startswith("mail-us-east-1")] == [
        "mail-us-east-1.example.com MX", "mail-us-east-1.example.com TXT"
    ]  # fmt: skip
