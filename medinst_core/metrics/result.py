"""What a metric function returns."""

from __future__ import annotations

import attrs


@attrs.frozen(slots=True)
class MetricResult:
    """``score`` for the task; ``per_sample`` scores when the metric has them
    (``None`` for corpus-level metrics such as macro F1)."""

    score: float
    per_sample: tuple[float, ...] | None = None
