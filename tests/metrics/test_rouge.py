import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import medinst_core.metrics.rouge as rouge_module
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


# -- the compiled LCS (rapidfuzz) and the pure-Python one give the same scores ----------------

LCS_PATHS = [pytest.param(None, id="pure-python")]
if rouge_module.COMPILED_LCS is not None:
    LCS_PATHS.append(pytest.param(rouge_module.COMPILED_LCS, id="rapidfuzz"))


def with_lcs(lcs, **more):
    """Patch the LCS implementation (and any other module attribute) for one example."""
    mp = pytest.MonkeyPatch()
    mp.setattr(rouge_module, "_lcs", lcs or lcs_length)
    for name, value in more.items():
        mp.setattr(rouge_module, name, value)
    return mp


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 6), max_size=80), st.lists(st.integers(-1, 7), max_size=80))
def test_compiled_lcs_equals_the_table(a, b):
    if rouge_module.COMPILED_LCS is None:
        pytest.skip("rapidfuzz is not installed")
    assert rouge_module.COMPILED_LCS(a, b) == lcs_table(a, b) == lcs_length(a, b)


@pytest.mark.parametrize("lcs", LCS_PATHS)
@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(text_pairs(), min_size=1, max_size=12))
def test_each_lcs_path_equals_rouge_score(lcs, pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    expected = [google(g, p) for g, p in pairs]
    mp = with_lcs(lcs)
    try:
        assert list(rouge_l(golds, preds).per_sample) == expected
        assert [rouge_l_fmeasure(g, p) for g, p in pairs] == expected
    finally:
        mp.undo()


@pytest.mark.parametrize("lcs", LCS_PATHS)
@settings(max_examples=60, deadline=None)
@given(pairs=st.lists(text_pairs(), min_size=1, max_size=8))
def test_huge_pairs_number_only_the_shorter_text(lcs, pairs):
    # every pair takes the path of a huge prediction: the longer text's unknown words get -1
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    expected = [google(g, p) for g, p in pairs]
    mp = with_lcs(lcs, _HUGE=0)
    try:
        assert list(rouge_l(golds, preds).per_sample) == expected
    finally:
        mp.undo()


def test_number_tables_are_emptied_between_calls_past_their_limit(monkeypatch):
    monkeypatch.setattr(rouge_module, "_NUMBERS_LIMIT", 3)
    rouge_l(["cells binding proteins kinase"], ["cell binds"])
    assert len(rouge_module._NUMBERS) > 3
    score = rouge_l(["protein"], ["proteins"]).score  # starts from empty tables
    assert score == 1.0 and len(rouge_module._NUMBERS) == 2


def test_pure_python_can_be_forced():
    import subprocess
    import sys

    code = "import medinst_core.metrics.rouge as r; print(r.COMPILED_LCS is None, r._lcs is r.lcs_length)"
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "MEDINST_PURE_PYTHON": "1"},
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    assert out.split() == ["True", "True"]
