"""``expected_entry`` (which ``dataset.files`` entry describes a source file)
looks entries up by file name: it must pick exactly the entry the plain
longest-suffix scan over every entry picks."""

from __future__ import annotations

from pathlib import PurePosixPath

from hypothesis import given
from hypothesis import strategies as st

from medinst_core.datafiles import expected_entry
from medinst_core.plugins import get_registry


def plain_scan(manifest, rel_path):
    """Every entry compared with the path: the longest entry ending it, the first on a tie."""
    parts = PurePosixPath(rel_path).parts
    best, best_len = None, 0
    for entry in manifest.get("dataset", {}).get("files", ()):
        want = PurePosixPath(entry["path"]).parts
        if len(want) <= len(parts) and tuple(parts[len(parts) - len(want):]) == tuple(want) and len(want) > best_len:
            best, best_len = entry, len(want)
    return best


segment = st.sampled_from(["a", "b", "train", "x.txt", "y.ann", ".", ""])
path = st.lists(segment, min_size=0, max_size=4).map("/".join)
absolute = st.tuples(st.booleans(), path).map(lambda t: ("/" if t[0] else "") + t[1])


@given(entries=st.lists(absolute, max_size=8), rel=absolute)
def test_same_entry_as_the_plain_scan(entries, rel):
    manifest = {"dataset": {"files": [{"path": p, "size": i} for i, p in enumerate(entries)]}}
    got = expected_entry(manifest, rel)
    want = plain_scan(manifest, rel)
    assert got is want, (entries, rel, got, want)


def test_longest_entry_then_first_on_a_tie():
    files = [{"path": "x.txt", "n": 1}, {"path": "train/x.txt", "n": 2}, {"path": "train/x.txt", "n": 3},
             {"path": "y.txt", "n": 4}]
    manifest = {"dataset": {"files": files}}
    assert expected_entry(manifest, "data/train/x.txt")["n"] == 2
    assert expected_entry(manifest, "data/dev/x.txt")["n"] == 1
    assert expected_entry(manifest, "x.txt")["n"] == 1
    assert expected_entry(manifest, "data/z.txt") is None
    assert expected_entry({"dataset": {}}, "x.txt") is None
    assert expected_entry(manifest, "") is None


def test_every_installed_manifest_entry_finds_itself_or_a_longer_one():
    """Recorded files (under a folder, as a data folder holds them) are
    described by the entry the plain scan picks, for every installed task
    (at most 10 files a task: the plain scan is what was too slow)."""
    checked = 0
    for task in get_registry().tasks.values():
        files = task.manifest.get("dataset", {}).get("files", ())
        for entry in files[:: max(1, len(files) // 10)]:
            rel = f"{task.plugin}/{entry['path']}"
            assert expected_entry(task.manifest, rel) is plain_scan(task.manifest, rel)
            checked += 1
    assert checked or not get_registry().tasks
