"""The fast file resolution (patterns without ``**``, candidates looked up by
file name) gives exactly what the general right-anchored matcher gives: an
exhaustive table of patterns against paths, and ``FileIndex.find`` against a
brute force over every listed file."""

from __future__ import annotations

import itertools

import pytest

from medinst_core.sources import FileIndex, _compile, _match, _match_fixed

SEGMENTS = ["a", "b", "ab", "A", "a*", "*", "?", "[ab]", "[!a]*", "*.txt", "a.txt", "x", "**"]
PARTS = ["a", "b", "ab", "A", "a.txt", "b.txt", "x", "A.TXT"]


def _patterns(max_len: int = 3):
    for n in range(1, max_len + 1):
        for combo in itertools.product(SEGMENTS, repeat=n):
            yield "/".join(combo)


def _paths(max_len: int = 3):
    for n in range(1, max_len + 1):
        yield from itertools.product(PARTS, repeat=n)


def _brute(compiled, files, prefix=()):
    return {p for p in files if any(_match(segs, prefix + p) for segs in compiled)}


def test_fixed_matcher_agrees_with_the_general_one_on_every_pattern_and_path():
    paths = list(_paths())
    checked = 0
    for pattern in _patterns():
        segs = _compile(pattern)
        if None in segs:
            continue
        for parts in paths:
            assert _match_fixed(segs, parts) == _match(segs, parts), (pattern, parts)
            checked += 1
    assert checked > 100_000


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    # the data directory is itself named like a segment, so the fallback (the
    # folder's own name counted as part of the paths) is exercised too
    root = tmp_path_factory.mktemp("data") / "ab"
    dirs = ["a", "b", "ab", "A"]
    for depth in range(3):
        for folders in itertools.product(dirs, repeat=depth):
            folder = root.joinpath(*folders)
            folder.mkdir(parents=True, exist_ok=True)
            for name in ["a.txt", "b.txt", "x", "A.TXT", ".hidden.txt"]:
                (folder / name).write_text("x")
    return FileIndex(root)


def _expected(index, patterns):
    compiled = [_compile(p) for p in patterns]
    found = _brute(compiled, list(index.listed()))
    if not found:
        found = _brute(compiled, list(index.listed()), (index.root.resolve().name,))
    return tuple(index.root.joinpath(*p) for p in sorted(found))


def test_find_agrees_with_the_general_matcher_over_every_file(index):
    assert len(list(index.listed())) == 84
    for pattern in _patterns():
        assert index.find([pattern]) == _expected(index, [pattern]), pattern


@pytest.mark.parametrize(
    "patterns",
    [
        ["a.txt", "b/*.txt"],
        ["**/x", "A/?/a.txt"],
        ["nothing", "ab/a/x"],
        ["ab/x"],  # only through the fallback (the root folder is named ab)
        ["ab/**/A.TXT", "[!a]*/x"],
        ["a\\b\\x", "b/"],
        [],
    ],
)
def test_find_with_several_patterns(index, patterns):
    assert index.find(patterns) == _expected(index, patterns)
