"""Several per-sample metrics of one task in one pass over its distinct answers.

``medinst evaluate`` scores a task with three or four built-in metrics
(Rouge-L, word F1 and the family metric: exact match, entity F1...).  Called
one after the other, each metric goes over every sample, prepares every
answer its own way and keeps its own cache.  :func:`score_many` goes over the
task's distinct ``(gold, prediction)`` pairs once (noisy predictions of short
answers repeat a lot: 46,079 short MedINST32-shaped answers are 22,160
distinct pairs), prepares each distinct text once for every metric that needs
it (word F1 and exact match share their words), and spreads the pair scores
back over the samples.

The pair scores come from the same functions the metrics use one by one, and
the task score is the same left-to-right mean over the samples, so the results
are equal float for float (``tests/metrics/test_batch.py`` checks this
against the metric functions and the reference implementation).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from . import rouge, sets, text
from ._util import mean
from .result import MetricResult

__all__ = ["BATCHED", "score_many"]

#: metric name -> the function :func:`score_many` stands in for (``module:name``
#: as the built-in metrics are registered)
BATCHED: Mapping[str, str] = {
    "rouge_l": "medinst_core.metrics.rouge:rouge_l",
    "word_f1": "medinst_core.metrics.text:word_f1",
    "exact_match": "medinst_core.metrics.text:exact_match",
    "entity_f1": "medinst_core.metrics.sets:entity_f1",
    "entity_f1_corrected": "medinst_core.metrics.sets:entity_f1_corrected",
    "multilabel_f1": "medinst_core.metrics.sets:multilabel_f1",
}

#: distinct pairs prepared together
BLOCK = 4096


def _rouge(pairs: list[tuple[str, str]], texts: list[str]) -> list[float]:
    rouge._start()
    huge = rouge._HUGE
    # a pair over the limit numbers only its shorter text (rouge._huge_pair):
    # its texts are not numbered here
    small = [t for t in texts if len(t) <= huge]
    numbers = dict(zip(small, map(rouge._numbers, small)))
    fmeasure = rouge._fmeasure
    out: list[float] = []
    append = out.append
    for g, p in pairs:
        if len(g) + len(p) > huge:
            append(rouge._huge_pair(g, p))
        else:
            append(fmeasure(numbers[g], numbers[p]))
    return out


def _words(texts: list[str]) -> dict[str, list[str]]:
    return {t: text.answer_words(t) for t in texts}


def _word_f1(pairs: list[tuple[str, str]], prepared: dict[str, Any]) -> list[float]:
    words = prepared["words"]
    f1 = text._word_f1
    return [f1(words[g], words[p]) for g, p in pairs]


def _exact_match(pairs: list[tuple[str, str]], prepared: dict[str, Any]) -> list[float]:
    words = prepared["words"]
    return [1.0 if words[g] == words[p] else 0.0 for g, p in pairs]


def _item_f1(items: dict[str, list[str]], pairs: list[tuple[str, str]], empty_both: float) -> list[float]:
    f1 = sets.multiset_f1
    out: list[float] = []
    append = out.append
    for g, p in pairs:
        gi, pi = items[g], items[p]
        append(empty_both if not gi and not pi else f1(gi, pi))
    return out


#: name -> (what it needs prepared per distinct text, the per-pair scores)
_PAIRS: dict[str, tuple[str | None, Callable[[list[tuple[str, str]], dict[str, Any]], list[float]]]] = {
    "rouge_l": (None, lambda pairs, prepared: _rouge(pairs, prepared["texts"])),
    "word_f1": ("words", _word_f1),
    "exact_match": ("words", _exact_match),
    "entity_f1": ("entities", lambda pairs, prepared: _item_f1(prepared["entities"], pairs, 0.0)),
    "entity_f1_corrected": ("entities", lambda pairs, prepared: _item_f1(prepared["entities"], pairs, 1.0)),
    "multilabel_f1": ("labels", lambda pairs, prepared: _item_f1(prepared["labels"], pairs, 0.0)),
}
_PREPARE: dict[str, Callable[[list[str]], dict[str, list[str]]]] = {
    "words": _words,
    "entities": lambda texts: dict(zip(texts, map(sets._entity_parser(), texts))),
    "labels": lambda texts: dict(zip(texts, map(sets.label_items, texts))),
}


def score_many(golds: Sequence[str], predictions: Sequence[str], names: Sequence[str]) -> dict[str, MetricResult]:
    """The :data:`BATCHED` metrics ``names`` of one task: each name's
    :class:`MetricResult`, equal to calling its metric function on
    ``(golds, predictions)``."""
    unknown = [n for n in names if n not in _PAIRS]
    if unknown:
        raise ValueError(f"not a batched metric: {', '.join(unknown)} (known: {', '.join(_PAIRS)})")
    if len(golds) != len(predictions):
        raise ValueError(f"{len(golds)} gold answers but {len(predictions)} predictions")
    samples = list(zip(golds, predictions))
    pairs = list(dict.fromkeys(samples))  # distinct, in first-seen order
    number = dict(zip(pairs, range(len(pairs))))
    order = list(map(number.__getitem__, samples))
    wanted = list(dict.fromkeys(names))
    per_pair: dict[str, list[float]] = {name: [] for name in wanted}
    # a block of pairs at a time: what is prepared for its texts is dropped
    # after it, so a task of long texts does not hold all their tokens at once
    for start in range(0, len(pairs), BLOCK):
        block = pairs[start : start + BLOCK]
        prepared: dict[str, Any] = {"texts": list(dict.fromkeys([t for pair in block for t in pair]))}
        for name in wanted:
            needs, score = _PAIRS[name]
            if needs is not None and needs not in prepared:
                prepared[needs] = _PREPARE[needs](prepared["texts"])
            per_pair[name] += score(block, prepared)
    out: dict[str, MetricResult] = {}
    for name in wanted:
        per_sample = tuple(map(per_pair[name].__getitem__, order))
        out[name] = MetricResult(mean(per_sample), per_sample)
    return out
