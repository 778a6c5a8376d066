"""Metrics: MedINST's evaluation, one function per metric family.

Every metric function takes the gold outputs and the predictions of one task
(aligned lists of strings) and returns a :class:`MetricResult`.
"""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class MetricResult:
    """``score`` for the task; ``per_sample`` scores when the metric has them
    (``None`` for corpus-level metrics such as macro F1)."""

    score: float
    per_sample: tuple[float, ...] | None = None


def clear_caches() -> None:
    """Forget the memoised word stems and normalised answers kept between
    metric calls (benchmarks use it to start cold, like a fresh process)."""
    from . import porter, text

    porter._CACHE.clear()
    text._WORDS.clear()
