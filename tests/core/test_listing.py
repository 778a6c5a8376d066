"""The folder listing behind FileIndex: files numbered in path order (what
``sorted`` gives their parts), a large folder read in sorted batches and
merged, names kept packed, and the same files and links left out as before."""

from __future__ import annotations

import os
from array import array
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from medinst_core import listing
from medinst_core.listing import Strings, path_order
from medinst_core.sources import FileIndex


def walked(root: Path) -> list[tuple[str, ...]]:
    """Every file below ``root`` the slow way: os.walk, hidden names and
    __MACOSX/ left out, sorted by parts."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".") and d != "__MACOSX"]
        rel = Path(dirpath).relative_to(root).parts
        out.extend((*rel, name) for name in filenames if not name.startswith("."))
    return sorted(out)


def make_tree(root: Path, paths: list[str]) -> None:
    for path in paths:
        target = root / path
        if any(p.exists() and not p.is_dir() for p in target.parents if root in p.parents):
            continue  # a file already stands where a folder would be
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path)


def test_files_are_numbered_in_path_order_with_files_and_folders_interleaved(tmp_path):
    # path order compares the parts as strings: the folder "a" and all it holds come before "a b", "a-b"
    # and "a.txt" (os.walk would give a folder's own files first)
    make_tree(tmp_path, ["a.txt", "a/x.txt", "a-b/y", "a b/z", "b", "ab/c/d.txt", "A/e", "__MACOSX/m", ".git/h",
                         "a/.hidden", "a/c/.x/q", "é/f", "z.txt"])
    listed = list(FileIndex(tmp_path).listed())
    assert listed == walked(tmp_path) == sorted(listed)
    assert ("__MACOSX", "m") not in listed and all(not p[-1].startswith(".") for p in listed)


def test_a_folder_larger_than_a_batch_is_merged_in_order(tmp_path, monkeypatch):
    names = [f"d{i % 37}-{i}.{'txt' if i % 3 else 'a1'}" for i in range(500)]
    make_tree(tmp_path, [f"big/{n}" for n in names] + ["big/d5/inner.txt", "big/d40-0/x", "big/z/last"])
    (tmp_path / "big" / "link.txt").symlink_to(tmp_path / "big" / "d1-1.txt")
    whole = FileIndex(tmp_path)
    monkeypatch.setattr(listing, "BATCH", 7)
    batched = FileIndex(tmp_path)
    assert list(batched.listed()) == list(whole.listed()) == walked(tmp_path)
    for patterns in (["big/*.txt"], ["*.a1", "d5/*"], ["**/x"], ["big/**"], ["d1*"]):
        assert batched.find(patterns) == whole.find(patterns)
        assert list(batched.find(patterns)) == sorted(batched.find(patterns), key=lambda p: p.parts)


def test_links_out_of_the_folder_are_left_out_in_a_stable_order(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("s")
    data = tmp_path / "data"
    (data / "docs").mkdir(parents=True)
    (data / "docs" / "a.txt").write_text("a")
    for name in ("z.txt", "b.txt", "m.txt"):
        (data / "docs" / name).symlink_to(outside / "secret.txt")
    (data / "docs" / "in.txt").symlink_to(data / "docs" / "a.txt")
    (data / "docs" / "out").symlink_to(outside)
    index = FileIndex(data)
    assert [Path(p).name for p in index.skipped_links] == ["out", "b.txt", "m.txt", "z.txt"]
    assert [p.name for p in index.find(["*.txt"])] == ["a.txt", "in.txt"]
    assert [p.name for p in FileIndex(data, follow_symlinks=True).find(["*.txt"])] == [
        "a.txt", "b.txt", "in.txt", "m.txt", "secret.txt", "z.txt"]  # out/secret.txt sorts before z.txt


@given(st.lists(st.lists(st.sampled_from(["a", "a.b", "a-b", "ab", "B", "b", "a b", "é", ".h", "_"]),
                         min_size=1, max_size=4).map("/".join), min_size=1, max_size=25))
def test_listing_is_sorted_and_complete_on_any_tree(paths):
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_tree(root, paths)
        listed = list(FileIndex(root).listed())
        assert listed == walked(root)


def test_strings_read_like_a_list():
    items = ["", "abc", "é", "x" * 5000, "", "z"]
    s = Strings(items)
    assert len(s) == 6 and list(s) == items and s[-1] == "z" and s[1] == "abc" and s[2:5] == items[2:5]
    assert [s.getter()(i) for i in range(6)] == items and list(s.pick([5, 0, 3])) == ["z", "", "x" * 5000]
    with pytest.raises(IndexError):
        s[6]
    with pytest.raises(IndexError):
        s[-7]
    assert list(Strings()) == [] and len(Strings()) == 0
    many = [str(i) for i in range(10_000)]  # more than one chunk of pieces
    assert list(Strings(many)) == many


def test_path_order_gives_distinct_numbers_ascending_either_way():
    few = [array("I", [9, 3]), array("I", [3, 1000])]
    many = [array("I", range(999, -1, -2)), array("I", range(0, 1000, 3))]
    assert list(path_order(few, 2000)) == [3, 9, 1000]  # a sparse set
    assert list(path_order(many, 1000)) == sorted(set(range(1, 1000, 2)) | set(range(0, 1000, 3)))  # marks
