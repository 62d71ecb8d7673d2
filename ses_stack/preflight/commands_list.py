"""``validate-list``: an address list through SES's email validation before the first send."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ses_stack.preflight.common import EXIT_NOT_READY, EXIT_OK, count_progress, progress
from ses_stack.preflight.errors import UsageError

if TYPE_CHECKING:
    from ses_stack.preflight.aws.clients import Aws

EXIT_INTERRUPTED = 130


def _region(args: argparse.Namespace, aws: Aws) -> str:
    if args.regions:
        if len(args.regions) > 1:
            raise UsageError(f"validate-list works in one Region; got --region {','.join(args.regions)}")
        return str(args.regions[0])
    region = aws.default_region()
    if region is None:
        raise UsageError("no Region: pass --region, or set AWS_REGION (or a profile's region)")
    return region


def cmd_validate_list(args: argparse.Namespace, aws: Aws, out: TextIO) -> int:
    from ses_stack.preflight.validate.reader import ListError, read_list  # noqa: PLC0415
    from ses_stack.preflight.validate.runner import suppress_addresses, validate_addresses  # noqa: PLC0415
    from ses_stack.preflight.validate.summary import ListSummary  # noqa: PLC0415
    from ses_stack.preflight.validate.verdicts import VerdictWriter, read_verdicts  # noqa: PLC0415

    region = _region(args, aws)
    ses = aws.client("sesv2", region)  # a Region or endpoint problem is told before any file is touched
    out_path = Path(args.out or f"{args.file}.verdicts.csv")
    try:
        listed = read_list(args.file)
        done = read_verdicts(out_path)  # read even with --fresh: a file that is not a verdicts file is refused
        done = {} if args.fresh else done
        writer = VerdictWriter(out_path, fresh=args.fresh)
    except ListError as error:
        raise UsageError(str(error)) from None
    resumed = [done[a.lower()] for a in listed.addresses if a.lower() in done]
    todo = [a for a in listed.addresses if a.lower() not in done]
    progress(f"validate-list: {len(todo):,} addresses to check in {region}, {len(resumed):,} already in {out_path}")
    try:
        insights, failures = validate_addresses(
            ses, todo, writer, concurrency=args.concurrency, on_progress=count_progress("validate-list", len(todo))
        )
    except KeyboardInterrupt:
        print(f"interrupted: the verdicts so far are in {out_path}; run the same command again to go on",
              file=sys.stderr)  # fmt: skip
        return EXIT_INTERRUPTED
    finally:
        writer.close()
    summary = ListSummary(str(args.file), str(out_path), listed, [*resumed, *insights], len(resumed), failures,
                          args.max_bounce_share)  # fmt: skip
    if args.suppress:
        invalid = [i.email for i in summary.insights if i.verdict == "invalid"]
        progress(f"validate-list: suppressing {len(invalid):,} invalid addresses (BOUNCE)")
        summary = replace(summary, suppressed=suppress_addresses(ses, invalid, concurrency=args.concurrency))
    out.write(json.dumps(summary.to_json(), indent=2) + "\n" if args.output == "json" else summary.text() + "\n")
    return EXIT_OK if summary.safe else EXIT_NOT_READY
