import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics.rouge import lcs_length, rouge_l, rouge_l_fmeasure, tokenize

from .strategies import text_pairs

rouge_scorer = pytest.importorskip("rouge_score.rouge_scorer")
SCORER = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)


def google(gold: str, pred: str) -> float:
    return SCORER.score(gold, pred)["rougeL"].fmeasure


def lcs_table(a, b) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from("abcde"), max_size=40), st.lists(st.sampled_from("abcdef"), max_size=40))
def test_bit_parallel_lcs_equals_dynamic_programming(a, b):
    assert lcs_length(a, b) == lcs_table(a, b)
    assert lcs_length(b, a) == lcs_table(a, b)


def test_tokenize_as_rouge_score():
    tok = SCORER._tokenizer
    for text in ["The cells were binding, IL-2!", "İstanbul Kelvin K", "naïve über", "", "  ", "a-b_c"]:
        assert tokenize(text) == tok.tokenize(text)


def test_known_values():
    assert rouge_l_fmeasure("the cat sat on the mat", "the cat sat on the mat") == 1.0
    assert rouge_l_fmeasure("", "") == 0.0
    assert rouge_l_fmeasure("cats", "cat") == 1.0  # stemming
    assert rouge_l_fmeasure("a b c d", "a c") == pytest.approx(2 * 0.5 * 1.0 / 1.5)


@settings(max_examples=200, deadline=None)
@given(text_pairs())
def test_equals_rouge_score_on_generated_text(pair):
    gold, pred = pair
    assert rouge_l_fmeasure(gold, pred) == google(gold, pred)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_equals_rouge_score_on_arbitrary_unicode(gold, pred):
    assert rouge_l_fmeasure(gold, pred) == google(gold, pred)


@settings(max_examples=30, deadline=None)
@given(st.lists(text_pairs(), min_size=1, max_size=12))
def test_task_score_is_the_mean_of_rouge_score(pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    result = rouge_l(golds, preds)
    expected = [google(g, p) for g, p in pairs]
    assert list(result.per_sample) == expected
    total = 0.0
    for v in expected:
        total += v
    assert result.score == total / len(expected)


def test_long_texts():
    gold = " ".join(f"word{i % 50} relational cells" for i in range(300))
    pred = " ".join(f"word{(i * 7) % 60} relation cell" for i in range(280))
    assert rouge_l_fmeasure(gold, pred) == google(gold, pred)


def test_lengths_must_match():
    with pytest.raises(ValueError):
        rouge_l(["a"], [])
