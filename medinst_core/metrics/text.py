"""SQuAD-style answer metrics: word-level F1 and exact match.

Both compare :func:`~medinst_core.metrics.parsing.normalize_answer` forms
(lower case, no ASCII punctuation, no articles, single spaces).

* ``word_f1``: F1 between the two bags of words; 0 when no word is shared,
  so an empty gold answered by an empty prediction scores 0 (as in MedINST).
* ``exact_match``: 1 when the normalised forms are equal, else 0.

Both are averaged over samples.
"""

from __future__ import annotations

from collections.abc import Sequence

from ._util import common_count, mean, per_pair
from .parsing import answer_words
from .result import MetricResult

__all__ = ["word_f1_score", "word_f1", "exact_match"]


def _word_f1(gold_tokens: Sequence[str], pred_tokens: Sequence[str]) -> float:
    if not gold_tokens or not pred_tokens:
        return 0.0
    if gold_tokens == pred_tokens:
        return 1.0
    num_same = common_count(gold_tokens, pred_tokens)
    if num_same == 0:
        return 0.0
    precision = 1.0 * num_same / len(pred_tokens)
    recall = 1.0 * num_same / len(gold_tokens)
    return (2 * precision * recall) / (precision + recall)


def word_f1_score(gold: str, prediction: str) -> float:
    """Word-level F1 of one prediction."""
    return _word_f1(answer_words(gold), answer_words(prediction))


#: normalised words of short answers, shared by the metrics of one task
#: (word F1 and exact match normalise the same strings); bounded
_WORDS: dict[str, list[str]] = {}
_WORDS_LIMIT = 200_000


def _words(text: str) -> list[str]:
    got = _WORDS.get(text)
    if got is None:
        got = answer_words(text)
        if len(text) <= 256:
            if len(_WORDS) >= _WORDS_LIMIT:
                _WORDS.clear()
            _WORDS[text] = got
    return got


def word_f1(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """SQuAD word-level F1 per sample, averaged."""
    scores = per_pair(golds, predictions, lambda g, p: _word_f1(_words(g), _words(p)))
    return MetricResult(mean(scores), scores)


def exact_match(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """1 when the normalised answer equals the normalised gold, else 0; averaged."""
    scores = per_pair(golds, predictions, lambda g, p: 1.0 if _words(g) == _words(p) else 0.0)
    return MetricResult(mean(scores), scores)
