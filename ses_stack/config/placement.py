"""Which domain stack holds a domain: its pin, else a hash of its name alone.

``domainStacksBase`` b and ``domainStacks`` n: stacks 1 to b hold the domains their name's SHA-256 modulo b gives
them (the only placement before ``domainStacksBase``, so an app deployed with it keeps every domain where it is), and
stacks b+1 to n take the domains that jump consistent hashing sends past b. Raising n to m then moves about
(m - n)/m of the domains, each into one of the new stacks; with b = 1 the placement is consistent hashing alone.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
from collections.abc import Sequence

from ses_stack.config.domains import DomainConfig

_JUMP_MULTIPLIER = 2862933555777941757  # Lamping and Veach's 64-bit linear congruential step
_UINT64 = (1 << 64) - 1
_MAX_JUMP_SEARCH = 1 << 31  # jump points are computed once per name up to a bound far past any stack count


def jump_points(key: int) -> tuple[int, ...]:
    """The buckets a 64-bit ``key`` jumps to, ascending: its bucket of n is the last point below n (Lamping and Veach,
    "A Fast, Minimal Memory, Consistent Hash Algorithm", 2014)."""
    jump, points = 0, []
    while jump < _MAX_JUMP_SEARCH:
        points.append(jump)
        key = (key * _JUMP_MULTIPLIER + 1) & _UINT64
        jump = int((jump + 1) * ((1 << 31) / ((key >> 33) + 1)))
    return tuple(points)


def bucket_of(points: tuple[int, ...], buckets: int) -> int:
    """The bucket (0 to ``buckets`` - 1) of a key with these jump points."""
    return points[bisect.bisect_left(points, buckets) - 1]


@functools.lru_cache(maxsize=65536)
def _keys(name: str) -> tuple[int, tuple[int, ...]]:
    """The name's modulo key (SHA-256's first 8 bytes) and the jump points of its next 8 bytes."""
    digest = hashlib.sha256(name.encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big"), jump_points(int.from_bytes(digest[8:16], "big"))


def jump_bucket(name: str, buckets: int) -> int:
    """The bucket (0 to ``buckets`` - 1) that jump consistent hashing gives ``name``."""
    return bucket_of(_keys(name)[1], buckets)


def hashed_stack_number(name: str, domain_stacks: int, base: int | None = None) -> int:
    """The domain stack (1 to ``domain_stacks``) of a domain named ``name`` that is not pinned; ``base`` defaults to
    ``domain_stacks`` (the modulo placement alone)."""
    base = domain_stacks if base is None else base
    jumped = jump_bucket(name, domain_stacks)
    if jumped >= base:
        return jumped + 1
    return _keys(name)[0] % base + 1


def domain_stack_number(domain: DomainConfig, domain_stacks: int, base: int | None = None) -> int:
    """The domain stack (1 to ``domain_stacks``) that holds ``domain``: its pin, else from its name."""
    if domain.domain_stack is not None:
        return domain.domain_stack
    return hashed_stack_number(domain.name, domain_stacks, base)


def moved(names: Sequence[str], before: tuple[int, int | None], after: tuple[int, int | None]) -> list[str]:
    """The names whose stack differs between two ``(domainStacks, domainStacksBase)`` settings."""
    return [n for n in names if hashed_stack_number(n, *before) != hashed_stack_number(n, *after)]
