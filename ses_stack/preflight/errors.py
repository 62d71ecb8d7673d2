"""The errors ``ses-preflight`` reports in one line and exit status 2 (no heavy imports: ``--help`` stays fast)."""


class UsageError(Exception):
    """Bad arguments, a bad config file or an unusable AWS environment: exit 2 with this message."""
