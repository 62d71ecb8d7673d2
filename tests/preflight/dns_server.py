"""A real authoritative DNS server on 127.0.0.1 (UDP and TCP), serving whatever records a test gives it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from dnslib import QTYPE, RCODE, RR
from dnslib.server import BaseResolver, DNSLogger, DNSServer

Zone = list[tuple[str, str, str]]  # (name, type, value in zone-file syntax)


class ZoneResolver(BaseResolver):  # type: ignore[misc]
    """Answers from ``records``; swap them between tests with ``serve``."""

    def __init__(self) -> None:
        self.records: Zone = []
        self.queries: list[tuple[str, str]] = []
        self.delay = 0.0
        """Seconds each answer waits (a distant server); the server answers queries in parallel threads."""
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()

    def serve(self, records: Iterable[tuple[str, str, str]]) -> None:
        self.records = [(name.rstrip(".").lower(), rtype.upper(), value) for name, rtype, value in records]
        self.queries = []
        self.peak_in_flight = 0

    def resolve(self, request: Any, handler: Any) -> Any:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self.delay:
                time.sleep(self.delay)
            return self._answer(request)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _answer(self, request: Any) -> Any:
        reply = request.reply()
        name = str(request.q.qname).rstrip(".").lower()
        qtype = QTYPE[request.q.qtype]
        self.queries.append((name, qtype))
        matches = [(n, t, v) for n, t, v in self.records if n == name]
        if not matches and not any(n.endswith(f".{name}") for n, _, _ in self.records):
            # a wildcard answers a name that does not exist (RFC 4592), under the name asked
            labels = name.split(".")
            for depth in range(1, len(labels)):
                wildcard = "*." + ".".join(labels[depth:])
                found = [(name, t, v) for n, t, v in self.records if n == wildcard]
                if found:
                    matches = found
                    break
        if not matches:
            reply.header.rcode = RCODE.NXDOMAIN
            return reply
        for record_name, record_type, value in matches:
            if record_type in (qtype, "CNAME"):
                reply.add_answer(*RR.fromZone(f"{record_name}. 300 IN {record_type} {value}"))
        return reply


@contextmanager
def running_dns_server() -> Iterator[tuple[str, ZoneResolver]]:
    """Start the server on an ephemeral loopback port; yields ``127.0.0.1:PORT`` (for --nameserver) and its zone."""
    zone = ZoneResolver()
    logger = DNSLogger("-request,-reply,-truncated,-error,-recv,-send,-data,-log_prefix")
    udp = DNSServer(zone, address="127.0.0.1", port=0, logger=logger)
    port = udp.server.server_address[1]
    tcp = DNSServer(zone, address="127.0.0.1", port=port, tcp=True, logger=logger)
    for server in (udp.server, tcp.server):  # dnslib's start_thread polls every 0.5 s: each stop would wait that long
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    try:
        yield f"127.0.0.1:{port}", zone
    finally:
        for server in (udp.server, tcp.server):
            server.shutdown()
            server.server_close()
