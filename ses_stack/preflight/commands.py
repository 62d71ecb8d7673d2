"""Commands about the account and its readiness: status, check, plan and records."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TextIO

from ses_stack.preflight.common import EXIT_NOT_READY, EXIT_OK, domain_progress, load, progress, regions_of
from ses_stack.preflight.errors import UsageError

if TYPE_CHECKING:
    from ses_stack.config import SesStackConfig
    from ses_stack.preflight.aws.clients import Aws


def cmd_status(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.aws.clients import region_problem  # noqa: PLC0415

    config = load(args.config) if args.config else None
    if args.regions:
        regions = list(args.regions)
    elif config is not None:
        regions = list(config.regions)
    else:
        default = aws.default_region()
        if default is None:
            raise UsageError(
                "no Region: pass --region or --config, or set AWS_REGION (or a profile's region)",
                hint="`aws configure set region eu-west-1 --profile NAME` sets a profile's Region",
            )
        regions = [default]
    if not regions:
        raise UsageError(f"--region names no Region; got {args.regions!r}")
    problems = [p for p in map(region_problem, regions) if p]
    if problems:
        raise UsageError(problems[0])
    from ses_stack.preflight.check.common import if_exists  # noqa: PLC0415
    from ses_stack.preflight.status import account_row, add_endpoint, format_rows, healthy  # noqa: PLC0415

    rows = []
    for index, region in enumerate(regions, start=1):
        progress(f"[{index}/{len(regions)}] {region}: GetAccount")
        ses = aws.client("sesv2", region)
        rows.append(account_row(region, ses.get_account()))
        if config is not None and config.global_endpoint is not None and region == config.regions[0]:
            name = config.global_endpoint.name
            add_endpoint(rows[-1], name, if_exists(ses.get_multi_region_endpoint, EndpointName=name))
    out.write(json.dumps(rows, indent=2) + "\n" if args.output == "json" else format_rows(rows))
    return EXIT_OK if all(healthy(row) for row in rows) else EXIT_NOT_READY


def check_regions(
    config: SesStackConfig,
    regions: list[str],
    aws: Aws,
    nameserver: str | None,
    *,
    concurrency: int | None = None,
    providers: Sequence[str] = (),
) -> list[Any]:
    from ses_stack.config import dkim_origin_region  # noqa: PLC0415
    from ses_stack.inbox import Provider  # noqa: PLC0415
    from ses_stack.preflight.check.dns import make_resolver  # noqa: PLC0415
    from ses_stack.preflight.check.live import evaluate_region  # noqa: PLC0415
    from ses_stack.preflight.defaults import DEFAULT_CONCURRENCY  # noqa: PLC0415

    try:
        resolver = make_resolver(nameserver, timeout=aws.timeout)
    except ValueError as error:
        raise UsageError(str(error)) from None
    checklists = []
    for index, region in enumerate(regions, start=1):
        label = f"[{index}/{len(regions)}] checking {region}"
        progress(label)
        clients = aws.clients(region)
        origin = dkim_origin_region(config, region)
        if origin is not None:  # replicas sign with the primary's keys: the check reads its identities
            clients = replace(clients, origin_sesv2=aws.client("sesv2", origin))
        checklists.append(
            evaluate_region(
                config,
                region,
                clients,
                resolver,
                concurrency=concurrency or DEFAULT_CONCURRENCY,
                on_domain_done=domain_progress(label),
                providers=[Provider(p) for p in providers],
            )
        )
    return checklists


def cmd_check(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.checklist import format_checklist  # noqa: PLC0415
    from ses_stack.inbox import format_inbox  # noqa: PLC0415

    config = load(args.config)
    providers = config.providers if args.providers is None else args.providers
    regions = regions_of(config, args.regions)
    checklists = check_regions(config, regions, aws, args.nameserver, concurrency=args.concurrency, providers=providers)
    if args.output == "json":
        out.write(json.dumps([c.to_json() for c in checklists], indent=2) + "\n")
    else:
        texts = [format_checklist(c) + (f"\n{format_inbox(c.inbox)}" if c.inbox else "") for c in checklists]
        out.write("\n\n".join(texts) + "\n")
    ready = all(c.ready and (c.inbox is None or c.inbox.ready) for c in checklists)
    return EXIT_OK if ready else EXIT_NOT_READY


def cmd_plan(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.check.dns import make_resolver  # noqa: PLC0415
    from ses_stack.preflight.plan.plan import PlanClients, plan_region  # noqa: PLC0415
    from ses_stack.preflight.plan.report import format_plan  # noqa: PLC0415

    config = load(args.config)
    try:
        resolver = make_resolver(args.nameserver, timeout=aws.timeout)
    except ValueError as error:
        raise UsageError(str(error)) from None
    plans = []
    regions = regions_of(config, args.regions)
    for index, region in enumerate(regions, start=1):
        progress(f"[{index}/{len(regions)}] planning {region}")
        clients = PlanClients(
            sesv2=aws.client("sesv2", region),
            route53=aws.client("route53", "us-east-1"),  # a global service
            cloudformation=aws.client("cloudformation", region),
        )
        plans.append(plan_region(config, region, clients, resolver))
    if args.output == "json":
        out.write(json.dumps([p.to_json() for p in plans], indent=2) + "\n")
    else:
        out.write("\n\n".join(format_plan(p, args.config) for p in plans) + "\n")
    return EXIT_OK if all(p.deployable for p in plans) else EXIT_NOT_READY


def cmd_records(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.config import dkim_origin_region  # noqa: PLC0415
    from ses_stack.preflight.records import records_for, to_bind, to_json  # noqa: PLC0415

    config = load(args.config)
    records, notes = [], []
    for region in regions_of(config, args.regions):
        origin = dkim_origin_region(config, region)
        if origin is not None:
            print(
                f"note: {region} signs with {origin}'s Easy DKIM keys: its DKIM CNAMEs are {origin}'s", file=sys.stderr
            )
        found, missing = records_for(config, region, aws.client("sesv2", region))
        records += found
        notes += missing
    out.write(to_json(records) if args.output == "json" else to_bind(records))
    for note in notes:
        print(f"warning: {note}", file=sys.stderr)
    return EXIT_NOT_READY if notes else EXIT_OK
