"""AWS access for ``ses-preflight``: the standard environment, and clients that never end in a traceback.

Every call through a ``GuardedClient`` ends in one of three ways: a response of the shape the service model
documents, a ``ClientError`` (the service's own answer, which callers handle), or an ``AwsCallError`` whose message
names the service and the operation (no credentials, no answer in time, a body that is not JSON or XML, a response
of the wrong shape...). Time is bounded: every attempt must end, last byte included, within ``--timeout`` (not
only each socket read: an endpoint that drips its answer is cut off); throttling and server errors are retried with
backoff, an endpoint that does not answer is tried twice, except a call that acts (``NOT_RETRIED_UNANSWERED``).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    NoCredentialsError,
    ParamValidationError,
    ProfileNotFound,
    ReadTimeoutError,
    SSOError,
    SSOTokenLoadError,
    TokenRetrievalError,
    UnauthorizedSSOTokenError,
)
from botocore.validate import validate_parameters

from ses_stack.preflight.aws.pacing import DEFAULT_RATE, Pacer
from ses_stack.preflight.check.common import Clients
from ses_stack.preflight.defaults import DEFAULT_TIMEOUT
from ses_stack.preflight.errors import UsageError
from ses_stack.settings.runtime.deadline import DeadlineExceededError, within
from ses_stack.validation import SES_REGIONS

MAX_ATTEMPTS = 4
"""Throttling and server errors: one call and three retries with jittered backoff."""
MAX_SILENT_ATTEMPTS = 2
"""An endpoint that does not connect or answer in time is tried twice, then reported."""
NOT_RETRIED_UNANSWERED = frozenset({"PutAccountDetails", "SendEmail", "SendBulkEmail", "PutSuppressedDestination",
                                    "DeleteSuppressedDestination"})  # fmt: skip
"""Calls that act: after no answer the request may have arrived, so the caller reads the state back instead."""
_THROTTLING = {"Throttling", "ThrottlingException", "TooManyRequestsException", "RequestLimitExceeded"}
_JSON_PROTOCOLS = ("json", "rest-json")


class AwsCallError(Exception):
    """A call that did not end in a usable answer: one line naming the service, the operation and why; ``code``
    names the kind (``NoCredentials``, ``SsoToken``, ``NoAnswer``...) for JSON output and hints."""

    def __init__(self, message: str, code: str = "AwsCallError") -> None:
        super().__init__(message)
        self.code = code


class UndeclaredCallError(Exception):
    """A call the IAM table (``iam.CALLS``) does not list for this subcommand (raised in strict mode, in tests)."""


def _kind(error: BotoCoreError) -> str:
    if isinstance(error, NoCredentialsError):
        return "NoCredentials"
    if isinstance(error, SSOTokenLoadError | UnauthorizedSSOTokenError | TokenRetrievalError | SSOError):
        return "SsoToken"
    return type(error).__name__


def region_problem(region: str) -> str | None:
    """Why ``region`` cannot be used with SES, listing the Regions that can, or None."""
    if region in SES_REGIONS:
        return None
    return f"{region!r} is not a Region where Amazon SES is available ({', '.join(SES_REGIONS)})"


def _reject_bodies_that_are_not_json(operation_model: Any, response_dict: Mapping[str, Any], **_: Any) -> None:
    """botocore reads a non-JSON body from a JSON service as an empty answer (an HTML page from a proxy becomes
    ``{}``); refuse it instead."""
    if operation_model.service_model.resolved_protocol not in _JSON_PROTOCOLS:
        return
    if int(response_dict.get("status_code") or 0) >= 300:
        return
    content = response_dict.get("body") or b""
    if not content or response_dict.get("context", {}).get("has_streaming_input"):
        return
    try:
        json.loads(content)
    except ValueError:
        raise ValueError("the body is not JSON") from None


@dataclass
class GuardedClient:
    """A boto3 client whose operations return checked responses (see the module docstring)."""

    client: Any
    service: str
    timeout: float
    sleep: Callable[[float], None] = time.sleep
    pacer: Pacer | None = None
    """Shared by every client of the same service and Region, whichever thread calls."""
    allowed: frozenset[tuple[str, str]] | None = None
    """The calls this subcommand may make (``iam.CALLS``); checked in strict mode only."""
    debug: Callable[[str], None] | None = None
    """Told of every call made (``--debug``)."""

    def __post_init__(self) -> None:
        self.client.meta.events.register("before-parse", _reject_bodies_that_are_not_json)

    def __getattr__(self, name: str) -> Any:
        operation = self.client.meta.method_to_api_mapping.get(name)
        if operation is None:
            raise AttributeError(name)
        method = getattr(self.client, name)
        return lambda **params: self._call(method, operation, params)

    def _fail(self, operation: str, why: str, code: str = "AwsCallError") -> AwsCallError:
        return AwsCallError(f"AWS {self.service} {operation}: {' '.join(why.split())}", code)  # one line, always

    def _call(self, method: Callable[..., Any], operation: str, params: Mapping[str, Any]) -> Any:
        strict = self.allowed is not None and os.environ.get("SES_PREFLIGHT_STRICT_CALLS") == "1"
        if strict and (self.service, operation) not in (self.allowed or ()):
            raise UndeclaredCallError(f"{self.service} {operation} is not in iam.CALLS for this subcommand")
        started = time.monotonic()
        try:
            response = self._attempts(method, operation, params)
        except Exception as error:
            if self.debug is not None:
                self.debug(f"{self.service} {operation} {_shown(params)}: {type(error).__name__} after "
                           f"{time.monotonic() - started:.2f} s")  # fmt: skip
            raise
        if self.debug is not None:
            self.debug(f"{self.service} {operation} {_shown(params)}: ok in {time.monotonic() - started:.2f} s")
        return response

    def _attempts(self, method: Callable[..., Any], operation: str, params: Mapping[str, Any]) -> Any:
        silent = 0
        for attempt in range(1, MAX_ATTEMPTS + 1):
            if self.pacer is not None:
                self.pacer.wait()
            try:
                response = within(self.timeout, lambda: method(**params), f"{self.service} {operation}")
            except ClientError as error:
                code = str(error.response.get("Error", {}).get("Code", ""))
                status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
                if (code in _THROTTLING or status >= 500) and attempt < MAX_ATTEMPTS:
                    self.sleep(random.random() * min(4.0, 0.25 * 2**attempt))
                    continue
                raise
            except (
                ReadTimeoutError,
                ConnectTimeoutError,
                EndpointConnectionError,
                ConnectionClosedError,
                DeadlineExceededError,
            ) as error:
                silent += 1
                # a call that changes something may have arrived: it is never sent again blindly
                if silent < MAX_SILENT_ATTEMPTS and operation not in NOT_RETRIED_UNANSWERED:
                    continue
                what = "no connection" if isinstance(error, EndpointConnectionError) else "no complete answer"
                endpoint = getattr(error, "kwargs", {}).get("endpoint_url") or self.client.meta.endpoint_url
                raise self._fail(
                    operation, code="NoAnswer", why=f"{what} from {endpoint} "
                    f"after {silent} attempts of {self.timeout:g} s; check the network or AWS_ENDPOINT_URL, or raise "
                    "--timeout"
                ) from None  # fmt: skip
            except BotoCoreError as error:  # no credentials, a bad profile, SSO expired...
                raise self._fail(operation, str(error), _kind(error)) from None
            except Exception as error:  # the response could not be read: not UTF-8, not JSON/XML, wrong shape
                raise self._fail(operation, f"the response could not be read ({type(error).__name__}: "
                                            f"{str(error)[:120]})") from None  # fmt: skip
            return self._checked(operation, response)
        raise self._fail(operation, "no attempt left")  # not reached: the loop returns or raises

    def _checked(self, operation: str, response: Any) -> Any:
        shape = self.client.meta.service_model.operation_model(operation).output_shape
        body = {k: v for k, v in response.items() if k != "ResponseMetadata"} if isinstance(response, dict) else None
        try:
            if body is None:
                raise ParamValidationError(report="not an object")
            if shape is not None:
                validate_parameters(body, shape)
        except ParamValidationError as error:
            first = str(error).splitlines()[1:2] or [str(error)]
            why = f"the response does not have the documented shape ({first[0].strip()[:160]})"
            raise self._fail(operation, why) from None
        return response


def _shown(params: Mapping[str, Any]) -> str:
    """A call's parameters for --debug: one line, long values cut."""
    text = json.dumps(params, default=str, separators=(",", ":"))
    return text if len(text) <= 200 else text[:197] + "..."


