"""The defaults of ``ses-preflight``'s options, in one place that imports nothing (``--help`` stays fast)."""

DEFAULT_TIMEOUT = 5.0
"""Seconds for each AWS attempt (connect, read) and each DNS look-up (``--timeout``)."""
DEFAULT_API_RATE = 20.0
"""Calls per second per AWS API and Region (``--api-rate``): a choice, not an AWS figure (AWS publishes none for
SES's management API)."""
DEFAULT_CONCURRENCY = 32
"""Domains ``check`` works on at once (``--concurrency``)."""
MAX_CONCURRENCY = 64
DEFAULT_WAIT_SECONDS = 1800.0
"""How long ``wait`` polls (``wait --timeout``)."""
DEFAULT_DRILL_SECONDS = 300.0
"""How long ``drill`` waits for the feedback (``drill --timeout``)."""
