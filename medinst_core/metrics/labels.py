"""Corpus-level macro F1 over the labels present in the gold answers.

* ``label_f1`` (yes/no and multiple-choice QA, TE, single-label TXTCLASS):
  each answer is normalised
  (:func:`~medinst_core.metrics.parsing.normalize_answer`) and is one label.
* ``bio_label_f1`` (BIO-style NER): the tags ``[B]``, ``[I]`` and ``[O]``
  are read from each answer in order; a prediction with fewer tags than its
  gold is padded with a filler tag (``N``, which never counts as correct), one
  with more is cut to the gold length; the tags of all samples are pooled.

The score is scikit-learn's ``f1_score(gold, pred, labels=sorted(set(gold)),
average="macro")``: per gold label F1 = 2 TP / (gold count + predicted
count) -- predicted labels that never occur in the gold only cost recall --
averaged over the gold labels with numpy's summation, so the float is
identical.  Neither metric has per-sample scores.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import compress
from operator import eq

from ._util import numpy_mean
from .parsing import normalize_answer
from .result import MetricResult

__all__ = ["macro_f1", "bio_tags", "label_f1", "bio_label_f1", "BIO_FILLER"]

_BIO_TAG = re.compile(r"\[B\]|\[I\]|\[O\]")
#: what a too-short BIO prediction is padded with
BIO_FILLER = "N"


class _Tally:
    """Gold, predicted and correct counts per label, fed in chunks."""

    def __init__(self) -> None:
        self.gold: Counter[str] = Counter()
        self.pred: Counter[str] = Counter()
        self.correct: Counter[str] = Counter()

    def add(self, gold: Sequence[str], pred: Sequence[str]) -> None:
        self.gold.update(gold)
        self.pred.update(pred)
        self.correct.update(compress(gold, map(eq, gold, pred)))

    def macro_f1(self) -> float:
        labels = sorted(self.gold)
        if not labels:
            return math.nan  # scikit-learn raises on an empty gold set
        scores = [
            (2.0 * self.correct[label]) / (float(self.gold[label]) + float(self.pred[label])) for label in labels
        ]
        return numpy_mean(scores)


def macro_f1(gold: Iterable[str], pred: Iterable[str]) -> float:
    """Macro F1 over the labels present in ``gold`` (aligned label lists)."""
    gold, pred = list(gold), list(pred)
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold labels but {len(pred)} predicted labels")
    tally = _Tally()
    tally.add(gold, pred)
    return tally.macro_f1()


def bio_tags(text: str) -> list[str]:
    """The ``[B]``/``[I]``/``[O]`` tags of ``text``, in order."""
    return _BIO_TAG.findall(text)


def label_f1(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """MedINST's label-level macro F1 of normalised answers."""
    if len(golds) != len(predictions):
        raise ValueError(f"{len(golds)} gold answers but {len(predictions)} predictions")
    cache: dict[str, str] = {}

    def norm(text: str) -> str:
        got = cache.get(text)
        if got is None:
            got = normalize_answer(text)
            if len(text) <= 256:
                cache[text] = got
        return got

    return MetricResult(macro_f1(map(norm, golds), map(norm, predictions)))


def bio_label_f1(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """MedINST's BIO tag macro F1 (padding with ``N`` / truncating to the gold length)."""
    tally = _Tally()
    for g, p in zip(golds, predictions, strict=True):
        gt = _BIO_TAG.findall(g)
        pt = _BIO_TAG.findall(p)
        if len(pt) < len(gt):
            pt.extend([BIO_FILLER] * (len(gt) - len(pt)))
        elif len(pt) > len(gt):
            del pt[len(gt) :]
        tally.add(gt, pt)
    return MetricResult(tally.macro_f1())
