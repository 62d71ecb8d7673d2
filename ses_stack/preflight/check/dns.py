"""DNS look-ups for the live checks: the system resolver, or one given server (``--nameserver HOST[:PORT]``)."""

from __future__ import annotations

from dataclasses import dataclass

import dns.exception
import dns.resolver

from ses_stack.preflight.defaults import DEFAULT_TIMEOUT


def parse_nameserver(value: str) -> tuple[str, int]:
    """``HOST``, ``HOST:PORT``, ``[IPv6]:PORT`` -> (host, port). Raises ValueError on anything else."""
    host, port = value, "53"
    if value.startswith("["):
        host, _, rest = value[1:].partition("]")
        if rest:
            port = rest.removeprefix(":")
    elif value.count(":") == 1:
        host, port = value.split(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--nameserver must be HOST or HOST:PORT; got {value!r}")
    return host, int(port)


def make_resolver(nameserver: str | None = None, timeout: float = DEFAULT_TIMEOUT) -> dns.resolver.Resolver:
    """A resolver that asks ``nameserver`` only, or the system's resolvers when None."""
    if nameserver is None:
        resolver = dns.resolver.Resolver()
    else:
        host, port = parse_nameserver(nameserver)
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [host]
        resolver.port = port
    resolver.lifetime = timeout
    resolver.timeout = timeout
    return resolver


@dataclass(frozen=True)
class Answer:
    """Values found for a name and type (empty when the name or type does not exist), or why the look-up failed."""

    values: tuple[str, ...]
    error: str | None = None


def lookup(resolver: dns.resolver.Resolver, name: str, record_type: str) -> Answer:
    """Values of ``name``'s ``record_type`` records in presentation form (TXT strings joined, names without dot)."""
    try:
        answer = resolver.resolve(name, record_type, raise_on_no_answer=False)
    except dns.resolver.NXDOMAIN:
        return Answer(())
    except (dns.exception.Timeout, dns.resolver.NoNameservers, dns.resolver.LifetimeTimeout) as error:
        return Answer((), f"DNS look-up of {name} {record_type} failed: {error.__class__.__name__}")
    if answer.rrset is None:
        return Answer(())
    values = []
    for record in answer.rrset:
        if record_type == "TXT":
            values.append(b"".join(record.strings).decode("utf-8", "replace"))
        elif record_type == "MX":
            values.append(f"{record.preference} {record.exchange.to_text().rstrip('.').lower()}")
        else:
            values.append(record.to_text().rstrip(".").lower())
    return Answer(tuple(values))
