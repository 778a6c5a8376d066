"""Semantic textual similarity (BIOSSES): squared error of 0-5 integer scores.

``mse`` is MedINST's metric.  The distinct integers (runs of digits) of the
gold and of the prediction are collected; if either side has not exactly one,
or it is outside 0-5, the sample counts as gold 0 / prediction 5 (an error of
25, whatever the gold was).  So ``"4.0"`` and ``"4 out of 5"`` are
penalised (two distinct integers each), ``"4, I think 4"`` is not.  The score is the mean squared error; lower is better.

``mse_corrected`` reads the first number of each side, decimals allowed
(``"4.0"`` is 4, ``"3.5"`` is 3.5); a prediction with no number or one
outside 0-5 gets the largest error possible for its gold, ``max(g, 5 - g)**2``;
a gold with no number counts 25.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from ._util import mean, per_pair
from .result import MetricResult

__all__ = ["sts_pair", "mse", "mse_corrected"]

_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_SMALL = {str(i): i for i in range(6)}


def _canonical(run: str) -> str:
    """A run of (possibly non-ASCII) decimal digits as a plain integer string,
    without converting huge runs to ``int``."""
    if not run.isascii():
        run = "".join(str(unicodedata.decimal(c)) for c in run)
    return run.lstrip("0") or "0"


def sts_pair(gold: str, prediction: str) -> tuple[int, int]:
    """The (gold, prediction) integers MedINST scores for one sample."""
    gv, pv = _SMALL.get(gold), _SMALL.get(prediction)
    if gv is not None and pv is not None:  # the usual case: two bare digits
        return gv, pv
    g = {_canonical(r) for r in _DIGITS.findall(gold)}
    p = {_canonical(r) for r in _DIGITS.findall(prediction)}
    if len(g) != 1 or len(p) != 1:
        return 0, 5
    gv, pv = _SMALL.get(next(iter(g))), _SMALL.get(next(iter(p)))
    if gv is None or pv is None:
        return 0, 5
    return gv, pv


def mse(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """MedINST's mean squared error with the 0/5 penalty for unusable answers."""
    def squared(g: str, p: str) -> float:
        gv, pv = sts_pair(g, p)
        return float((gv - pv) ** 2)

    errors = per_pair(golds, predictions, squared)
    # the errors are integers: their float sum is exact, as MedINST's int sum
    return MetricResult(mean(errors), errors)


def _first_number(text: str) -> float | None:
    m = _NUMBER.search(text)
    if m is None:
        return None
    return float(m.group())  # float() reads non-ASCII decimal digits too


def mse_corrected(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """Squared error of the first number of each answer; unusable answers get
    the worst error possible for their gold."""
    errors = []
    for g, p in zip(golds, predictions, strict=True):
        gv = _first_number(g)
        pv = _first_number(p)
        if gv is None:
            errors.append(25.0)
        elif pv is None or not 0.0 <= pv <= 5.0:
            errors.append(max(gv, 5.0 - gv) ** 2)
        else:
            errors.append((gv - pv) ** 2)
    scores = tuple(errors)
    return MetricResult(mean(scores), scores)