class Aws:
    """Clients per Region from the standard AWS environment: ``--profile``/``AWS_PROFILE``, ``AWS_REGION``,
    ``AWS_DEFAULT_REGION`` and the profile's Region (in that order, as the AWS CLI), ``AWS_ENDPOINT_URL``."""

    def __init__(
        self,
        profile: str | None,
        timeout: float = DEFAULT_TIMEOUT,
        make_client: Callable[[str, str], Any] | None = None,
        *,
        rate: float = DEFAULT_RATE,
        endpoint_url: str | None = None,
    ) -> None:
        self.timeout = timeout
        self.rate = rate
        self.endpoint_url = endpoint_url
        self.allowed: frozenset[tuple[str, str]] | None = None
        """The calls the running subcommand may make (``iam.CALLS``), checked in strict mode."""
        self.debug: Callable[[str], None] | None = None
        self._make_client = make_client
        self._pacers: dict[tuple[str, str], Pacer] = {}
        try:
            self.session = boto3.Session(profile_name=profile)
        except ProfileNotFound as error:
            known = ", ".join(boto3.Session().available_profiles) or "none: run `aws configure --profile NAME`"
            raise UsageError(str(error), code="ProfileNotFound", hint=f"the profiles that exist: {known}") from None
        self._config = Config(
            connect_timeout=timeout,
            read_timeout=timeout,
            retries={"mode": "standard", "total_max_attempts": 1},  # retried above, where time is counted
        )

    def default_region(self) -> str | None:
        """The Region the AWS CLI would use; None when nothing names one."""
        region = os.environ.get("AWS_REGION") or self.session.region_name
        return str(region) if region else None

    def client(self, service: str, region: str) -> GuardedClient:
        problem = region_problem(region)
        if problem:
            raise UsageError(problem)
        pacer = self._pacers.setdefault((service, region), Pacer(self.rate))
        options: dict[str, Any] = {"pacer": pacer, "allowed": self.allowed, "debug": self.debug}
        if self._make_client is not None:
            return GuardedClient(self._make_client(service, region), service, self.timeout, **options)
        try:
            raw = self.session.client(
                service, region_name=region, config=self._config, endpoint_url=self.endpoint_url or None
            )
        except ValueError as error:  # an endpoint URL that is not a URL
            endpoint = self.endpoint_url or os.environ.get("AWS_ENDPOINT_URL", "")
            raise UsageError(f"cannot create the {service} client: {error} (endpoint URL {endpoint!r})") from None
        except BotoCoreError as error:
            raise UsageError(f"cannot create the {service} client: {error}") from None
        return GuardedClient(raw, service, self.timeout, **options)

    def clients(self, region: str) -> Clients:
        """The clients the live check needs in ``region``."""
        return Clients(sesv2=self.client("sesv2", region), sns=self.client("sns", region))
