"""Config file validation: every rule, valid and invalid, with the exact message."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from ses_stack.config import (
    ConfigError,
    MailFromMxFailure,
    json_schema,
    load_config,
    parse_config,
    plan_stacks,
)
from ses_stack.identity.dmarc import DmarcAlignment, DmarcPolicy
from tests.conftest import EXAMPLE_CONFIG, ROOT, example_config_data


def minimal(**domain: Any) -> dict[str, Any]:
    return {"regions": ["eu-west-1"], "domains": [{"name": "example.com", **domain}]}


def errors_of(data: Any) -> list[str]:
    with pytest.raises(ConfigError) as raised:
        parse_config(data, "cfg.json")
    return raised.value.lines()


def test_example_config_is_valid_and_typed() -> None:
    config = load_config(EXAMPLE_CONFIG)
    assert config.regions == ["eu-west-1"]
    (domain,) = config.domains
    assert domain.name == "example.com"
    assert domain.hosted_zone_id == "Z0123456789ABCDEFGHIJ"
    assert domain.mail_from_domain == "mail.example.com"
    assert domain.dmarc.policy is DmarcPolicy.QUARANTINE
    assert domain.dmarc.adkim is DmarcAlignment.RELAXED
    assert domain.dmarc.rua == ["dmarc-reports@example.com"]


def test_defaults_of_a_minimal_domain() -> None:
    (domain,) = parse_config(minimal()).domains
    assert domain.hosted_zone_id is None
    assert domain.mail_from_subdomain == "mail"
    assert domain.behavior_on_mx_failure is MailFromMxFailure.REJECT_MESSAGE
    assert domain.dmarc.publish is True
    assert domain.dmarc.policy is DmarcPolicy.NONE
    assert domain.dmarc.to_dmarc().record_value() == "v=DMARC1; p=none"
    assert parse_config(minimal()).account is None


def test_domain_names_are_case_insensitive_and_stored_lower_case() -> None:
    (domain,) = parse_config(minimal(name="Mail.Example.COM", mailFromSubdomain="Bounce")).domains
    assert domain.name == "mail.example.com"
    assert domain.mail_from_domain == "bounce.mail.example.com"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            minimal(dmarc={"policy": "block"}),
            'cfg.json: domains[0].dmarc.policy: must be one of none, quarantine, reject; got "block"',
        ),
        (minimal(dmarc={"pct": 150}), "cfg.json: domains[0].dmarc.pct: must be from 0 to 100; got 150"),
        (minimal(dmarc={"pct": -1}), "cfg.json: domains[0].dmarc.pct: must be from 0 to 100; got -1"),
        (minimal(dmarc={"pct": "50"}), 'cfg.json: domains[0].dmarc.pct: must be a whole number; got "50"'),
        (minimal(dmarc={"adkim": "x"}), 'cfg.json: domains[0].dmarc.adkim: must be one of r, s; got "x"'),
        (minimal(dmarc={"aspf": "relaxed"}), 'cfg.json: domains[0].dmarc.aspf: must be one of r, s; got "relaxed"'),
        (
            minimal(dmarc={"subdomainPolicy": "all"}),
            'cfg.json: domains[0].dmarc.subdomainPolicy: must be one of none, quarantine, reject; got "all"',
        ),
        (
            minimal(dmarc={"rua": ["not-an-address"]}),
            "cfg.json: domains[0].dmarc.rua[0]: must be an e-mail address such as reports@example.com; "
            'got "not-an-address"',
        ),
        (
            minimal(dmarc={"rua": "reports@example.com"}),
            'cfg.json: domains[0].dmarc.rua: must be a list; got "reports@example.com"',
        ),
        (
            minimal(dmarc={"ruf": ["x@bad_domain"]}),
            "cfg.json: domains[0].dmarc.ruf[0]: must be an e-mail address with a valid domain, such as "
            'reports@example.com; got "x@bad_domain"',
        ),
        (
            minimal(dmarc={"rua": ["dmarc@mail.example.com"]}),
            "cfg.json: domains[0].dmarc.rua[0]: mail.example.com is a MAIL FROM domain, whose MX is SES's "
            "feedback endpoint, so it cannot receive reports; use a mailbox that receives mail; "
            'got "dmarc@mail.example.com"',
        ),
        (
            minimal(dmarc={"policy": "none", "polcy": "reject"}),
            'cfg.json: domains[0].dmarc.polcy: unknown key; did you mean "policy"? '
            "(allowed: acceptReportsFor, adkim, aspf, authorizeSenders, nonexistentSubdomainPolicy, pct, policy, psd, "
            "publish, rua, ruf, subdomainPolicy, testMode)",
        ),
        (
            minimal(hostedZoneID="Z0123456789ABCDEFGHIJ"),
            'cfg.json: domains[0].hostedZoneID: unknown key; did you mean "hostedZoneId"? '
            "(allowed: behaviorOnMxFailure, dmarc, domainStack, hostedZoneId, mailFromSubdomain, name, "
            "waitForVerification)",
        ),
        (
            minimal(hostedZoneId="/hostedzone/Z0123456789ABC"),
            'cfg.json: domains[0].hostedZoneId: must be the bare zone id, without the "/hostedzone/" prefix; '
            'got "/hostedzone/Z0123456789ABC"',
        ),
        (
            minimal(hostedZoneId="z0123"),
            "cfg.json: domains[0].hostedZoneId: must be a Route53 hosted zone id: Z followed by 4-31 upper-case "
            'letters or digits; got "z0123"',
        ),
        (
            minimal(name="localhost"),
            "cfg.json: domains[0].name: must be a domain name with at least two labels, such as example.com; "
            'got "localhost"',
        ),
        (
            minimal(name="exa_mple.com"),
            'cfg.json: domains[0].name: has an invalid label "exa_mple": labels are 1-63 letters, digits or '
            'hyphens, not starting or ending with a hyphen; got "exa_mple.com"',
        ),
        (minimal(name="example.com."), 'cfg.json: domains[0].name: must not end with a dot; got "example.com."'),
        (
            minimal(name="bücher.de"),
            "cfg.json: domains[0].name: must be ASCII; write it in its IDNA A-label form: xn--bcher-kva.de (names "
            'are never converted silently); got "bücher.de"',
        ),
        (
            minimal(name="10.0.0.1"),
            'cfg.json: domains[0].name: must end in a top-level domain, not a number; got "10.0.0.1"',
        ),
        (minimal(name=5), "cfg.json: domains[0].name: must be a string; got 5"),
        (
            minimal(mailFromSubdomain=""),
            "cfg.json: domains[0].mailFromSubdomain: must be a subdomain label such as mail; the MAIL FROM domain "
            'cannot be the domain itself; got ""',
        ),
        (
            minimal(mailFromSubdomain="-mail"),
            "cfg.json: domains[0].mailFromSubdomain: must be one or more DNS labels (letters, digits or hyphens, "
            "1-63 characters, not starting or ending with a hyphen) naming a subdomain, not a full domain; "
            'got "-mail"',
        ),
        (
            minimal(behaviorOnMxFailure="IGNORE"),
            'cfg.json: domains[0].behaviorOnMxFailure: must be one of REJECT_MESSAGE, USE_DEFAULT_VALUE; got "IGNORE"',
        ),
        ({"regions": ["eu-west-1"]}, "cfg.json: domains: is required"),
        ({"regions": ["eu-west-1"], "domains": []}, "cfg.json: domains: must not be empty; got []"),
        ({"domains": [{"name": "example.com"}]}, "cfg.json: regions: is required"),
        (
            {"regions": ["eu-west-1", "eu-west-1"], "domains": [{"name": "example.com"}]},
            "cfg.json: regions: lists Region eu-west-1 more than once",
        ),
        (
            {**minimal(), "account": "12345"},
            'cfg.json: account: must be a 12-digit AWS account id; got "12345"',
        ),
        (
            {**minimal(), "stackNamePrefix": "1bad_name"},
            'cfg.json: stackNamePrefix: must be a letter, then up to 100 letters, digits or hyphens; got "1bad_name"',
        ),
        (
            {**minimal(), "regoins": ["eu-west-1"]},
            'cfg.json: regoins: unknown key; did you mean "regions"? '
            "(allowed: $schema, account, accountSuppression, configurationSet, contactList, deterministicEasyDkim, "
            "domainStacks, domainStacksBase, domains, feedback, globalEndpoint, operations, productionAccess, "
            "providers, regions, removalPolicy, reputation, stackNamePrefix, tenants, transactionalOnly, vdm)",
        ),
        ([minimal()], "cfg.json: the top level must be a JSON object; got " + json.dumps([minimal()])),
    ],
)
def test_invalid_config_names_the_path_the_rule_and_the_value(data: Any, expected: str) -> None:
    assert errors_of(data) == [expected]


def test_region_must_be_an_ses_region() -> None:
    (line,) = errors_of({"regions": ["eu-west-9"], "domains": [{"name": "example.com"}]})
    assert line.startswith("cfg.json: regions[0]: must be a Region where Amazon SES is available (af-south-1, ")
    assert line.endswith('; got "eu-west-9"')
    assert "us-gov-west-1" in line


def test_duplicate_domains_compare_case_insensitively() -> None:
    data = {
        "regions": ["eu-west-1"],
        "domains": [{"name": "example.com"}, {"name": "other.org"}, {"name": "EXAMPLE.com"}],
    }
    assert errors_of(data) == [
        'cfg.json: domains[2].name: duplicate domain "example.com" (also domains[0]); DNS names are '
        "case-insensitive and each domain is one SES identity"
    ]


def test_every_problem_is_reported_at_once() -> None:
    data = minimal(name="bad", dmarc={"policy": "block", "pct": 101})
    assert len(errors_of(data)) == 3


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {**minimal(), "configurationSet": {"name": "has spaces"}},
            'cfg.json: configurationSet.name: must be 1-64 letters, digits, underscores or hyphens; got "has spaces"',
        ),
        (
            {**minimal(), "configurationSet": {"maxDeliverySeconds": 60}},
            "cfg.json: configurationSet.maxDeliverySeconds: must be from 300 to 50400; got 60",
        ),
        (
            {**minimal(), "configurationSet": {"httpsPolicy": "REQUIRE"}},
            "cfg.json: configurationSet.httpsPolicy: needs configurationSet.customRedirectDomain",
        ),
        (
            {**minimal(), "configurationSet": {"dedicatedIpPool": "mine", "managedDedicatedIpPool": "managed"}},
            "cfg.json: configurationSet.managedDedicatedIpPool: cannot be combined with "
            "configurationSet.dedicatedIpPool (a set sends from one pool)",
        ),
        (
            {**minimal(), "deterministicEasyDkim": True},
            "cfg.json: deterministicEasyDkim: needs two Regions or more: secondary Regions sign with the first one's "
            "keys",
        ),
        (
            {**minimal(), "vdm": {"engagementMetrics": "yes"}},
            'cfg.json: vdm.engagementMetrics: must be true or false; got "yes"',
        ),
        (
            {**minimal(), "configurationSet": {"customRedirectDomain": "track"}},
            "cfg.json: configurationSet.customRedirectDomain: must be a domain name with at least two labels, "
            'such as example.com; got "track"',
        ),
        (
            {**minimal(), "feedback": {"additionalEventTypes": ["OPEN"]}},
            'cfg.json: feedback.additionalEventTypes[0]: must be one of DELIVERY, REJECT, DELIVERY_DELAY; got "OPEN"',
        ),
        (
            {**minimal(), "feedback": {"additionalEventTypes": ["REJECT", "REJECT"]}},
            "cfg.json: feedback.additionalEventTypes: lists event type REJECT more than once",
        ),
        (
            {**minimal(), "feedback": {"existingTopicName": "events.fifo"}},
            "cfg.json: feedback.existingTopicName: must be a standard topic name: 1-256 letters, digits, _ or -; "
            'got "events.fifo"',
        ),
    ],
)
def test_invalid_pipeline_settings(data: Any, expected: str) -> None:
    assert errors_of(data) == [expected]


TOPIC = {"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            {"contactList": {"name": "list", "topics": [TOPIC]}, "transactionalOnly": True},
            "cfg.json: transactionalOnly: cannot be true with a contactList: a contact list is for bulk mail",
        ),
        (
            {"contactList": {"name": "list", "topics": [TOPIC, TOPIC]}},
            'cfg.json: contactList.topics[1].name: duplicate topic "news"',
        ),
        ({"contactList": {"name": "list", "topics": []}}, "cfg.json: contactList.topics: must not be empty; got []"),
        (
            {"contactList": {"name": "list", "topics": [{**TOPIC, "name": f"t{i}"} for i in range(21)]}},
            "cfg.json: contactList.topics: must list at most 20 items; got 21",
        ),
        (
            {"contactList": {"name": "list", "topics": [{"name": "news", "displayName": "News"}]}},
            "cfg.json: contactList.topics[0].defaultSubscription: is required",
        ),
        (
            {"contactList": {"name": "list", "topics": [{**TOPIC, "defaultSubscription": "YES"}]}},
            'cfg.json: contactList.topics[0].defaultSubscription: must be one of OPT_IN, OPT_OUT; got "YES"',
        ),
        (
            {"contactList": {"name": "list", "topics": [{**TOPIC, "displayName": "x" * 129}]}},
            "cfg.json: contactList.topics[0].displayName: must be at most 128 characters; got 129",
        ),
        (
            {"contactList": {"name": "my list", "topics": [TOPIC]}},
            'cfg.json: contactList.name: must be 1-64 letters, digits, underscores or hyphens; got "my list"',
        ),
        (
            {"reputation": {"bounceRate": {"warning": 0.05, "critical": 0.04}}},
            "cfg.json: reputation.bounceRate: needs warning < critical < 0.05 (the rate at which AWS reviews the "
            "account); got warning 0.05, critical 0.04",
        ),
        (
            {"reputation": {"complaintRate": {"warning": 0.0005, "critical": 0.001}}},
            "cfg.json: reputation.complaintRate: needs warning < critical < 0.001 (the rate at which AWS reviews "
            "the account); got warning 0.0005, critical 0.001",
        ),
        (
            {"reputation": {"bounceRate": {"warning": 0, "critical": 0.04}}},
            "cfg.json: reputation.bounceRate.warning: must be greater than 0.0; got 0",
        ),
        (
            {"reputation": {"bounceRate": {"warning": 0.01}}},
            "cfg.json: reputation.bounceRate.critical: is required",
        ),
        (
            {"accountSuppression": {"reasons": []}},
            "cfg.json: accountSuppression.reasons: must not be empty; got []",
        ),
        (
            {"accountSuppression": {"reasons": ["BOUNCE", "BOUNCE"]}},
            "cfg.json: accountSuppression.reasons: lists reason BOUNCE more than once",
        ),
        (
            {"accountSuppression": {"reasons": ["SPAM"]}},
            'cfg.json: accountSuppression.reasons[0]: must be one of BOUNCE, COMPLAINT; got "SPAM"',
        ),
        (
            {"operations": {"alarmEmails": ["ops"]}},
            'cfg.json: operations.alarmEmails[0]: must be an e-mail address such as reports@example.com; got "ops"',
        ),
        ({"transactionalOnly": "yes"}, 'cfg.json: transactionalOnly: must be true or false; got "yes"'),
        (
            {"accountSuppression": {"manage": False, "autoValidation": "HIGH"}},
            "cfg.json: accountSuppression.autoValidation: needs accountSuppression.manage: true (the stack sets "
            "account-level Auto Validation with the reasons)",
        ),
        (
            {"accountSuppression": {"autoValidation": "LOW"}},
            'cfg.json: accountSuppression.autoValidation: must be one of MEDIUM, HIGH, MANAGED; got "LOW"',
        ),
        (
            {"configurationSet": {"autoValidation": "high"}},
            'cfg.json: configurationSet.autoValidation: must be one of MEDIUM, HIGH, MANAGED; got "high"',
        ),
    ],
)
def test_invalid_account_unsubscribe_and_reputation_settings(extra: dict[str, Any], expected: str) -> None:
    assert errors_of({**minimal(), **extra}) == [expected]


def test_example_configs_are_valid() -> None:
    full = load_config(EXAMPLE_CONFIG)
    assert full.contact_list is not None and full.contact_list.topics[0].name == "newsletter"
    assert full.operations.alarm_emails == ["ops@example.com"]
    transactional = load_config(ROOT / "examples" / "transactional.json")
    assert transactional.transactional_only is True
    assert transactional.reputation.bounce_rate.critical == 0.03
    assert transactional.reputation.complaint_rate.critical == 0.0008  # default kept


def test_valid_variants_are_accepted() -> None:
    data = {
        "$schema": "./ses-stack.schema.json",
        "account": "123456789012",
        "regions": ["us-east-1", "ap-southeast-2", "us-gov-west-1"],
        "stackNamePrefix": "Mail",
        "configurationSet": {
            "name": "transactional",
            "customRedirectDomain": "Track.Example.com",
            "httpsPolicy": "REQUIRE",
            "maxDeliverySeconds": 3600,
            "dedicatedIpPool": "pool-1",
        },
        "feedback": {"additionalEventTypes": ["DELIVERY", "REJECT", "DELIVERY_DELAY"], "existingTopicName": "ses"},
        "domains": [
            {"name": "example.com", "hostedZoneId": "Z0123456789ABCDEFGHIJ"},
            {
                "name": "news.example.org",
                "mailFromSubdomain": "bounce.mail",
                "behaviorOnMxFailure": "USE_DEFAULT_VALUE",
                "dmarc": {"publish": False},
            },
            {
                "name": "xn--bcher-kva.de",
                "dmarc": {
                    "policy": "reject",
                    "subdomainPolicy": "quarantine",
                    "rua": ["mailto:agg@reports.example.net"],
                    "ruf": ["forensic@example.net"],
                    "pct": 0,
                    "adkim": "s",
                    "aspf": "s",
                },
            },
        ],
    }
    config = parse_config(data)
    assert config.account == "123456789012"
    assert config.configuration_set.custom_redirect_domain == "track.example.com"
    assert [e.value for e in config.feedback.additional_event_types] == ["DELIVERY", "REJECT", "DELIVERY_DELAY"]
    assert [p.stack_name for p in plan_stacks(config)] == [
        "Mail-us-east-1",
        "Mail-ap-southeast-2",
        "Mail-us-gov-west-1",
    ]
    assert all(len(p.domains) == 3 for p in plan_stacks(config))
    assert config.domains[2].dmarc.to_dmarc().record_value() == (
        "v=DMARC1; p=reject; sp=quarantine; pct=0; rua=mailto:agg@reports.example.net; "
        "ruf=mailto:forensic@example.net; adkim=s; aspf=s"
    )


def test_load_config_reports_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(ConfigError) as raised:
        load_config(missing)
    assert raised.value.lines() == [f"{missing}: file not found"]


def test_load_config_reports_invalid_json_with_position(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"regions": ["eu-west-1"],\n "domains": [}\n')
    with pytest.raises(ConfigError) as raised:
        load_config(broken)
    assert raised.value.lines() == [f"{broken}: invalid JSON at line 2 column 14: Expecting value"]


def test_load_config_names_the_file_in_validation_errors(tmp_path: Path) -> None:
    data = copy.deepcopy(example_config_data())
    data["domains"][0]["dmarc"]["policy"] = "block"
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.lines() == [
        f'{path}: domains[0].dmarc.policy: must be one of none, quarantine, reject; got "block"'
    ]


@pytest.mark.parametrize("path", ["examples/ses-stack.schema.json", "ses_stack/config/ses-stack.schema.json"])
def test_shipped_schema_matches_the_model(path: str) -> None:
    """The example's copy and the one in the wheel (package data)."""
    shipped = json.loads((ROOT / path).read_text())
    assert shipped == json_schema(), f"regenerate with: .venv/bin/python -m ses_stack.config > {path}"


