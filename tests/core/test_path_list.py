"""PathList: a split's files as one string, read back as the same paths."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medinst_core.sources import FileIndex, PathList, SourceFiles

names = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=8)
relative = st.lists(st.lists(names, min_size=1, max_size=3).map("/".join), max_size=20)


@given(relative)
def test_a_path_list_reads_back_the_paths_it_was_made_of(rels):
    root = Path("/data/root")
    paths = PathList(root, rels)
    expected = tuple(root.joinpath(*r.split("/")) for r in rels)
    assert len(paths) == len(expected) and tuple(paths) == expected and paths == expected and paths == list(expected)
    assert [paths[i] for i in range(-len(rels), len(rels))] == list(expected) * 2
    assert paths[1:] == expected[1:] and paths[::-1] == expected[::-1]
    assert paths + (Path("x"),) == (*expected, Path("x")) and (Path("x"),) + paths == (Path("x"), *expected)
    assert pickle.loads(pickle.dumps(paths)) == paths
    assert list(pickle.loads(pickle.dumps(paths))) == list(expected)
    assert bool(paths) == bool(rels)
    if expected:
        assert expected[-1] in paths and paths.index(expected[0]) == 0


def test_out_of_range_and_unhashable():
    paths = PathList(Path("r"), ["a"])
    with pytest.raises(IndexError):
        paths[1]
    with pytest.raises(IndexError):
        paths[-2]
    with pytest.raises(TypeError):
        hash(paths)
    assert paths != PathList(Path("s"), ["a"]) and paths != "r/a"


def test_the_index_gives_path_lists_and_source_files_take_any_sequence(tmp_path):
    for rel in ("a/x.txt", "a/y.txt", "b/x.txt"):
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_text("x")
    found = FileIndex(tmp_path).find(["x.txt"])
    assert isinstance(found, PathList) and found == (tmp_path / "a/x.txt", tmp_path / "b/x.txt")
    files = FileIndex(tmp_path).resolve({"data": ["*.txt"]}, what="t")
    assert files.all() == tuple(sorted(tmp_path.glob("*/*.txt")))
    assert SourceFiles(tmp_path, {"data": [tmp_path / "a/x.txt"]}).all() == (tmp_path / "a/x.txt",)
    assert SourceFiles(tmp_path, {}).all("none") == ()
