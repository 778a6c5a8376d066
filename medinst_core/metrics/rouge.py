"""Rouge-L F-measure, equal to Google's ``rouge_score`` with stemming.

``rouge_score.rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)
.score(gold, prediction)["rougeL"].fmeasure`` is what MedINST reports.  Its
default tokeniser lower-cases the text, turns every run of characters other
than ``a-z0-9`` into a space, splits, and Porter-stems the tokens longer than
three characters; the score is ``2PR / (P + R)`` from the longest common
subsequence of the two token lists (0 when either list is empty).

This implementation gives the same floats, faster:

* tokens come from one ``re.findall`` and a memoised stemmer
  (:mod:`medinst_core.metrics.porter`, no NLTK needed);
* :func:`rouge_l` maps every token of a task to the number of its stem
  once, so each text becomes a list of small integers (one ``map`` over a
  dict, no per-token Python code once the words are known);
* the LCS length comes from rapidfuzz's compiled ``LCSseq`` when rapidfuzz is
  installed (it takes sequences of hashables; integers are compared by value,
  so the length is exact), else from a bit-parallel algorithm (Allison & Dix
  1986, in Hyyrö's formulation) on Python integers: one pass over the shorter
  token list with a few big-integer operations per token, instead of a
  ``len(a) x len(b)`` table of Python integers.  Both give the same length;
  ``MEDINST_PURE_PYTHON=1`` forces the second.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable, Sequence

from ..envvars import switch
from ._util import mean, per_pair
from .porter import _CACHE as _STEMS
from .porter import _CACHE_LIMIT as _STEMS_LIMIT
from .porter import stem as _stem
from .porter import stem_uncached as _stem_uncached
from .result import MetricResult

__all__ = ["tokenize", "lcs_length", "rouge_l_fmeasure", "rouge_l", "COMPILED_LCS"]

_TOKEN = re.compile(r"[a-z0-9]+")
#: ASCII: a-z and 0-9 kept, A-Z lower-cased, every other byte a space; the
#: ``split()`` of an ASCII text translated with it is the tokens ``_TOKEN``
#: finds in the lower-cased text (as bytes)
_TOKEN_BYTES = bytes(
    c if 97 <= c <= 122 or 48 <= c <= 57 else c + 32 if 65 <= c <= 90 else 32 for c in range(256)
)
#: longer token lists get their bit masks built position by position
_LONG = 4096


def tokenize(text: str) -> list[str]:
    """``rouge_score``'s default tokens of ``text`` with stemming."""
    stems = _STEMS
    out = _TOKEN.findall(text.lower())
    for i, tok in enumerate(out):
        if len(tok) > 3:
            s = stems.get(tok)
            out[i] = s if s is not None else _stem(tok)
    return out


