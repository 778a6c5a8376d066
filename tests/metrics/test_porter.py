import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
