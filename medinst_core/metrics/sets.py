"""Per-sample multiset F1 over extracted items: entity-style answers and
multi-label classification.

* ``entity_f1`` (entity-style NER, RE, EE, COREF, tmVar-v3-NED): the items
  are the contents of the outermost ``[...]`` groups, each normalised
  (:func:`~medinst_core.metrics.parsing.normalize_answer`).
* ``multilabel_f1`` (Hallmarks of Cancer): the items are the answer split on
  ``", "``, each lower-cased and stripped.

Per sample: precision = matched / predicted items, recall = matched / gold
items (matching counts repeated items as often as both sides have them), F1
= 2PR / (P + R), and 0 whenever P + R is 0.  MedINST's quirk is kept: a
sample whose gold and prediction both have no items scores 0.  The task
score is the mean over samples.

``entity_f1_corrected`` differs only there: nothing expected and nothing
predicted scores 1.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._util import common_count, mean, per_pair
from .parsing import bracket_items, flat_bracket_items, normalize_answer, outer_brackets
from .result import MetricResult

__all__ = [
    "entity_items",
    "label_items",
    "multiset_f1",
    "entity_f1",
    "entity_f1_corrected",
    "multilabel_f1",
]


def entity_items(text: str) -> list[str]:
    """The normalised contents of the outermost brackets of ``text``."""
    return bracket_items(text)


def label_items(text: str) -> list[str]:
    """``text`` split on ``", "``, each label lower-cased and stripped."""
    return [t.lower().strip() for t in text.split(", ")]


def multiset_f1(gold: Sequence[str], pred: Sequence[str]) -> float:
    """F1 between two lists of items, counted with multiplicity (0 if either is empty)."""
    if not gold or not pred:
        return 0.0
    if len(gold) == 1 and len(pred) == 1:
        tp = 1 if gold[0] == pred[0] else 0
    elif gold == pred:
        tp = len(gold)
    else:
        tp = common_count(gold, pred)
    if tp == 0:
        return 0.0
    precision = tp / len(pred)
    recall = tp / len(gold)
    return 2 * (precision * recall) / (precision + recall)


def _score(golds: Sequence[str], predictions: Sequence[str], items, empty_both: float) -> MetricResult:
    cache: dict[str, list[str]] = {}

    def parsed(text: str) -> list[str]:
        got = cache.get(text)
        if got is None:
            got = items(text)
            if len(text) <= 256:  # short answers repeat; long ones rarely do
                cache[text] = got
        return got

    def one(g: str, p: str) -> float:
        gi, pi = parsed(g), parsed(p)
        return empty_both if not gi and not pi else multiset_f1(gi, pi)

    scores = per_pair(golds, predictions, one)
    return MetricResult(mean(scores), scores)


def _entity_parser():
    """:func:`entity_items`; for texts off its one-pass path (nesting, stray
    brackets, non-ASCII) the normalisation of each item is memoised
    (predictions mostly repeat the gold's items)."""
    norm: dict[str, str] = {}

    def parse(text: str) -> list[str]:
        flat = flat_bracket_items(text)
        if flat is not None:
            return flat
        out = []
        for c in outer_brackets(text):
            n = norm.get(c)
            if n is None:
                n = norm[c] = normalize_answer(c)
            out.append(n)
        return out

    return parse


def entity_f1(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """MedINST's entity-level F1 (empty gold and empty prediction score 0)."""
    return _score(golds, predictions, _entity_parser(), 0.0)


def entity_f1_corrected(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """Entity-level F1 where an empty gold answered by an empty prediction scores 1."""
    return _score(golds, predictions, _entity_parser(), 1.0)


def multilabel_f1(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """MedINST's multi-label F1: labels split on ``", "``, lower-cased, stripped."""
    return _score(golds, predictions, label_items, 0.0)
