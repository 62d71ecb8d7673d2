"""The production-access request's website check, against local HTTP servers (no internet here)."""

from __future__ import annotations

import socket

from ses_stack.preflight.access import website_warnings
from tests.preflight.http_endpoint import Reply, running_endpoint


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_an_http_site_that_answers_is_only_not_https() -> None:
    with running_endpoint(
        lambda method, path, body: Reply(200, b"<html>hi</html>", {"Content-Type": "text/html"})
    ) as site:
        assert website_warnings(site.url, 2) == [f"websiteUrl {site.url} is not HTTPS: reviewers expect it"]
        assert site.requests == [("GET", "/")]


def test_a_site_that_answers_an_error_is_named() -> None:
    with running_endpoint(lambda method, path, body: Reply(404, b"missing")) as site:
        assert website_warnings(site.url + "/about", 2)[1] == f"websiteUrl {site.url}/about answers HTTP 404"


def test_a_site_that_does_not_answer_in_time_is_named() -> None:
    with running_endpoint(lambda method, path, body: Reply(hang_s=3)) as site:
        (_, late) = website_warnings(site.url, 0.5)
    assert late.startswith(f"websiteUrl {site.url} does not answer (")


def test_an_https_site_that_cannot_be_reached_is_only_unreachable() -> None:
    url = f"https://127.0.0.1:{closed_port()}/"
    (warning,) = website_warnings(url, 1)
    assert warning.startswith(f"websiteUrl {url} does not answer (")
