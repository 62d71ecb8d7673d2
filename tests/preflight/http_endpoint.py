"""A local HTTP endpoint standing in for AWS (reached through AWS_ENDPOINT_URL): it answers what a test decides,
including what AWS never sends (bodies that are not JSON or XML, hangs, throttling without end)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: bytes = b"{}"
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "application/json"})
    hang_s: float = 0.0
    close: bool = False
    """Close the connection without answering (a load balancer resetting it)."""
    drip_s: float = 0.0
    """Send the body one byte at a time, this far apart: every socket read gets a byte inside its timeout, the
    whole answer takes len(body) * drip_s."""

    @classmethod
    def json(cls, data: Any, status: int = 200, **headers: str) -> Reply:
        return cls(status, json.dumps(data).encode(), {"Content-Type": "application/json", **headers})


Answer = Callable[[str, str, bytes], Reply]  # (method, path, body) -> reply


@dataclass
class Endpoint:
    url: str
    requests: list[tuple[str, str]]
    answer: list[Answer]  # one element, replaceable by the test

    def answer_with(self, answer: Answer) -> None:
        self.answer[0] = answer


@contextmanager
def running_endpoint(answer: Answer) -> Iterator[Endpoint]:
    requests: list[tuple[str, str]] = []
    current: list[Answer] = [answer]
    stopping = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def _reply(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            requests.append((self.command, self.path))
            reply = current[0](self.command, self.path, body)
            if reply.hang_s:
                time.sleep(reply.hang_s)
                return
            if reply.close:
                self.close_connection = True
                return
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if not reply.drip_s:
                self.wfile.write(reply.body)
                return
            for byte in reply.body:
                if stopping.wait(reply.drip_s):
                    return
                try:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                except OSError:  # the client gave up
                    return

        do_GET = do_POST = do_PUT = do_DELETE = _reply  # noqa: N815 (the names http.server calls)

        def log_message(self, *args: Any) -> None:
            return

    class Server(ThreadingHTTPServer):
        request_queue_size = 256  # many clients at once (validate-list's threads), as a real endpoint takes them

    server = Server(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield Endpoint(f"http://127.0.0.1:{server.server_address[1]}", requests, current)
    finally:
        stopping.set()
        server.shutdown()
        server.server_close()
