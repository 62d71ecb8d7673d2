"""What every command shares: the config file, the Regions, progress lines and exit statuses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

from ses_stack.preflight.errors import UsageError

if TYPE_CHECKING:
    from ses_stack.config import SesStackConfig

EXIT_OK, EXIT_NOT_READY, EXIT_USAGE = 0, 1, 2


def load(path: str) -> SesStackConfig:
    from ses_stack.config import ConfigError, load_config  # noqa: PLC0415

    try:
        return load_config(path)
    except ConfigError as error:
        raise UsageError("\n".join(error.lines())) from None


def regions_of(config: SesStackConfig, regions: list[str] | None) -> list[str]:
    """The Regions given with --region (each one of the config's), else the config's."""
    if not regions:
        return list(config.regions)
    for region in regions:
        if region not in config.regions:
            raise UsageError(f"--region {region} is not one of the config's Regions ({', '.join(config.regions)})")
    return list(regions)


_progress = {"on": False}


def set_progress(on: bool) -> None:
    """Progress lines only for a person at a terminal: never with JSON output, or when stdout is not a terminal."""
    _progress["on"] = on


def progress_on() -> bool:
    return _progress["on"]


def progress(message: str) -> None:
    if _progress["on"]:
        print(message, file=sys.stderr, flush=True)


def count_progress(label: str, total: int, unit: str = "addresses") -> Callable[[int], None] | None:
    """``domain_progress`` for a count known in advance: ``label: 37/100 addresses`` on a terminal."""
    show = domain_progress(label, unit=unit)
    return None if show is None else (lambda done: show(done, total))


def domain_progress(
    label: str, stream: TextIO | None = None, unit: str = "domains"
) -> Callable[[int, int], None] | None:
    """On a terminal, a line rewritten in place as domains finish (``label: 37/100 domains``); elsewhere (CI logs,
    a pipe) nothing, so logs get one line per Region rather than one per domain."""
    stream = stream or sys.stderr
    if not _progress["on"] or not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        stream.write(f"\r{label}: {done:,}/{total:,} {unit}{end}")
        stream.flush()

    return show
