"""The production-access request's website check, against local HTTP servers (no internet here)."""

from __future__ import annotations

import socket
import threading
import time
import urllib.error
import urllib.request

import pytest

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
    assert late.startswith(f"websiteUrl {site.url} does not answer as a website (no complete answer in time")


@pytest.mark.parametrize(
    "raised",
    [TimeoutError("timed out"), urllib.error.URLError(TimeoutError("timed out")), ConnectionResetError("reset")],
    ids=["read", "connect", "reset"],
)
def test_the_sockets_own_timeout_reads_as_the_deadline(monkeypatch: pytest.MonkeyPatch, raised: OSError) -> None:
    # The socket's timeout and the deadline have the same length: whichever fires first, the same words (a race
    # that once failed the test above on a loaded machine). Another error keeps its own name.
    def urlopen(*args: object, **kwargs: object) -> None:
        raise raised

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    (_, warning) = website_warnings("http://192.0.2.1/", 1)
    timed_out = not isinstance(raised, ConnectionResetError)
    assert ("(no complete answer in time" in warning) is timed_out
    assert ("(ConnectionResetError" in warning) is not timed_out


def test_an_https_site_that_cannot_be_reached_is_only_unreachable() -> None:
    url = f"https://127.0.0.1:{closed_port()}/"
    (warning,) = website_warnings(url, 1)
    assert warning.startswith(f"websiteUrl {url} does not answer as a website (")


def raw_site(answer: bytes, drip_s: float = 0.0) -> tuple[socket.socket, str]:
    """A TCP server that answers one connection with ``answer``, one byte every ``drip_s`` when set."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def serve() -> None:
        connection, _ = server.accept()
        with connection:
            connection.recv(1024)
            for byte in answer if drip_s else [answer]:
                time.sleep(drip_s)
                try:
                    connection.sendall(bytes([byte]) if drip_s else answer)  # type: ignore[arg-type]
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    return server, f"http://127.0.0.1:{server.getsockname()[1]}/"


def test_a_site_that_drips_its_answer_is_cut_at_the_timeout() -> None:
    server, url = raw_site(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", drip_s=0.3)
    with server:
        started = time.monotonic()
        (_, late) = website_warnings(url, 1)
        assert time.monotonic() - started < 3  # each byte inside the read timeout: the status line takes 5 s
    assert late.startswith(f"websiteUrl {url} does not answer as a website (no complete answer in time")


def test_a_site_that_does_not_speak_http_is_a_warning_not_a_bug() -> None:
    """A status line that is not HTTP (BadStatusLine) was once reported as a bug of this tool."""
    server, url = raw_site(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")
    with server:
        (_, warning) = website_warnings(url, 2)
    assert warning.startswith(f"websiteUrl {url} does not answer as a website (BadStatusLine: ")
