"""Small numeric helpers that reproduce the reference's float arithmetic."""

from __future__ import annotations

import math
from collections.abc import Sequence


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