def test_schema_describes_the_documented_shape() -> None:
    schema = json_schema()
    assert set(schema["properties"]) == {
        "$schema",
        "account",
        "regions",
        "stackNamePrefix",
        "domains",
        "deterministicEasyDkim",
        "domainStacks",
        "domainStacksBase",
        "configurationSet",
        "feedback",
        "accountSuppression",
        "contactList",
        "transactionalOnly",
        "reputation",
        "operations",
        "productionAccess",
        "globalEndpoint",
        "tenants",
        "vdm",
        "removalPolicy",
        "providers",
    }
    assert schema["required"] == ["regions", "domains"]
    assert schema["additionalProperties"] is False
    assert "eu-west-1" in schema["properties"]["regions"]["items"]["enum"]
    domain = schema["$defs"]["DomainConfig"]
    assert set(domain["properties"]) == {
        "name",
        "hostedZoneId",
        "mailFromSubdomain",
        "behaviorOnMxFailure",
        "dmarc",
        "waitForVerification",
        "domainStack",
    }
    assert schema["$defs"]["DmarcPolicy"]["enum"] == ["none", "quarantine", "reject"]


def test_each_secondary_region_gets_its_own_mail_from_subdomain_and_no_dmarc() -> None:
    config = parse_config({"regions": ["eu-west-1", "us-east-1"], "domains": [{"name": "example.com"}]})
    primary, secondary = plan_stacks(config)
    assert (primary.domains[0].mail_from_domain, primary.domains[0].dmarc.publish) == ("mail.example.com", True)
    assert (secondary.domains[0].mail_from_domain, secondary.domains[0].dmarc.publish) == (
        "mail-us-east-1.example.com",
        False,
    )


