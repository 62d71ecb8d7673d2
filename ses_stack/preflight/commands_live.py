"""Commands that act and wait: wait, drill and request-access."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ses_stack.preflight.commands import check_regions
from ses_stack.preflight.common import EXIT_NOT_READY, EXIT_OK, EXIT_USAGE, load, progress, regions_of
from ses_stack.preflight.errors import UsageError

if TYPE_CHECKING:
    from ses_stack.config import SesStackConfig
    from ses_stack.preflight.aws.clients import Aws


def cmd_wait(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.wait import Waiter  # noqa: PLC0415

    config = load(args.config)
    as_json = args.output == "json"

    def report(line: str) -> None:
        if as_json:  # the JSON document comes at the end; meanwhile a person at a terminal sees progress
            progress(line)
            return
        out.write(line + "\n")
        out.flush()

    waiter = Waiter(config, regions_of(config, args.regions), lambda r: aws.client("sesv2", r), args.max_wait, report)
    ready = waiter.run()
    if as_json:
        out.write(json.dumps([state.to_json() for state in waiter.last.values()], indent=2) + "\n")
    return EXIT_OK if ready else EXIT_NOT_READY


def _drill_sender(config: SesStackConfig, region: str, requested: str | None) -> str:
    from ses_stack.config import region_domains  # noqa: PLC0415
    from ses_stack.validation import email_address_problem, is_within  # noqa: PLC0415

    domains = [d.name for d in region_domains(config, region)]
    if requested is None:
        return f"ses-preflight-drill@{domains[0]}"
    problem = email_address_problem(requested)
    domain = requested.rpartition("@")[2].lower()
    if problem or not any(is_within(domain, d) for d in domains):
        raise UsageError(f"--from must be an address at a configured domain ({', '.join(domains)}); got {requested!r}")
    return requested


def cmd_drill(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    from ses_stack.preflight.aws.clients import AwsCallError  # noqa: PLC0415
    from ses_stack.preflight.drill.diagnosis import DrillClients  # noqa: PLC0415
    from ses_stack.preflight.drill.drill import Drill, not_started  # noqa: PLC0415

    config = load(args.config)
    results = []
    for region in regions_of(config, args.regions):
        sender = _drill_sender(config, region, args.from_address)
        progress(f"[{region}] drill from {sender}")
        clients = DrillClients(
            sesv2=aws.client("sesv2", region),
            sns=aws.client("sns", region),
            sqs=aws.client("sqs", region),
            lambda_=aws.client("lambda", region),
            cloudwatch=aws.client("cloudwatch", region),
        )
        drill = Drill(
            region,
            clients,
            sender,
            config.configuration_set.name,
            timeout_s=args.max_wait,
            progress=progress if sys.stderr.isatty() else (lambda line: None),
        )
        try:
            results.append(drill.run())
        except (AwsCallError, ClientError) as error:  # before anything was sent: the other Regions still run
            results.append(not_started(region, error))
    if args.output == "json":
        out.write(json.dumps([r.to_json() for r in results], indent=2) + "\n")
    else:
        for result in results:
            out.write(f"Drill in {result.region}: {'PASSED' if result.passed else 'FAILED'}\n")
            for step in result.steps:
                out.write(f"  {step.status.upper():<8} {step.step:<21} {step.evidence}\n")
                if step.fix and step.status in ("fail", "error"):
                    out.write(f"{'':11}fix: {step.fix}\n")
    if any(r.stopped for r in results):
        return EXIT_USAGE
    return EXIT_OK if all(r.passed for r in results) else EXIT_NOT_READY


def _write_request(out_dir: str, region: str, request: dict[str, Any]) -> str:
    from ses_stack.preflight.access import request_text  # noqa: PLC0415

    path = Path(out_dir) / f"ses-production-access-{region}.txt"
    try:
        path.write_text(request_text(request), encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--out-dir: cannot write {path}: {error.strerror or error}") from None
    return str(path)


def _preview(requests: dict[str, dict[str, Any]], files: dict[str, str], out: TextIO) -> None:
    for region, request in requests.items():
        out.write(f"Production-access request for {region} (not sent; add --submit to send it)\n")
        for key, value in request.items():
            if key != "UseCaseDescription":
                out.write(f"  {key}: {value}\n")
        out.write("  UseCaseDescription:\n")
        out.write("".join(f"    {line}\n" for line in request["UseCaseDescription"].splitlines()))
        out.write(f"  (also written to {files[region]})\n\n")


def cmd_request_access(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from botocore.exceptions import ClientError  # noqa: PLC0415

    from ses_stack.preflight.access import build_request, submit, website_warnings  # noqa: PLC0415
    from ses_stack.preflight.aws.clients import AwsCallError  # noqa: PLC0415

    config = load(args.config)
    if config.production_access is None:
        raise UsageError(f"{args.config}: productionAccess: is required for request-access")
    regions = regions_of(config, args.regions)
    requests = {region: build_request(config, region) for region in regions}
    # UseCaseDescription is deprecated in the API: the whole text also goes to a file for the support case.
    files = {region: _write_request(args.out_dir, region, request) for region, request in requests.items()}
    if not args.submit:
        if args.output == "json":
            found = [{"region": r, "request": q, "file": files[r]} for r, q in requests.items()]
            out.write(json.dumps(found, indent=2) + "\n")
        else:
            _preview(requests, files, out)
        return EXIT_OK
    if not args.offline:
        for warning in website_warnings(config.production_access.website_url, aws.timeout):
            print(f"warning: {warning} (reviewers open it; --offline skips this check)", file=sys.stderr)
    status, failed = EXIT_OK, False
    results = []
    checklists = {} if args.force else {c.region: c for c in check_regions(config, regions, aws, args.nameserver)}
    for region in regions:
        checklist = checklists.get(region)
        if checklist is not None and not checklist.ready:
            failing = ", ".join(sorted({r.item.value for r in checklist.results if r.status.value == "fail"}))
            message = f"{region}: not sent: the check fails ({failing}); fix it or use --force"
            results.append({"region": region, "submitted": False, "message": message, "file": files[region]})
            status = EXIT_NOT_READY
            continue
        try:
            outcome = submit(aws.client("sesv2", region), region, requests[region], force=args.force)
        except (AwsCallError, ClientError) as error:  # this Region's error: the others' outcomes are still told
            message = f"{region}: error: {' '.join(str(error).split())[:300]}"
            results.append({"region": region, "submitted": False, "message": message, "file": files[region]})
            failed = True
            continue
        status = EXIT_NOT_READY if outcome.needs_action else status
        message = f"{outcome.message}; the request text is in {files[region]}"
        results.append({"region": region, "submitted": outcome.submitted, "message": message, "file": files[region]})
    if args.output == "json":
        out.write(json.dumps(results, indent=2) + "\n")
    else:
        out.write("".join(f"{r['message']}\n" for r in results))
    return EXIT_USAGE if failed else status
