"""The Porter stemmer as NLTK runs it by default (its ``NLTK_EXTENSIONS`` mode).

Google's ``rouge_score`` stems tokens with ``nltk.stem.porter.PorterStemmer()``;
Rouge-L with stemming must therefore stem every word exactly as that class
does.  This module is a stand-alone implementation of that behaviour, so the
core needs no NLTK: Porter's 1980 algorithm with the departures NLTK makes by
default (a small table of irregular forms, ``-ies``/``-ied`` on four-letter
words, ``y -> i`` only after a consonant, ``-alli``, ``-fulli`` and ``-logi``
in step 2, the two-letter ``*o`` condition, and words of one or two letters
left alone).  ``tests/metrics/test_porter.py`` checks it against NLTK on real
biomedical vocabulary and on generated words.

:func:`stem` is memoised: a corpus has far fewer distinct words than tokens.
"""

from __future__ import annotations

__all__ = ["stem", "stem_uncached"]

_VOWELS = frozenset("aeiou")

#: irregular forms NLTK maps directly (word -> stem)
_IRREGULAR = {
    "sky": "sky",
    "skies": "sky",
    "dying": "die",
    "lying": "lie",
    "tying": "tie",
    "news": "news",
    "innings": "inning",
    "inning": "inning",
    "outings": "outing",
    "outing": "outing",
    "cannings": "canning",
    "canning": "canning",
    "howe": "howe",
    "proceed": "proceed",
    "exceed": "exceed",
    "succeed": "succeed",
}


def _consonants(w: str) -> list[bool]:
    """Per position: is it a consonant?  ``y`` is one at the start of the word
    or after a vowel, and a vowel after a consonant."""
    flags: list[bool] = []
    prev = False
    for i, ch in enumerate(w):
        if ch in _VOWELS:
            prev = False
        elif ch == "y":
            prev = True if i == 0 else not prev
        else:
            prev = True
        flags.append(prev)
    return flags


def _measure(w: str) -> int:
    """Porter's *m*: the number of vowel-run/consonant-run pairs ``VC``."""
    m = 0
    prev = False  # previous position is a consonant
    for i, ch in enumerate(w):
        if ch in _VOWELS:
            cons = False
        elif ch == "y":
            cons = True if i == 0 else not prev
        else:
            cons = True
        if cons and i and not prev:
            m += 1
        prev = cons
    return m


def _has_vowel(w: str) -> bool:
    return not all(_consonants(w))


def _last_is_consonant(w: str) -> bool:
    return _consonants(w)[-1]


def _double_consonant(w: str) -> bool:
    """``*d``: the word ends with two equal consonants."""
    return len(w) >= 2 and w[-1] == w[-2] and _consonants(w)[-1]


def _cvc(w: str) -> bool:
    """``*o``: ends consonant-vowel-consonant, the last not w, x or y (or is a
    two-letter vowel-consonant word)."""
    n = len(w)
    if n >= 3:
        f = _consonants(w)
        if f[-3] and not f[-2] and f[-1] and w[-1] not in "wxy":
            return True
    if n == 2:
        f = _consonants(w)
        return not f[0] and f[1]
    return False


def _by_ending(rules):
    """Group rules by the last two letters of their suffix, keeping their order:
    only rules sharing a word's last two letters can match it."""
    table: dict[str, list] = {}
    for rule in rules:
        table.setdefault(rule[0][-2:], []).append(rule)
    return {k: tuple(v) for k, v in table.items()}


def _rules(w: str, table: dict[str, tuple[tuple[str, str, int], ...]]) -> str:
    """Apply the first rule whose suffix ``w`` ends with, if the remaining stem
    has measure greater than the rule's minimum; once a suffix matches, no
    later rule is tried."""
    for suffix, replacement, min_measure in table.get(w[-2:], ()):
        if w.endswith(suffix):
            stem = w[: len(w) - len(suffix)]
            if _measure(stem) > min_measure:
                return stem + replacement
            return w
    return w


def _step1a(w: str) -> str:
    if w.endswith("ies") and len(w) == 4:
        return w[:-1]  # ties -> tie
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("ies"):
        return w[:-2]
    if w.endswith("ss"):
        return w
    if w.endswith("s"):
        return w[:-1]
    return w


def _step1b(w: str) -> str:
    if w.endswith("ied"):
        return w[:-3] + ("ie" if len(w) == 4 else "i")
    if w.endswith("eed"):
        stem = w[:-3]
        return stem + "ee" if _measure(stem) > 0 else w
    if w.endswith("ed") and _has_vowel(w[:-2]):
        base = w[:-2]
    elif w.endswith("ing") and _has_vowel(w[:-3]):
        base = w[:-3]
    else:
        return w
    if base.endswith(("at", "bl", "iz")):
        return base + "e"
    if _double_consonant(base):
        return base if base[-1] in "lsz" else base[:-1]
    if _measure(base) == 1 and _cvc(base):
        return base + "e"
    return base