def test_regional_mail_from_subdomain_must_stay_a_valid_label() -> None:
    long_label = "m" * 55
    assert errors_of(
        {
            "regions": ["eu-west-1", "ap-southeast-2"],
            "domains": [{"name": "example.com", "mailFromSubdomain": long_label}],
        }
    ) == [
        f'cfg.json: domains[0].mailFromSubdomain: in ap-southeast-2 it becomes "{long_label}-ap-southeast-2": the '
        f"MAIL FROM domain {long_label}-ap-southeast-2.example.com has a 70-character label; DNS allows 63"
    ]


@pytest.mark.parametrize(
    ("access", "expected"),
    [
        (
            {"mailType": "PROMOTIONAL"},
            'productionAccess.mailType: must be one of TRANSACTIONAL, MARKETING; got "PROMOTIONAL"',
        ),
        ({"contactLanguage": "JP"}, 'productionAccess.contactLanguage: must be one of EN, JA; got "JP"'),
        (
            {"websiteUrl": "example.com"},
            "productionAccess.websiteUrl: must be an http:// or https:// URL without spaces or control characters; "
            'got "example.com"',
        ),
        (
            {"additionalContactEmails": ["a@example.com"] * 5},
            "productionAccess.additionalContactEmails: must list at most 4 items; got 5",
        ),
        ({"useCase": "short"}, 'productionAccess.useCase: must be at least 20 character(s); got "short"'),
    ],
)
def test_invalid_production_access(access: dict[str, Any], expected: str) -> None:
    base = {
        "mailType": "TRANSACTIONAL",
        "websiteUrl": "https://example.com",
        "useCase": "Receipts and password resets for our customers.",
        "recipientSource": "Customers who create an account on example.com.",
    }
    assert errors_of({**minimal(), "productionAccess": {**base, **access}}) == [f"cfg.json: {expected}"]


