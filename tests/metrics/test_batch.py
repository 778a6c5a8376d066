"""The one-pass scoring of a task's distinct answers (metrics.batch) and the
one-pass parsing it relies on give exactly what the metric functions give one
by one, sample by sample, and what the reference implementation gives."""

from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medinst_core.metrics.batch as batch
import medinst_core.metrics.rouge as rouge_module
from medinst_core.metrics import reference
from medinst_core.metrics._util import common_count
from medinst_core.metrics.batch import BATCHED, score_many
from medinst_core.metrics.parsing import answer_words, bracket_items, flat_bracket_items, normalize_answer, outer_brackets
from medinst_core.metrics.rouge import rouge_l
from medinst_core.metrics.sets import entity_f1, entity_f1_corrected, multilabel_f1
from medinst_core.metrics.text import exact_match, word_f1

from .strategies import entity_answers, text_pairs, texts

ONE_BY_ONE = {
    "rouge_l": rouge_l,
    "word_f1": word_f1,
    "exact_match": exact_match,
    "entity_f1": entity_f1,
    "entity_f1_corrected": entity_f1_corrected,
    "multilabel_f1": multilabel_f1,
}
NAMES = list(ONE_BY_ONE)
#: answers that repeat, so that many samples share a distinct pair
answers = st.one_of(st.sampled_from(["yes", "No.", "", "the", "[a] [b]", "[A]", "Evading growth, x", "1"]),
                    texts(8), entity_answers())  # fmt: skip


def test_batched_names_are_the_registered_functions():
    from medinst_core.default_plugins.metrics import METRICS

    assert set(BATCHED) == set(ONE_BY_ONE)
    for name, ref in BATCHED.items():
        assert METRICS[name][0] == ref


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(answers, answers), min_size=1, max_size=30), st.lists(st.sampled_from(NAMES), min_size=1, max_size=4))
def test_score_many_equals_the_metrics_one_by_one(pairs, names):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    got = score_many(golds, preds, names)
    assert list(got) == list(dict.fromkeys(names))
    for name in names:
        expected = ONE_BY_ONE[name](golds, preds)
        assert got[name].per_sample == tuple(expected.per_sample)
        assert got[name].score == expected.score


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(answers, answers), min_size=1, max_size=30))
def test_score_many_equals_the_reference_per_sample(pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    got = score_many(golds, preds, ["word_f1", "exact_match", "entity_f1", "multilabel_f1"])
    for name, result in got.items():
        assert list(result.per_sample) == [reference.per_sample(name, g, p) for g, p in pairs]
        assert result.score == reference.score(name, golds, preds)


@settings(max_examples=30, deadline=None)
@given(st.lists(text_pairs(), min_size=1, max_size=10), st.integers(1, 4))
def test_blocks_and_huge_pairs_change_nothing(pairs, block):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    expected = {n: ONE_BY_ONE[n](golds, preds) for n in ("rouge_l", "word_f1")}
    saved = batch.BLOCK, rouge_module._HUGE
    try:
        batch.BLOCK = block  # the distinct pairs in several blocks
        rouge_module._HUGE = 40  # longer pairs take rouge_l's huge-pair path
        got = score_many(golds, preds, ["rouge_l", "word_f1"])
    finally:
        batch.BLOCK, rouge_module._HUGE = saved
    for name, result in expected.items():
        assert got[name].per_sample == tuple(result.per_sample)


def test_repeated_pairs_are_scored_once_and_spread_back():
    got = score_many(["yes", "no", "yes", "no"], ["Yes.", "yes", "Yes.", "no"], ["exact_match", "rouge_l"])
    assert got["exact_match"].per_sample == (1.0, 0.0, 1.0, 1.0)
    assert got["exact_match"].score == 0.75
    assert got["rouge_l"].per_sample == (1.0, 0.0, 1.0, 1.0)


def test_score_many_checks_its_arguments():
    with pytest.raises(ValueError, match="not a batched metric: label_f1"):
        score_many(["a"], ["a"], ["label_f1"])
    with pytest.raises(ValueError, match="1 gold answers but 2 predictions"):
        score_many(["a"], ["a", "b"], ["word_f1"])
    assert score_many([], [], ["word_f1"])["word_f1"].per_sample == ()


@settings(max_examples=300, deadline=None)
@given(st.one_of(entity_answers(), texts(), st.text(alphabet="[]aA b\x1c\t\x01.,-", max_size=30), st.text(max_size=20)))
def test_flat_bracket_items_equal_the_groups_normalised_one_by_one(s):
    expected = [normalize_answer(c) for c in outer_brackets(s)]
    flat = flat_bracket_items(s)
    assert flat is None or flat == expected
    assert bracket_items(s) == expected


def test_flat_bracket_items_cases():
    assert flat_bracket_items("[The, BRCA1 <Gene>]  [x-y] [] [ the ] [ a b  ]") == ["brca1 gene", "xy", "", "", "b"]
    assert flat_bracket_items("a[b]c[the d]e") == ["b", "d"]
    assert flat_bracket_items("no brackets") == []
    # off the one-pass path: nesting, a stray bracket, a separator str.split knows and bytes.split does not, non-ASCII
    for text in ("[a [b] c]", "[a] ]", "[a\x1cb]", "[é]"):
        assert flat_bracket_items(text) is None
    assert bracket_items("[x\x1cy]") == ["x y"]


@settings(max_examples=200, deadline=None)
@given(st.one_of(texts(), st.text(max_size=30), st.text(alphabet="aA \x1c\x05\u212a.,-the", max_size=20)))
def test_answer_words_equal_the_squad_normalisation(s):
    assert " ".join(answer_words(s)) == reference._normalize(s)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcdefg"), max_size=40), st.lists(st.sampled_from("abcdefgh"), max_size=40))
def test_common_count_is_the_multiset_intersection(a, b):
    assert common_count(a, b) == sum((Counter(a) & Counter(b)).values())
