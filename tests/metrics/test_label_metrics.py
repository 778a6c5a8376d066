"""Label macro F1 (scikit-learn semantics) and BIO tag F1."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics import reference
from medinst_core.metrics.labels import bio_label_f1, label_f1, macro_f1

sklearn_metrics = pytest.importorskip("sklearn.metrics")


def sk(gold, pred):
    return float(sklearn_metrics.f1_score(gold, pred, labels=sorted(set(gold)), average="macro"))


def test_macro_f1_only_over_gold_labels():
    gold = ["yes", "yes", "no", "no"]
    pred = ["yes", "maybe", "no", "yes"]
    # yes: tp1, gold2, pred2 -> 0.5; no: tp1, gold2, pred1 -> 2/3; "maybe" is not a gold label
    assert macro_f1(gold, pred) == pytest.approx((0.5 + 2 / 3) / 2)
    assert macro_f1(gold, pred) == sk(gold, pred)


def test_label_never_predicted_scores_zero_not_an_error():
    assert macro_f1(["a", "b"], ["a", "a"]) == sk(["a", "b"], ["a", "a"])


def test_label_f1_normalises_answers():
    assert label_f1(["Supports", "Refutes"], ["supports.", "The refutes"]).score == 1.0
    assert label_f1(["yes"], ["Yes"]).per_sample is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("abcdefghijk"), st.sampled_from("abcdefghijklmn")), min_size=1, max_size=200))
def test_macro_f1_bit_identical_to_sklearn(pairs):
    gold, pred = [g for g, _ in pairs], [p for _, p in pairs]
    assert macro_f1(gold, pred) == sk(gold, pred)


@settings(max_examples=30, deadline=None)
@given(st.integers(9, 40), st.randoms(use_true_random=False))
def test_macro_f1_many_labels_bit_identical(n_labels, rnd):
    # more than eight labels exercises numpy's pairwise summation
    labels = [f"l{i}" for i in range(n_labels)]
    gold = [rnd.choice(labels) for _ in range(300)]
    pred = [rnd.choice(labels + ["other"]) if rnd.random() < 0.6 else g for g in gold]
    assert macro_f1(gold, pred) == sk(gold, pred)


def test_bio_padding_and_truncation():
    gold = ["Aspirin [B] induced [O] asthma [B] attack [I]", "No [O] tags [O]"]
    # first prediction: one tag short -> padded with the filler, which never matches
    # second prediction: too many tags -> cut to the gold length
    pred = ["Aspirin [B] induced [O] asthma [B]", "No [O] tags [B] extra [I] more [I]"]
    gold_tags = ["[B]", "[O]", "[B]", "[I]", "[O]", "[O]"]
    pred_tags = ["[B]", "[O]", "[B]", "N", "[O]", "[B]"]
    assert bio_label_f1(gold, pred).score == sk(gold_tags, pred_tags)
    assert bio_label_f1(gold, pred).score == reference.score("bio_label_f1", gold, pred)


def test_bio_no_gold_tags_is_nan():
    assert math.isnan(bio_label_f1(["no tags"], ["[B]"]).score)


@st.composite
def bio_pair(draw):
    words = draw(st.integers(0, 12))
    tags = st.sampled_from(["[B]", "[I]", "[O]"])
    gold = " ".join(f"w{i} {draw(tags)}" for i in range(words))
    n = draw(st.integers(0, 14))
    pred = " ".join(f"w{i} {draw(st.sampled_from(['[B]', '[I]', '[O]', '[X]', 'B', '[b]']))}" for i in range(n))
    return gold, pred


@settings(max_examples=80, deadline=None)
@given(st.lists(bio_pair(), min_size=1, max_size=8))
def test_bio_label_f1_equals_reference(pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    ours = bio_label_f1(golds, preds).score
    ref = reference.score("bio_label_f1", golds, preds)
    assert ours == ref or (math.isnan(ours) and math.isnan(ref))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["yes", "no", "Yes.", "maybe", "NO", "the yes", ""]),
                          st.sampled_from(["yes", "no", "Yes", "maybe!", "No.", "perhaps", ""])), min_size=1, max_size=40))  # fmt: skip
def test_label_f1_equals_reference(pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    assert label_f1(golds, preds).score == reference.score("label_f1", golds, preds)
