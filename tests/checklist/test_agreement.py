"""The two evaluators agree: the synth-time checklist of a template and the live checklist of the account and DNS
that template would produce once deployed give the same verdict on every item.

The "deployed" world is derived from the template itself: its Route53 records served by a real DNS server on
loopback (with made-up DKIM tokens in place of the identity's attributes), and SES and SNS answering what the
template's resources would hold (validated against the botocore models). Only what a template cannot know is
left out: account-level suppression set outside the stack (an account's own default), and DNS outside Route53.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ses_stack.checklist import Checklist, Status, evaluate_template
from ses_stack.checklist.template_reading import render, resources
from ses_stack.config import parse_config
from ses_stack.config.operations import marketing_mail
from ses_stack.inbox import InboxReport, InboxStatus, Provider, evaluate_providers
from ses_stack.inbox.template import template_facts
from ses_stack.preflight.check.dns import make_resolver
from ses_stack.preflight.check.live import Clients, evaluate_region
from tests.aws_double import AwsDouble
from tests.conftest import ROOT, synth_config
from tests.deployed import answer_as_deployed, deployed_zone
from tests.preflight.dns_server import ZoneResolver, running_dns_server

REGION = "eu-west-1"
ZONE = "Z0123456789ABCDEFGHIJ"
CONTACT_LIST = {
    "name": "newsletter",
    "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
}


def config(
    dmarc: dict[str, Any] | None = None,
    name: str = "example.com",
    domain_extra: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    domain: dict[str, Any] = {"name": name, "hostedZoneId": ZONE, **(domain_extra or {})}
    if dmarc is not None:
        domain["dmarc"] = dmarc
    return {"regions": [REGION], "domains": [domain], "contactList": CONTACT_LIST, **extra}


CASES = {
    "example": "examples/ses-stack.json",
    "dmarc-defaults-p-none-no-rua": config(),
    "p-none-with-rua": config({"policy": "none", "rua": ["dmarc@example.com"]}),
    "p-reject-strict-sp-none": config(
        {"policy": "reject", "subdomainPolicy": "none", "rua": ["dmarc@example.com"], "adkim": "s"}
    ),
    "pct-removed-by-dmarcbis": config({"policy": "quarantine", "rua": ["dmarc@example.com"], "pct": 50}),
    "pct-100": config({"policy": "quarantine", "rua": ["dmarc@example.com"], "pct": 100}),
    "rua-and-ruf": config(
        {"policy": "quarantine", "rua": ["a@example.com", "b@example.com"], "ruf": ["f@example.com"]}
    ),
    "subdomain-in-parent-zone": config({"policy": "reject", "rua": ["dmarc@example.com"]}, name="news.example.com"),
    "use-default-on-mx-failure": config(
        {"rua": ["dmarc@example.com"]}, domain_extra={"behaviorOnMxFailure": "USE_DEFAULT_VALUE"}
    ),
    "own-topic": config({"rua": ["dmarc@example.com"]}, feedback={"existingTopicName": "events"}),
    "transactional-only": {
        "regions": [REGION],
        "domains": [{"name": "example.com", "hostedZoneId": ZONE, "dmarc": {"rua": ["d@example.com"]}}],
        "transactionalOnly": True,
    },
    "marketing-auto-validation-on-the-set": {
        **config({"rua": ["dmarc@example.com"]}, configurationSet={"autoValidation": "HIGH"}),
        "productionAccess": json.loads((ROOT / "examples/ses-stack.json").read_text())["productionAccess"],
    },
    "marketing-auto-validation-for-the-account": {
        **config({"rua": ["dmarc@example.com"]}, accountSuppression={"autoValidation": "MANAGED"}),
        "productionAccess": json.loads((ROOT / "examples/ses-stack.json").read_text())["productionAccess"],
    },
    "rua-at-another-configured-domain": {
        "regions": [REGION],
        "domains": [
            {"name": "example.com", "hostedZoneId": ZONE, "dmarc": {"rua": ["dmarc@example.net"]}},
            {"name": "example.net", "hostedZoneId": "Z0OTHER0ZONE", "dmarc": {"rua": ["dmarc@example.net"]}},
        ],
        "contactList": CONTACT_LIST,
    },
    "rua-at-another-organization": config({"rua": ["dmarc@reports.example.org"]}),
    "test-mode-np-psd": config(
        {
            "policy": "reject",
            "testMode": True,
            "nonexistentSubdomainPolicy": "reject",
            "psd": "n",
            "rua": ["dmarc@example.com"],
        }
    ),
    "no-contact-list": {"regions": [REGION], "domains": [{"name": "example.com", "hostedZoneId": ZONE}]},
}


@pytest.fixture(scope="module")
def dns() -> Iterator[tuple[str, ZoneResolver]]:
    with running_dns_server() as server:
        yield server


def _data(case: str) -> dict[str, Any]:
    data = CASES[case]
    return json.loads((ROOT / data).read_text()) if isinstance(data, str) else data


def verdicts(checklist: Checklist) -> dict[tuple[str, str | None], Status]:
    return {(r.item.value, r.domain): r.status for r in checklist.results}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_synth_and_live_checklists_agree(case: str, tmp_path: Path, dns: tuple[str, ZoneResolver]) -> None:
    data = _data(case)
    (template,) = synth_config(data, tmp_path).values()
    config = parse_config(data)
    marketing = marketing_mail(config.production_access)
    synth = evaluate_template(
        template, region=REGION, transactional_only=config.transactional_only, marketing=marketing
    )

    identities = {
        logical_id: render(resource["Properties"]["EmailIdentity"])
        for logical_id, resource in resources(template, "AWS::SES::EmailIdentity")
    }
    address, zone = dns
    zone.serve(deployed_zone(template, identities))
    aws = AwsDouble(REGION)
    answer_as_deployed(template, aws)
    live = evaluate_region(
        config,
        REGION,
        Clients(sesv2=aws.client("sesv2"), sns=aws.client("sns")),
        make_resolver(address),
        providers=list(Provider),
    )

    differences = [
        f"{r.item.value}: synth {s.status.value} ({s.evidence}) / live {r.status.value} ({r.evidence})"
        for r in live.results
        for s in [synth.result(r.item, r.domain)]
        if r.status is not s.status
    ]
    assert verdicts(live) == verdicts(synth), "\n".join(differences)

    # The providers' requirements: the same verdict wherever the template can tell (not a dedicated pool's IPs,
    # not VDM's advice, nothing that needs sent mail or outside data).
    synth_inbox = evaluate_providers(template_facts(template, [template], synth), list(Provider))
    assert live.inbox is not None
    told = {
        (r.provider, r.requirement): r.judgement.status
        for r in synth_inbox.results
        if r.judgement.status is not InboxStatus.UNKNOWN
    }
    assert isinstance(live.inbox, InboxReport)
    seen = {(r.provider, r.requirement): r.judgement.status for r in live.inbox.results}
    assert {key: seen[key] for key in told} == told
    assert len(told) >= 20


def test_the_cases_cover_pass_warn_and_not_applicable(tmp_path: Path) -> None:
    seen: set[Status] = set()
    for case in ("example", "pct-removed-by-dmarcbis", "transactional-only"):
        data = _data(case)
        (template,) = synth_config(data, tmp_path / case).values()
        transactional = parse_config(data).transactional_only
        seen |= {r.status for r in evaluate_template(template, transactional_only=transactional).results}
    assert {Status.PASS, Status.WARN, Status.NOT_APPLICABLE} <= seen
