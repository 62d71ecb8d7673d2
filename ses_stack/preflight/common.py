"""What every command shares: the config file, the Regions, progress lines and exit statuses."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

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


def regions_of(config: SesStackConfig, region: str | None) -> list[str]:
    if region is None:
        return list(config.regions)
    if region not in config.regions:
        raise UsageError(f"--region {region} is not one of the config's Regions ({', '.join(config.regions)})")
    return [region]


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
