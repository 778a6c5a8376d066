"""Small numeric helpers that reproduce the reference's float arithmetic."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence


def mean(values: Sequence[float]) -> float:
    """Average as MedINST computes it: add the values one by one, left to
    right, then divide by their number (``nan`` for no values).

    (``sum()`` and ``math.fsum`` may round differently in the last bit.)
    """
    if not values:
        return math.nan
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def numpy_mean(values: Sequence[float]) -> float:
    """Average as ``numpy.mean`` computes it for a float64 vector (pairwise
    summation with eight accumulators), so a macro average over labels equals
    scikit-learn's to the last bit, without numpy."""
    if not values:
        return math.nan
    return _pairwise_sum(list(values), 0, len(values)) / len(values)


def _pairwise_sum(a: list[float], start: int, n: int) -> float:
    # numpy/core/src/umath/loops_utils.h.src: pairwise_sum
    if n < 8:
        res = 0.0
        for i in range(start, start + n):
            res += a[i]
        return res
    if n <= 128:
        r = a[start : start + 8]
        i = 8
        stop = n - (n % 8)
        while i < stop:
            for j in range(8):
                r[j] += a[start + i + j]
            i += 8
        res = (r[0] + r[1]) + (r[2] + r[3]) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n:
            res += a[start + i]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return _pairwise_sum(a, start, n2) + _pairwise_sum(a, start + n2, n - n2)


def per_pair(golds: Sequence[str], predictions: Sequence[str], score: Callable[[str, str], float], short: int = 160) -> tuple[float, ...]:
    """``score(gold, prediction)`` for each aligned pair; pairs of short
    answers (labels, scores, options), which repeat a lot, are computed once."""
    memo: dict[tuple[str, str], float] = {}
    out: list[float] = []
    append = out.append
    for g, p in zip(golds, predictions, strict=True):
        if len(g) + len(p) <= short:
            key = (g, p)
            v = memo.get(key)
            if v is None:
                v = memo[key] = score(g, p)
        else:
            v = score(g, p)
        append(v)
    return tuple(out)


def common_count(a: Sequence[str], b: Sequence[str]) -> int:
    """How many items the two lists share, counting repeats (the size of the
    multiset intersection)."""
    if len(a) * len(b) <= 64:  # short lists: cheaper than building two Counters
        rest = list(b)
        n = 0
        for item in a:
            if item in rest:
                rest.remove(item)
                n += 1
        return n
    # with no repeats on one side, each shared item counts once
    distinct = set(a)
    if len(distinct) == len(a):
        return len(distinct.intersection(b))
    distinct = set(b)
    if len(distinct) == len(b):
        return len(distinct.intersection(a))
    other = Counter(b)
    n = 0
    for item, k in Counter(a).items():
        j = other.get(item)
        if j:
            n += k if k < j else j
    return n