def test_marketing_contradicts_transactional_only() -> None:
    data = {
        **minimal(),
        "transactionalOnly": True,
        "productionAccess": {
            "mailType": "MARKETING",
            "websiteUrl": "https://example.com",
            "useCase": "A newsletter for our customers, monthly.",
            "recipientSource": "Customers who subscribe on example.com.",
        },
    }
    assert errors_of(data) == ["cfg.json: productionAccess.mailType: MARKETING contradicts transactionalOnly: true"]


def test_numbers_must_be_numbers() -> None:
    assert errors_of({**minimal(), "reputation": {"bounceRate": {"warning": "high", "critical": 0.04}}}) == [
        'cfg.json: reputation.bounceRate.warning: must be a number; got "high"'
    ]


def test_unknown_keys_are_found_in_nested_lists() -> None:
    topic = {"name": "a", "displayName": "A", "defaultSubscription": "OPT_IN", "colour": "red"}
    assert errors_of({**minimal(), "contactList": {"name": "l", "topics": [topic]}}) == [
        "cfg.json: contactList.topics[0].colour: unknown key (allowed: defaultSubscription, description, displayName, "
        "name)"
    ]


def test_empty_file_is_reported_as_such(tmp_path: Path) -> None:
    empty = tmp_path / "empty.json"
    empty.write_text("\n")
    with pytest.raises(ConfigError) as raised:
        load_config(empty)
    assert raised.value.lines() == [f"{empty}: the file is empty; it must hold a JSON object"]


