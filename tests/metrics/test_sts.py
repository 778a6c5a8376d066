import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics import reference
from medinst_core.metrics.sts import mse, mse_corrected, sts_pair


@pytest.mark.parametrize(
    "gold, pred, pair",
    [
        ("4", "4", (4, 4)),
        ("4", "The score is 3", (4, 3)),
        ("4", "3, yes 3", (4, 3)),  # one distinct integer
        ("4", "4.0", (0, 5)),  # two integers: 4 and 0
        ("4", "3 out of 5", (0, 5)),
        ("4", "no idea", (0, 5)),
        ("4", "7", (0, 5)),  # outside 0-5
        ("4", "05", (4, 5)),  # leading zero: the integer 5
        ("x", "3", (0, 5)),  # the gold is checked too
        ("2", "\u0663", (2, 3)),  # Arabic-Indic three is a digit for the pattern and int()
        ("1", "9" * 5000, (0, 5)),  # a huge number is handled without int()
    ],
)
def test_sts_pair(gold, pred, pair):
    assert sts_pair(gold, pred) == pair


def test_mse_value_and_penalty():
    r = mse(["4", "0", "5"], ["3", "n/a", "5"])
    assert r.per_sample == (1.0, 25.0, 0.0)
    assert r.score == pytest.approx(26 / 3)


def test_mse_corrected():
    r = mse_corrected(["4", "4", "1", "2", "x"], ["4.0", "3.5", "nothing", "9", "3"])
    assert r.per_sample == (0.0, 0.25, 16.0, 9.0, 25.0)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["0", "1", "2", "3", "4", "5", "6", "x", "4.0"]),
                          st.one_of(st.sampled_from(["0", "3", "5", "4.0", "10", "2 2", "", "score: 1"]),
                                    st.text(alphabet="0123456 .a\u0663", max_size=6))), min_size=1, max_size=20))  # fmt: skip
def test_mse_equals_reference(pairs):
    golds, preds = [g for g, _ in pairs], [p for _, p in pairs]
    r = mse(golds, preds)
    assert r.score == reference.score("mse", golds, preds)
    assert list(r.per_sample) == [reference.per_sample("mse", g, p) for g, p in pairs]
