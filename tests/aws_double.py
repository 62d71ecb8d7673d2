"""An AWS stand-in for tests: real boto3 clients whose calls are answered from a table, in any order.

Like botocore's Stubber it never touches the network, botocore validates every request against the service model
before it is answered, and every response is validated against the model's output shape when it is registered.
Unlike Stubber it does not fix the order of calls: answers are looked up by operation and parameters, so code
that calls in any order (or concurrently) can be tested. Unanswered calls fail the test; ``calls`` records them all.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.validate import validate_parameters

Answer = tuple[int, dict[str, Any]]  # (HTTP status, parsed body)


class UnansweredCallError(AssertionError):
    """The code called an operation with parameters the test did not answer."""


@dataclass
class AwsDouble:
    """Answers for one Region's clients. ``on(service, operation, params, response)`` registers an answer; a
    ``params`` of None matches any parameters. The answer may be a callable taking the parameters, returning a
    response or ``(status, {"Error": {"Code": ..., "Message": ...}})``."""

    region: str = "eu-west-1"
    answers: dict[tuple[str, str], list[tuple[Mapping[str, Any] | None, Any]]] = field(default_factory=dict)
    calls: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)
    _clients: dict[str, Any] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def client(self, service: str) -> Any:
        if service not in self._clients:
            client = boto3.client(
                service, region_name=self.region, aws_access_key_id="testing", aws_secret_access_key="testing"
            )
            client.meta.events.register_first("before-parameter-build.*.*", self._remember_params)
            client.meta.events.register_first("before-call.*.*", self._answer)
            self._clients[service] = client
        return self._clients[service]

    def on(
        self,
        service: str,
        operation: str,
        params: Mapping[str, Any] | None,
        response: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]],
    ) -> None:
        """Answer ``operation`` (the API name, ``GetEmailIdentity``) with ``response``."""
        if not callable(response):
            self._validate(service, operation, response)
        self.answers.setdefault((service, operation), []).append((params, response))

    def error(
        self, service: str, operation: str, params: Mapping[str, Any] | None, code: str, status: int = 400
    ) -> None:
        """Answer ``operation`` with an AWS error (botocore raises ``ClientError`` with ``code``)."""
        body = {
            "Error": {"Code": code, "Message": f"{code} (test double)"},
            "ResponseMetadata": {"HTTPStatusCode": status},
        }
        self.answers.setdefault((service, operation), []).append((params, (status, body)))

    def _validate(self, service: str, operation: str, response: dict[str, Any]) -> None:
        shape = self.client(service).meta.service_model.operation_model(operation).output_shape
        body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
        if shape is not None:
            validate_parameters(body, shape)
        elif body:
            raise ParamValidationError(report=f"{operation} returns nothing but ResponseMetadata")

    @staticmethod
    def _remember_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
        context["double_params"] = copy.deepcopy(params)

    def _answer(self, model: Any, context: dict[str, Any], **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        service = model.service_model.service_name
        params = context.get("double_params", {})
        with self._lock:
            self.calls.append((service, model.name, params))
        for expected, answer in self.answers.get((service, model.name), []):
            if expected is None or dict(expected) == params:
                body = answer(params) if callable(answer) else answer
                if isinstance(body, tuple):  # (status, error body): an AWS error
                    status, error = body
                    error.setdefault("ResponseMetadata", {"HTTPStatusCode": status})
                    return AWSResponse(None, status, {}, None), copy.deepcopy(error)
                if callable(answer):
                    self._validate(service, model.name, body)
                return AWSResponse(None, 200, {}, None), copy.deepcopy(body)
        raise UnansweredCallError(f"{service} {model.name} {params} has no answer")