def test_feedback_log_settings_default_to_90_days_hashed() -> None:
    feedback = parse_config(minimal()).feedback
    assert (feedback.log_retention_days, feedback.log_addresses.value) == (90, "hashed")


@pytest.mark.parametrize(
    ("feedback", "expected"),
    [
        (
            {"logRetentionDays": 100},
            "cfg.json: feedback.logRetentionDays: must be one of CloudWatch's periods (1, 3, 5",
        ),
        ({"logRetentionDays": "90"}, 'cfg.json: feedback.logRetentionDays: must be a whole number; got "90"'),
        ({"logAddresses": "plain"}, 'cfg.json: feedback.logAddresses: must be one of hashed, clear; got "plain"'),
    ],
)
def test_invalid_feedback_log_settings(feedback: dict[str, Any], expected: str) -> None:
    assert errors_of({**minimal(), "feedback": feedback})[0].startswith(expected)


def test_removal_policy_defaults_to_retain_and_accepts_destroy() -> None:
    assert parse_config(minimal()).removal_policy.value == "retain"
    assert parse_config({**minimal(), "removalPolicy": "destroy"}).removal_policy.value == "destroy"
    assert errors_of({**minimal(), "removalPolicy": "delete"}) == [
        'cfg.json: removalPolicy: must be one of retain, destroy; got "delete"'
    ]
