"""Metrics: MedINST's evaluation, one function per metric family.

Every metric function takes the gold outputs and the predictions of one task
(aligned lists of strings) and returns a :class:`MetricResult`.
"""

from __future__ import annotations

from .result import MetricResult

__all__ = ["MetricResult", "clear_caches"]


def clear_caches() -> None:
    """Forget the memoised word stems and normalised answers kept between
    metric calls (benchmarks use it to start cold, like a fresh process)."""
    from . import porter, rouge, text

    porter._CACHE.clear()
    rouge._NUMBERS.clear()
    rouge._STEM_NUMBERS.clear()
    text._WORDS.clear()
