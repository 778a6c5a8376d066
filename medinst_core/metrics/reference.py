"""A straightforward implementation of MedINST's evaluation, for verification.

Each sample is scored on its own the way a typical evaluation script does it:
``rouge_score``'s ``RougeScorer(["rougeL"], use_stemmer=True)`` per sample,
``collections.Counter`` for the F1 of bags of items, and scikit-learn's
``f1_score(..., labels=sorted(set(gold)), average="macro")`` for label
metrics.  It follows DESIGN section 6 literally and shares no code with the
fast metrics, which the tests and ``benchmarks/bench_evaluate.py`` compare
against it.

Needs ``pip install rouge-score scikit-learn`` (the ``test`` extra).
"""

from __future__ import annotations

import re
import string
from collections import Counter
from collections.abc import Sequence

from ..errors import MissingExtraError

_PUNCT = set(string.punctuation)


def _normalize(s: str) -> str:
    s = s.lower()
    s = "".join(ch for ch in s if ch not in _PUNCT)
    s = re.sub(r"\b(a|an|the)\b", " ", s)
    return " ".join(s.split())


def _brackets(s: str) -> list[str]:
    items, depth, buf = [], 0, []
    for ch in s:
        if ch == "[":
            if depth:
                buf.append(ch)
            depth += 1
        elif ch == "]":
            if not depth:
                continue
            depth -= 1
            if depth:
                buf.append(ch)
            else:
                items.append(_normalize("".join(buf)))
                buf = []
        elif depth:
            buf.append(ch)
    return items


def _bag_f1(gold: list[str], pred: list[str]) -> float:
    g, p = Counter(gold), Counter(pred)
    tp = sum((g & p).values())
    fp = sum((p - g).values())
    fn = sum((g - p).values())
    precision = tp / (tp + fp) if tp + fp > 0 else 0
    recall = tp / (tp + fn) if tp + fn > 0 else 0
    return 2 * (precision * recall) / (precision + recall) if precision + recall > 0 else 0


def _word_f1(gold: str, pred: str) -> float:
    pt, gt = _normalize(pred).split(), _normalize(gold).split()
    same = sum((Counter(pt) & Counter(gt)).values())
    if same == 0:
        return 0
    precision = 1.0 * same / len(pt)
    recall = 1.0 * same / len(gt)
    return (2 * precision * recall) / (precision + recall)


def _mean(values: list[float]) -> float:
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


_SCORER = None


def _rouge_scorer():
    global _SCORER
    if _SCORER is None:
        try:
            from rouge_score import rouge_scorer
        except ImportError:
            raise MissingExtraError("the reference metrics need rouge_score: pip install rouge-score") from None
        _SCORER = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
    return _SCORER


def rouge_l_one(gold: str, pred: str) -> float:
    return _rouge_scorer().score(gold, pred)["rougeL"].fmeasure


def _sk_macro_f1(gold: list[str], pred: list[str]) -> float:
    if not gold:  # scikit-learn raises (MedINST's script would stop); medinst reports nan
        return float("nan")
    try:
        from sklearn.metrics import f1_score
    except ImportError:
        raise MissingExtraError("the reference metrics need scikit-learn: pip install scikit-learn") from None
    return float(f1_score(gold, pred, labels=sorted(set(gold)), average="macro"))


def per_sample(name: str, gold: str, pred: str) -> float:
    """The per-sample score of a mean-aggregated metric."""
    if name == "rouge_l":
        return rouge_l_one(gold, pred)
    if name == "word_f1":
        return _word_f1(gold, pred)
    if name == "exact_match":
        return float(_normalize(pred) == _normalize(gold))
    if name == "entity_f1":
        return _bag_f1(_brackets(gold), _brackets(pred))
    if name == "multilabel_f1":
        return _bag_f1([t.lower().strip() for t in gold.split(", ")], [p.lower().strip() for p in pred.split(", ")])
    if name == "mse":
        t, p = _sts_pair(gold, pred)
        return float((t - p) ** 2)
    raise KeyError(name)


def _sts_pair(gold: str, pred: str) -> tuple[int, int]:
    t = list({int(x) for x in re.findall(r"\d+", gold)})
    p = list({int(x) for x in re.findall(r"\d+", pred)})
    if len(t) != 1 or len(p) != 1 or t[0] not in range(6) or p[0] not in range(6):
        return 0, 5
    return t[0], p[0]


def score(name: str, golds: Sequence[str], preds: Sequence[str]) -> float:
    """The task-level value of metric ``name``, computed the plain way."""
    if name == "label_f1":
        return _sk_macro_f1([_normalize(t) for t in golds], [_normalize(p) for p in preds])
    if name == "bio_label_f1":
        ts: list[str] = []
        ps: list[str] = []
        for t, p in zip(golds, preds):
            tt = re.findall(r"\[B\]|\[I\]|\[O\]", t)
            pt = re.findall(r"\[B\]|\[I\]|\[O\]", p)
            pt = pt + ["N"] * (len(tt) - len(pt)) if len(tt) > len(pt) else pt[: len(tt)]
            ts += tt
            ps += pt
        return _sk_macro_f1(ts, ps)
    if name == "mse":
        pairs = [_sts_pair(t, p) for t, p in zip(golds, preds)]
        return sum((t - p) ** 2 for t, p in pairs) / len(pairs)
    return _mean([per_sample(name, g, p) for g, p in zip(golds, preds)])
