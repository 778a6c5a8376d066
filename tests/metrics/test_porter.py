import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics import porter
from medinst_core.metrics.porter import stem, stem_uncached

nltk_porter = pytest.importorskip("nltk.stem.porter")
NLTK = nltk_porter.PorterStemmer()


@pytest.mark.parametrize(
    "word, expected",
    [
        # examples of Porter's paper
        ("caresses", "caress"), ("ponies", "poni"), ("cats", "cat"), ("agreed", "agre"), ("plastered", "plaster"),
        ("motoring", "motor"), ("sing", "sing"), ("conflated", "conflat"), ("hopping", "hop"), ("falling", "fall"),
        ("filing", "file"), ("happy", "happi"), ("relational", "relat"), ("triplicate", "triplic"),
        ("adoption", "adopt"), ("controlling", "control"), ("generalizations", "gener"),
        # NLTK's departures
        ("ties", "tie"), ("dies", "die"), ("flies", "fli"), ("died", "die"), ("spied", "spi"), ("sky", "sky"),
        ("skies", "sky"), ("dying", "die"), ("news", "news"), ("enjoy", "enjoy"), ("archaeology", "archaeolog"),
        ("innings", "inning"), ("at", "at"),
    ],
)  # fmt: skip
def test_known_stems(word, expected):
    assert stem_uncached(word) == expected
    assert NLTK.stem(word) == expected  # the table itself is right


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouybcdglmnrstlz0123456789", min_size=1, max_size=14))
def test_matches_nltk_on_generated_words(word):
    assert stem_uncached(word) == NLTK.stem(word)


SUFFIXES = ["ational", "tional", "enci", "anci", "izer", "bli", "alli", "entli", "eli", "ousli", "ization", "ation",
            "ator", "alism", "iveness", "fulness", "ousness", "aliti", "iviti", "biliti", "fulli", "logi", "icate",
            "ative", "alize", "iciti", "ical", "ful", "ness", "al", "ance", "ence", "er", "ic", "able", "ible", "ant",
            "ement", "ment", "ent", "sion", "tion", "ion", "ou", "ism", "ate", "iti", "ous", "ive", "ize", "e", "ll",
            "sses", "ies", "ss", "s", "ied", "eed", "ed", "ing", "y", "ying", "ies"]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouybcdlmnrstwxz", min_size=0, max_size=6), st.lists(st.sampled_from(SUFFIXES), min_size=1, max_size=3))
def test_matches_nltk_on_suffix_stacks(stem_part, suffixes):
    word = stem_part + "".join(suffixes)
    assert stem_uncached(word) == NLTK.stem(word)


def test_memoised_stem_equals_uncached():
    for w in ["relational", "relational", "cells", "a"]:
        assert stem(w) == stem_uncached(w)


def test_matches_nltk_on_real_biomedical_vocabulary(shared_data):
    words: set[str] = set()
    for path in sorted(shared_data.rglob("*")):
        suffixes = {".txt", ".tsv", ".xml", ".json", ".a1", ".a2", ".csv", ".iob2", ".pubtator", ".conll", ""}
        if path.is_file() and path.suffix.lower() in suffixes:
            with open(path, "rb") as f:
                words.update(re.findall(r"[a-z0-9]+", f.read(400_000).decode("utf-8", "ignore").lower()))
        if len(words) > 40_000:
            break
    assert len(words) > 5_000
    wrong = [(w, NLTK.stem(w), stem_uncached(w)) for w in sorted(words) if len(w) > 3 and NLTK.stem(w) != stem_uncached(w)]
    assert wrong == []


def _all_steps(w):
    p = porter
    return p._step5(p._step4(p._rules(p._step2(p._step1c(p._step1b(p._step1a(w)))), p._STEP3_BY_ENDING)))


def _skipped(w):
    return len(w) > 2 and w[-1] not in porter._ACTIVE_LAST and w[-2:] not in porter._ACTIVE_ENDINGS


def test_words_skipping_the_steps_are_left_alone_by_every_step():
    # every two-letter ending, after stems of each shape the steps look at
    letters = "abcdefghijklmnopqrstuvwxyz0"
    skipped = 0
    for prefix in ("", "b", "a", "ra", "tr", "strength", "aeio", "bcdf", "ration", "ous", "logi", "al"):
        for x in letters:
            for y in letters:
                w = prefix + x + y
                if _skipped(w) and w not in porter._IRREGULAR:
                    skipped += 1
                    assert _all_steps(w) == w == stem_uncached(w) == NLTK.stem(w), w
    assert skipped > 3000  # the fast path is really taken


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12))
def test_fast_path_equals_the_steps_and_nltk(word):
    full = porter._IRREGULAR.get(word) or (word if len(word) <= 2 else _all_steps(word))
    assert stem_uncached(word) == full == NLTK.stem(word)
