"""Document ids seen in a split: kept exactly up to IdDigests.EXACT, as 8-byte
digests beyond, duplicates detected (and named) either way."""

from __future__ import annotations

import pytest

from medinst_core.errors import SourceError
from medinst_core.readers.checks import IdDigests, UniqueIds


@pytest.fixture
def small_exact(monkeypatch):
    monkeypatch.setattr(IdDigests, "EXACT", 1000)


def test_digests_keep_every_id_and_find_every_duplicate(small_exact):
    ids = IdDigests()
    for i in range(20_000):  # past the exact part and several doublings
        assert ids.add(f"PMID{i}")
    assert len(ids) == 20_000
    for i in range(0, 20_000, 37):
        assert f"PMID{i}" in ids
        assert not ids.add(f"PMID{i}")
    assert "PMID20000" not in ids and "" not in ids
    assert len(ids) == 20_000


@pytest.mark.parametrize("position", [10, 999, 5000])
def test_a_duplicate_is_an_error_naming_the_id(small_exact, position):
    unique = UniqueIds({})
    for i in range(6000):
        assert unique.take(f"doc-{i}", "f.txt", i + 1) == f"doc-{i}"
    with pytest.raises(SourceError, match=f"document id 'doc-{position}' occurs twice"):
        unique.take(f"doc-{position}", "f.txt", 7000)


def test_skip_and_suffix(small_exact):
    skip = UniqueIds({"duplicate_ids": "skip"})
    assert [skip.take(x, "f", 1) for x in ["a", "b", "a"]] == ["a", "b", None]
    suffix = UniqueIds({"duplicate_ids": "suffix"})
    assert [suffix.take(x, "f", 1) for x in ["a", "a", "a_2", "a"]] == ["a", "a_2", "a_2_2", "a_3"]


def test_one_table_doubles_at_a_time(small_exact):
    # the digests are spread over IdDigests.PARTS tables that double one by one,
    # so the peak stays near the tables' final size (a single table held its
    # old and new copies at once: a third of the peak at a million ids)
    import tracemalloc

    ids = IdDigests()
    tracemalloc.start()
    try:
        for i in range(100_000):
            ids.add(f"doc{i}")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    tables = sum(len(t) * 8 for t in ids._tables)
    assert len(ids._tables) == IdDigests.PARTS and 100_000 * 8 * 4 // 3 <= tables and peak < 1.25 * tables, (peak, tables)
