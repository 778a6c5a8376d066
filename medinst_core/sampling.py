"""Deterministic, streaming sampling.

Every choice is made by ranking items on a keyed hash of their id (``rank``),
so a sample depends only on the seed and the ids, not on memory layout, process
or platform, and can be drawn in one pass with memory proportional to the
sample size (a bounded heap keeps the ``k`` lowest ranks: bottom-k sampling,
which is a uniform sample without replacement).
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")


def rank(seed: int | str, key: str) -> int:
    """A 64-bit pseudo-random rank of ``key`` under ``seed``."""
    digest = hashlib.blake2b(key.encode(), digest_size=8, key=str(seed).encode()[:64]).digest()
    return int.from_bytes(digest, "big")


def bottom_k(
    items: Iterable[T], k: int, key: Callable[[T], str], seed: int | str, *, keep_order: bool = False
) -> list[T]:
    """The ``k`` items with the lowest rank, in rank order (or in their original
    order with ``keep_order``); one pass, O(k) memory."""
    if k <= 0:
        return []
    heap: list[tuple[int, int, Any]] = []  # (-rank, -position, item): a max-heap on rank
    for position, item in enumerate(items):
        r = rank(seed, key(item))
        if len(heap) < k:
            heapq.heappush(heap, (-r, -position, item))
        elif r < -heap[0][0]:
            heapq.heapreplace(heap, (-r, -position, item))
    order = (lambda x: -x[1]) if keep_order else (lambda x: (-x[0], -x[1]))
    return [item for _, _, item in sorted(heap, key=order)]


def allocate(sizes: dict[str, int], total: int, *, strategy: str = "proportional", cap: int | None = None) -> dict[str, int]:
    """How many items to draw from each group so the draws add up to ``total``
    (or to everything available, if less).

    ``strategy`` is ``proportional`` (to group size), ``uniform`` (equal shares)
    or ``temperature:T`` (proportional to size ** (1/T); T=1 is proportional, a
    large T approaches uniform).  ``cap`` bounds each group.  Shares are
    rounded by largest remainder, ties broken by group name, and what a full
    group cannot take is handed to the others.
    """
    limits = {g: min(n, cap) if cap is not None else n for g, n in sizes.items() if n > 0}
    if strategy == "proportional":
        weight = {g: float(sizes[g]) for g in limits}
    elif strategy == "uniform":
        weight = {g: 1.0 for g in limits}
    elif strategy.startswith("temperature:"):
        try:
            t = float(strategy.split(":", 1)[1])
        except ValueError:
            t = 0.0
        if t <= 0:
            raise ValueError(f"temperature must be a positive number, got {strategy!r}")
        weight = {g: float(sizes[g]) ** (1.0 / t) for g in limits}
    else:
        raise ValueError(f"unknown strategy {strategy!r}: expected proportional, uniform or temperature:T")
    target = min(total, sum(limits.values()))
    quota = {g: 0 for g in limits}
    open_groups = set(limits)
    remaining = target
    while remaining > 0 and open_groups:
        wsum = sum(weight[g] for g in open_groups)
        shares = {g: remaining * weight[g] / wsum for g in open_groups}
        floors = {g: int(shares[g]) for g in open_groups}
        left = remaining - sum(floors.values())
        for g in sorted(open_groups, key=lambda g: (-(shares[g] - floors[g]), g))[:left]:
            floors[g] += 1
        given = 0
        for g in sorted(open_groups):
            take = min(floors[g], limits[g] - quota[g])
            quota[g] += take
            given += take
            if quota[g] >= limits[g]:
                open_groups.discard(g)
        remaining -= given
        if given == 0:
            break
    return quota