def lcs_length(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    """Length of the longest common subsequence of two token lists (pure Python)."""
    if len(a) < len(b):
        a, b = b, a
    # bits run over the longer list ``a``; iterate over the shorter ``b``
    masks: dict[Hashable, int] = {}
    get = masks.get
    if len(a) <= _LONG:
        bit = 1
        for tok in a:
            masks[tok] = get(tok, 0) | bit
            bit <<= 1
        full = bit - 1
    else:
        # a long list (a 12 MB prediction): growing each mask one bit at a
        # time costs len(a)**2 / 64 word operations (49 s for 2M tokens).
        # Only the tokens of ``b`` need a mask: each is read from a string of
        # '0'/'1' (one per position of ``a``, last first) made by translate()
        wanted = list(dict.fromkeys(b))
        zeros = bytes([48]) * 256
        for start in range(0, len(wanted), 255):
            group = wanted[start : start + 255]
            code = {tok: k for k, tok in enumerate(group)}.get
            codes = bytes([code(tok, 255) for tok in reversed(a)])
            for k, tok in enumerate(group):
                table = zeros[:k] + b"1" + zeros[k + 1 :]
                masks[tok] = int(codes.translate(table), 2)
        full = (1 << len(a)) - 1
    v = full
    for tok in b:
        m = get(tok)
        if m is not None:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()


def _compiled_lcs() -> Callable[[Sequence[Hashable], Sequence[Hashable]], int] | None:
    if switch("MEDINST_PURE_PYTHON"):
        return None
    try:
        from rapidfuzz.distance import LCSseq
    except ImportError:
        return None
    return LCSseq.similarity


#: rapidfuzz's LCS length, or ``None`` (the pure-Python :func:`lcs_length` is used)
COMPILED_LCS = _compiled_lcs()
_lcs = COMPILED_LCS or lcs_length


def _fmeasure(gold_tokens: Sequence[Hashable], pred_tokens: Sequence[Hashable], lcs_of=None) -> float:
    if not gold_tokens or not pred_tokens:
        return 0.0
    if gold_tokens == pred_tokens:
        return 1.0
    lcs = (lcs_of or _lcs)(gold_tokens, pred_tokens)
    # the same operations, in the same order, as rouge_score
    precision = lcs / len(pred_tokens)
    recall = lcs / len(gold_tokens)
    if precision + recall > 0:
        return 2 * precision * recall / (precision + recall)
    return 0.0


#: token -> number of its stem, shared by all calls (the numbers of two texts
#: compared must come from the same table); emptied between calls past the
#: limit.  Tokens of ASCII texts are bytes, the others str: both spellings of
#: a token get the number of its stem
_NUMBERS: dict[str | bytes, int] = {}
_STEM_NUMBERS: dict[str, int] = {}
_NUMBERS_LIMIT = 1_000_000
#: a pair longer than this (characters) numbers only its shorter text's tokens
_HUGE = 1 << 16


def _learn(tokens: Iterable[str | bytes]) -> None:
    numbers, stem_numbers, stems = _NUMBERS, _STEM_NUMBERS, _STEMS
    for tok in tokens:
        if tok not in numbers:
            s = tok if isinstance(tok, str) else tok.decode("ascii")
            if len(s) > 3:
                stemmed = stems.get(s)
                if stemmed is None:  # stem() without its cache miss's exception
                    stemmed = _stem_uncached(s)
                    if len(stems) < _STEMS_LIMIT:
                        stems[s] = stemmed
                s = stemmed
            n = stem_numbers.get(s)
            if n is None:
                n = stem_numbers[s] = len(stem_numbers)
            numbers[tok] = n


def _numbers(text: str) -> list[int]:
    """The stem numbers of ``text``'s tokens (learning new tokens)."""
    tokens: list[str] | list[bytes]
    if text.isascii():  # the same tokens as bytes, several times faster
        tokens = text.encode("ascii").translate(_TOKEN_BYTES).split()
    else:
        tokens = _TOKEN.findall(text.lower())
    try:
        return list(map(_NUMBERS.__getitem__, tokens))
    except KeyError:
        # only the tokens not seen yet (the set difference runs in C); the
        # numbers are names, so the order they are given in does not matter
        unknown: set[str | bytes] = set(tokens)
        _learn(unknown.difference(_NUMBERS))
        return list(map(_NUMBERS.__getitem__, tokens))


def _numbers_known(text: str) -> list[int]:
    """Like :func:`_numbers` but learning nothing: a token whose stem has no
    number yet gets -1, which no numbered text contains (so it matches
    nothing there).  Keeps a huge text's words out of the tables."""
    numbers, stem_numbers = _NUMBERS, _STEM_NUMBERS
    out: list[int] = []
    append = out.append
    for tok in _TOKEN.findall(text.lower()):
        n = numbers.get(tok)
        if n is None:
            n = stem_numbers.get(_stem(tok) if len(tok) > 3 else tok, -1)
        append(n)
    return out


def _huge_pair(gold: str, prediction: str) -> float:
    # the pure-Python LCS here: rapidfuzz's tables for 2M tokens take about
    # 120 MiB more, for about the same time (stemming dominates)
    if len(prediction) > len(gold):
        g = _numbers(gold)
        return _fmeasure(g, _numbers_known(prediction), lcs_length)
    p = _numbers(prediction)
    return _fmeasure(_numbers_known(gold), p, lcs_length)


def _start() -> None:
    if len(_NUMBERS) > _NUMBERS_LIMIT:
        _NUMBERS.clear()
        _STEM_NUMBERS.clear()


def rouge_l_fmeasure(gold: str, prediction: str) -> float:
    """Rouge-L F-measure of one prediction against its gold text."""
    _start()
    if len(gold) + len(prediction) > _HUGE:
        return _huge_pair(gold, prediction)
    return _fmeasure(_numbers(gold), _numbers(prediction))


def rouge_l(golds: Sequence[str], predictions: Sequence[str]) -> MetricResult:
    """Per-sample Rouge-L F-measure (stemmed), averaged."""
    _start()
    cache: dict[str, list[int]] = {}

    def toks(text: str) -> list[int]:
        got = cache.get(text)
        if got is None:
            got = _numbers(text)
            # short answers (labels, yes/no) repeat a lot: tokenise each once
            if len(text) <= 256:
                cache[text] = got
        return got

    def one(g: str, p: str) -> float:
        if len(g) + len(p) > _HUGE:
            return _huge_pair(g, p)
        return _fmeasure(toks(g), toks(p))

    scores = per_pair(golds, predictions, one)
    return MetricResult(mean(scores), scores)
