"""Entity, multi-label, word F1 and exact match: hand-checked values, the
MedINST quirks, and agreement with the plain reference implementation."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics import reference
from medinst_core.metrics.sets import entity_f1, entity_f1_corrected, entity_items, multilabel_f1
from medinst_core.metrics.text import exact_match, word_f1

from .strategies import entity_answers, text_pairs


def test_entity_f1_hand_checked():
    gold = "[BRCA1 <Gene>] [breast cancer <Disease>] [BRCA1 <Gene>]"
    pred = "Answer: [brca1 <gene>] [The breast cancer <Disease>.] [p53 <Gene>]"
    # gold items: brca1 gene x2, breast cancer disease; predicted: brca1 gene, breast cancer disease, p53 gene
    r = entity_f1([gold], [pred])
    p, rec = 2 / 3, 2 / 3
    assert r.score == pytest.approx(2 * p * rec / (p + rec))
    assert entity_items(gold) == ["brca1 gene", "breast cancer disease", "brca1 gene"]


def test_entity_f1_quirk_empty_vs_empty_scores_zero_and_corrected_variant_scores_one():
    assert entity_f1([""], [""]).score == 0.0
    assert entity_f1(["no entities"], ["none here"]).score == 0.0
    assert entity_f1_corrected([""], [""]).score == 1.0
    assert entity_f1_corrected(["[a]"], [""]).score == 0.0
    assert entity_f1_corrected(["[a]", ""], ["[a]", "[b]"]).per_sample == (1.0, 0.0)


def test_multiset_counts_repeats():
    assert entity_f1(["[a] [a]"], ["[a]"]).score == pytest.approx(2 / 3)
    assert entity_f1(["[a]"], ["[a] [a] [a]"]).score == pytest.approx(0.5)


def test_multilabel_f1_splits_on_comma_space():
    gold = "Sustaining proliferative signaling, Evading growth suppressors"
    # order does not matter; each label is lower-cased and stripped
    assert multilabel_f1([gold], ["evading growth suppressors , sustaining proliferative signaling"]).score == 1.0
    assert multilabel_f1([gold], ["Evading growth suppressors"]).score == pytest.approx(2 / 3)
    # "a,b" is one label; the empty answer is one empty label, so empty vs empty scores 1
    assert multilabel_f1(["a, b"], ["a,b"]).score == 0.0
    assert multilabel_f1([""], [""]).score == 1.0


def test_word_f1_and_exact_match():
    assert word_f1(["The answer is yes"], ["yes"]).score == pytest.approx(2 * 1 * (1 / 3) / (1 + 1 / 3))
    assert word_f1([""], [""]).score == 0.0  # MedINST: no shared word, 0
    assert exact_match(["Yes."], ["yes"]).score == 1.0
    assert exact_match(["A. Aspirin"], ["a aspirin"]).per_sample == (1.0,)
    assert exact_match(["B"], ["b) aspirin"]).score == 0.0
    assert exact_match(["", "x"], ["the", "y"]).per_sample == (1.0, 0.0)


def _check(metric, name, pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    got = metric(golds, preds)
    assert list(got.per_sample) == [reference.per_sample(name, g, p) for g, p in pairs]
    assert got.score == reference.score(name, golds, preds)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(entity_answers(), entity_answers()), min_size=1, max_size=10))
def test_entity_f1_equals_reference(pairs):
    _check(entity_f1, "entity_f1", pairs)


@settings(max_examples=60, deadline=None)
@given(st.lists(text_pairs(8), min_size=1, max_size=10))
def test_text_metrics_equal_reference(pairs):
    _check(word_f1, "word_f1", pairs)
    _check(exact_match, "exact_match", pairs)
    _check(multilabel_f1, "multilabel_f1", pairs)
    _check(entity_f1, "entity_f1", pairs)


def test_unequal_lengths_are_an_error():
    for metric in (entity_f1, multilabel_f1, word_f1, exact_match):
        with pytest.raises(ValueError):
            metric(["a", "b"], ["a"])