def _step1c(w: str) -> str:
    if w.endswith("y"):
        stem = w[:-1]
        if len(stem) > 1 and _last_is_consonant(stem):
            return stem + "i"
    return w


_STEP2 = (
    ("ational", "ate", 0),
    ("tional", "tion", 0),
    ("enci", "ence", 0),
    ("anci", "ance", 0),
    ("izer", "ize", 0),
    ("bli", "ble", 0),
    ("alli", "al", 0),
    ("entli", "ent", 0),
    ("eli", "e", 0),
    ("ousli", "ous", 0),
    ("ization", "ize", 0),
    ("ation", "ate", 0),
    ("ator", "ate", 0),
    ("alism", "al", 0),
    ("iveness", "ive", 0),
    ("fulness", "ful", 0),
    ("ousness", "ous", 0),
    ("aliti", "al", 0),
    ("iviti", "ive", 0),
    ("biliti", "ble", 0),
    ("fulli", "ful", 0),
)
_STEP2_BY_ENDING = _by_ending(_STEP2)


def _step2(w: str) -> str:
    # -alli is handled first, and the result goes through step 2 again
    if w.endswith("alli") and _measure(w[:-4]) > 0:
        return _step2(w[:-2])
    for suffix, replacement, _ in _STEP2_BY_ENDING.get(w[-2:], ()):
        if w.endswith(suffix):
            stem = w[: len(w) - len(suffix)]
            return stem + replacement if _measure(stem) > 0 else w
    # -logi -> -log, the measure taken with the 'l' kept on the stem
    if w.endswith("logi"):
        return w[:-1] if _measure(w[:-3]) > 0 else w
    return w


_STEP3 = (
    ("icate", "ic", 0),
    ("ative", "", 0),
    ("alize", "al", 0),
    ("iciti", "ic", 0),
    ("ical", "ic", 0),
    ("ful", "", 0),
    ("ness", "", 0),
)
_STEP3_BY_ENDING = _by_ending(_STEP3)

_STEP4 = (
    "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent",
    "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize",
)  # fmt: skip
_STEP4_BY_ENDING = _by_ending([(suffix, "", 1) for suffix in _STEP4])


def _step4(w: str) -> str:
    for suffix, _, _ in _STEP4_BY_ENDING.get(w[-2:], ()):
        if w.endswith(suffix):
            stem = w[: len(w) - len(suffix)]
            if _measure(stem) > 1 and (suffix != "ion" or stem[-1] in "st"):
                return stem
            return w
    return w


def _step5(w: str) -> str:
    if w.endswith("e"):
        stem = w[:-1]
        m = _measure(stem)
        if m > 1 or (m == 1 and not _cvc(stem)):
            w = stem
    if w.endswith("ll") and _measure(w[:-1]) > 1:
        w = w[:-1]
    return w


#: every step starts by asking whether the word ends with one of its suffixes;
#: a word whose last letter and last two letters start none of them is left
#: as it is, so the steps are skipped for it (a third of a corpus's words)
_ACTIVE_LAST = frozenset("sdgye")  # -s (1a), -ed/-eed/-ied (1b), -ing (1b), -y (1c), -e (5)
_ACTIVE_ENDINGS = frozenset(_STEP2_BY_ENDING) | frozenset(_STEP3_BY_ENDING) | frozenset(_STEP4_BY_ENDING) | {
    "li",  # -alli (2)
    "gi",  # -logi (2)
    "ll",  # -ll (5)
}


def stem_uncached(word: str) -> str:
    """The stem of ``word`` (lower-cased first), as NLTK's default PorterStemmer."""
    w = word.lower()
    irregular = _IRREGULAR.get(w)
    if irregular is not None:
        return irregular
    if len(word) <= 2 or (w[-1] not in _ACTIVE_LAST and w[-2:] not in _ACTIVE_ENDINGS):
        return w
    w = _step1a(w)
    w = _step1b(w)
    w = _step1c(w)
    w = _step2(w)
    w = _rules(w, _STEP3_BY_ENDING)
    w = _step4(w)
    return _step5(w)


_CACHE: dict[str, str] = {}
_CACHE_LIMIT = 1_000_000


def stem(word: str) -> str:
    """:func:`stem_uncached`, memoised (up to a million distinct words)."""
    try:
        return _CACHE[word]
    except KeyError:
        pass
    result = stem_uncached(word)
    if len(_CACHE) < _CACHE_LIMIT:
        _CACHE[word] = result
    return result
