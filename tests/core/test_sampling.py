from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.sampling import allocate, bottom_k, rank


def test_rank_depends_on_seed_and_key_only():
    assert rank(1, "a") == rank(1, "a")
    assert rank(1, "a") != rank(2, "a")
    assert rank(1, "a") != rank(1, "b")


@given(st.lists(st.text(min_size=1), unique=True, max_size=60), st.integers(0, 70), st.integers())
@settings(max_examples=60, deadline=None)
def test_bottom_k_equals_sorting_everything(ids, k, seed):
    expected = sorted(ids, key=lambda i: rank(seed, i))[:k]
    assert bottom_k(ids, k, key=str, seed=seed) == expected
    kept = bottom_k(ids, k, key=str, seed=seed, keep_order=True)
    assert kept == [i for i in ids if i in set(expected)]


def test_bottom_k_is_roughly_uniform():
    hits = [0] * 10
    for seed in range(2000):
        for item in bottom_k(range(10), 3, key=str, seed=seed):
            hits[item] += 1
    assert all(500 < h < 700 for h in hits), hits  # 600 expected each


@given(
    st.dictionaries(st.text("abcdef", min_size=1, max_size=3), st.integers(0, 500), max_size=8),
    st.integers(0, 2000),
    st.sampled_from(["proportional", "uniform", "temperature:2", "temperature:0.5"]),
    st.none() | st.integers(1, 300),
)
@settings(max_examples=100, deadline=None)
def test_allocation_is_exact_and_bounded(sizes, total, strategy, cap):
    quota = allocate(sizes, total, strategy=strategy, cap=cap)
    limits = {g: min(n, cap) if cap else n for g, n in sizes.items() if n > 0}
    assert sum(quota.values()) == min(total, sum(limits.values()))
    assert all(0 <= quota[g] <= limits[g] for g in quota)


def test_proportional_and_uniform_shares():
    assert allocate({"a": 300, "b": 100}, 40) == {"a": 30, "b": 10}
    assert allocate({"a": 300, "b": 100}, 40, strategy="uniform") == {"a": 20, "b": 20}
    # a small group that cannot fill its share hands the rest to the others
    assert allocate({"a": 300, "b": 5}, 40, strategy="uniform") == {"a": 35, "b": 5}
    t = allocate({"a": 900, "b": 100}, 100, strategy="temperature:2")
    assert t == {"a": 75, "b": 25}  # sqrt(900):sqrt(100) = 3:1
    with pytest.raises(ValueError):
        allocate({"a": 1}, 1, strategy="temperature:0")
