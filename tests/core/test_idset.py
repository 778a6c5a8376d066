"""The sample-id hashes of a split in bounded memory: chunks written out and
checked at the end, and the pipeline's duplicate error unchanged by them."""

from __future__ import annotations

import random

import orjson
import pytest

from medinst_core import idset
from medinst_core.idset import SampleIdHashes, WatchOne
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry

from .helpers import ToyPlugin, manifest


def fill(ids: SampleIdHashes, values) -> int | None:
    """Add values as the pipeline does; the first found at once, else None."""
    room = ids.chunk
    for h in values:
        if h in ids.recent:
            return h
        ids.recent.add(h)
        room -= 1
        if not room:
            ids.spill()
            room = ids.chunk
    return None


EXTREMES = [-(1 << 63), (1 << 63) - 1, 0, -1, 1, (1 << 56) - (1 << 63), (1 << 56) - (1 << 63) - 1]


@pytest.mark.parametrize("chunk", [1, 2, 7, 64, 1000])
def test_distinct_hashes_are_never_reported(chunk):
    rng = random.Random(chunk)
    values = list({rng.getrandbits(64) - (1 << 63) for _ in range(3000)} | set(EXTREMES))
    rng.shuffle(values)
    ids = SampleIdHashes(chunk=chunk)
    assert fill(ids, values) is None
    assert ids.spilled == (chunk < len(values))
    assert ids.twice() is None
    ids.close()


@pytest.mark.parametrize("chunk", [1, 3, 64, 500])
@pytest.mark.parametrize("twice", EXTREMES + [123456789])
def test_a_hash_in_two_chunks_is_found_at_the_end(chunk, twice):
    rng = random.Random(twice)
    values = [v for v in {rng.getrandbits(64) - (1 << 63) for _ in range(2000)} if v != twice]
    values.insert(5, twice)
    values.append(twice)  # far from the first: in another chunk unless the chunk is large
    ids = SampleIdHashes(chunk=chunk)
    found_at_once = fill(ids, values)
    if found_at_once is None:
        assert ids.twice() == twice
    else:
        assert found_at_once == twice and chunk > len(values) - 6
    ids.close()


def test_a_hash_in_a_chunk_and_the_last_set_is_found():
    ids = SampleIdHashes(chunk=4)
    assert fill(ids, [10, 20, 30, 40, 50, 10]) is None  # 10 was written out; 50 and 10 are in the set
    assert ids.twice() == 10


def test_the_callers_own_set_is_kept_whole():
    own: set[int] = set()
    ids = SampleIdHashes(own)
    assert ids.chunk == -1
    assert fill(ids, range(100)) is None
    assert own == set(range(100)) and not ids.spilled
    ids.close()
    assert own == set(range(100))


def test_watch_one_remembers_only_its_hash():
    watch = WatchOne(7)
    watch.add(3)
    assert 3 not in watch and 7 not in watch
    watch.add(7)
    assert 7 in watch and 3 not in watch


# -- through the pipeline -----------------------------------------------------


def write(folder, ids):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "train.tsv").write_text("".join(f"{i}\ttext {n}\tpos\n" for n, i in enumerate(ids)), encoding="utf-8")
    (folder / "test.tsv").write_text("t0\ta test text\tneg\n", encoding="utf-8")
    return folder


def run(tmp_path, data, out, monkeypatch, chunk, limit=None):
    monkeypatch.setattr(idset, "CHUNK", chunk)
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    return build([reg.task("toy.labels")], tmp_path / out, data_dir=data, registry=reg, splits=["train"], limit=limit)


def test_outputs_do_not_depend_on_the_chunk(tmp_path, monkeypatch):
    data = write(tmp_path / "data", [f"r{i}" for i in range(3000)])
    big = run(tmp_path, data, "big", monkeypatch, 1 << 20)
    small = run(tmp_path, data, "small", monkeypatch, 16)
    assert big.ok and small.ok
    a = (tmp_path / "big" / "toy.labels" / "train.jsonl").read_bytes()
    assert a == (tmp_path / "small" / "toy.labels" / "train.jsonl").read_bytes()
    assert len(a.splitlines()) == 3000


@pytest.mark.parametrize("chunk", [16, 1 << 20])
def test_a_duplicate_far_apart_gives_the_same_error(tmp_path, monkeypatch, chunk):
    names = [f"r{i}" for i in range(3000)]
    names[2500] = "r10"
    data = write(tmp_path / "data", names)
    result = run(tmp_path, data, "out", monkeypatch, chunk)
    [(_, _, error)] = result.failed
    assert "sample id 'toy.labels:train:r10' is made twice" in error
    assert f"({data / 'train.tsv'}:2501)" in error  # the second occurrence's file and line
    assert not (tmp_path / "out" / "toy.labels" / "train.jsonl").exists()
    info = orjson.loads((tmp_path / "out" / "build.json").read_bytes())
    assert "toy.labels" not in info["tasks"]


def test_a_duplicate_before_the_limit_is_found_and_one_after_it_is_not(tmp_path, monkeypatch):
    names = [f"r{i}" for i in range(3000)]
    names[2500] = "r10"
    data = write(tmp_path / "data", names)
    [(_, _, error)] = run(tmp_path, data, "a", monkeypatch, 16, limit=2600).failed
    assert "made twice" in error and "train.tsv:2501" in error
    assert run(tmp_path, data, "b", monkeypatch, 16, limit=2400).ok


def shared_hash(monkeypatch, *sids):
    """Give these sample ids one made-up 64-bit hash inside the pipeline, as
    two different ids sharing a string hash would have."""
    import builtins

    from medinst_core import pipeline

    def fake(value):
        return 12345 if value in sids else builtins.hash(value)

    monkeypatch.setattr(pipeline, "hash", fake, raising=False)


def test_two_ids_sharing_a_hash_are_no_duplicate(tmp_path, monkeypatch):
    data = write(tmp_path / "data", [f"r{i}" for i in range(3000)])
    plain = run(tmp_path, data, "plain", monkeypatch, 16)
    shared_hash(monkeypatch, "toy.labels:train:r5", "toy.labels:train:r2900")
    shared = run(tmp_path, data, "shared", monkeypatch, 16)
    assert plain.ok and shared.ok
    out = (tmp_path / "shared" / "toy.labels" / "train.jsonl").read_bytes()
    assert out == (tmp_path / "plain" / "toy.labels" / "train.jsonl").read_bytes()
    assert len(out.splitlines()) == 3000


def test_a_real_duplicate_is_found_beside_two_ids_sharing_a_hash(tmp_path, monkeypatch):
    names = [f"r{i}" for i in range(3000)]
    names[2500] = "r10"
    data = write(tmp_path / "data", names)
    shared_hash(monkeypatch, "toy.labels:train:r5", "toy.labels:train:r2900")
    [(_, _, error)] = run(tmp_path, data, "out", monkeypatch, 16).failed
    assert "sample id 'toy.labels:train:r10' is made twice" in error and "train.tsv:2501" in error
