"""``ses-preflight check`` for 1, 10, 100 and 1,000 domains (10,000 projected from 1,000): a DNS server on loopback
that takes 50 ms per answer (and answers in parallel, like a real one), SES and SNS answered by the test double (no
network) through the CLI's guarded, paced clients. Each size runs serially (``--concurrency 1``, what ``check``
did before) and with the default.

The loader refuses configs larger than one stack holds (56 Route53 domains) until stacks are sharded, so the config
is built without that rule: the check itself has no such limit.

Run by hand: .venv/bin/python bench/check_scale.py [dns_delay_ms]. Prints a table; asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ses_stack.checklist.items import Status
from ses_stack.checklist.template_reading import render, resources
from ses_stack.config import SesStackConfig
from ses_stack.preflight.aws.clients import GuardedClient
from ses_stack.preflight.aws.pacing import DEFAULT_RATE, Pacer
from ses_stack.preflight.check.dns import make_resolver
from ses_stack.preflight.check.live import Clients, evaluate_region
from ses_stack.preflight.defaults import DEFAULT_CONCURRENCY, DEFAULT_TIMEOUT
from tests.aws_double import AwsDouble
from tests.conftest import synth_config
from tests.deployed import REGION, answer_as_deployed, deployed_zone
from tests.preflight.dns_server import running_dns_server

SAMPLE = "sample.example.net"
SIZES = (1, 10, 100, 1000)
QUOTA = 10_000  # SES identities per Region: projected from the largest size measured


def world(count: int) -> tuple[SesStackConfig, list[tuple[str, str, str]], AwsDouble]:
    """A config of ``count`` domains, their records as deployed, and SES/SNS answering as the stack would."""
    data: dict[str, Any] = {
        "regions": [REGION],
        "domains": [{"name": SAMPLE, "hostedZoneId": "Z0123456789ABCDEFGHIJ"}],
        "contactList": {
            "name": "newsletter",
            "topics": [{"name": "news", "displayName": "News", "defaultSubscription": "OPT_OUT"}],
        },
    }
    with tempfile.TemporaryDirectory() as out:
        (template,) = synth_config(data, Path(out)).values()
    identities = {
        logical_id: render(resource["Properties"]["EmailIdentity"])
        for logical_id, resource in resources(template, "AWS::SES::EmailIdentity")
    }
    sample_zone = deployed_zone(template, identities)
    aws = AwsDouble(REGION)
    answer_as_deployed(template, aws)
    (_, sample_identity), *_ = aws.answers[("sesv2", "GetEmailIdentity")]
    names = [f"customer{n:04d}.example.net" for n in range(count)]

    def identity(params: dict[str, Any]) -> dict[str, Any]:
        mail_from = sample_identity["MailFromAttributes"]
        domain = mail_from["MailFromDomain"].replace(SAMPLE, params["EmailIdentity"])
        return {**sample_identity, "MailFromAttributes": {**mail_from, "MailFromDomain": domain}}

    aws.answers[("sesv2", "GetEmailIdentity")] = [(None, identity)]
    zone = [r for r in sample_zone if SAMPLE not in r[0]]
    for name in names:
        zone += [(n.replace(SAMPLE, name), t, v.replace(SAMPLE, name)) for n, t, v in sample_zone if SAMPLE in n]
    domains = [{**data["domains"][0], "name": name} for name in names]
    config = SesStackConfig.model_validate({**data, "domains": domains})
    return config, zone, aws


def run(count: int, concurrency: int, delay: float) -> tuple[float, int, str]:
    config, records, aws = world(count)
    with running_dns_server() as (address, zone):
        zone.serve(records)
        zone.delay = delay
        clients = Clients(
            sesv2=GuardedClient(aws.client("sesv2"), "sesv2", DEFAULT_TIMEOUT, pacer=Pacer(DEFAULT_RATE)),
            sns=GuardedClient(aws.client("sns"), "sns", DEFAULT_TIMEOUT, pacer=Pacer(DEFAULT_RATE)),
        )
        started = time.perf_counter()
        checklist = evaluate_region(config, REGION, clients, make_resolver(address), concurrency=concurrency)
        elapsed = time.perf_counter() - started
        failing = sorted({r.item.value for r in checklist.results if r.status is Status.FAIL})
        return elapsed, len(zone.queries), ",".join(failing) or "-"


def main() -> None:
    delay = float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.05
    print(f"ses-preflight check, DNS {delay * 1000:g} ms per answer, SES paced at {DEFAULT_RATE:g} calls/s")
    print(f"{'domains':>7} {'concurrency':>11} {'wall s':>8} {'DNS queries':>11}  failing items")
    extrapolate = delay > 0.02  # a serial check of 100 domains would take over a minute
    largest: tuple[int, float] | None = None
    for count in SIZES:
        for concurrency in (1, DEFAULT_CONCURRENCY):
            if concurrency == 1 and count > 10 and extrapolate:
                serial, queries, _ = run(10, 1, delay)
                print(f"{count:>7} {1:>11} {serial * count / 10:>7.1f}~ {queries * count // 10:>11} (from 10)")
                continue
            elapsed, queries, failing = run(count, concurrency, delay)
            print(f"{count:>7} {concurrency:>11} {elapsed:>8.2f} {queries:>11} {failing}")
            if concurrency == DEFAULT_CONCURRENCY:
                largest = (count, elapsed)
    if extrapolate:
        print("~ extrapolated from 10 domains (the serial check grows linearly)")
    if largest:
        count, elapsed = largest
        print(
            f"{QUOTA:,} domains (SES's quota), projected from {count:,}: {elapsed * QUOTA / count:.0f} s; one "
            f"GetEmailIdentity per domain at {DEFAULT_RATE:g} calls/s alone is {QUOTA / DEFAULT_RATE:.0f} s"
        )


if __name__ == "__main__":
    main()
