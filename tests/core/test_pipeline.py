from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import orjson
import pytest

from medinst_core import hookimpl
from medinst_core.errors import UsageError
from medinst_core.manifest import validator
from medinst_core.pipeline import build, check_sample, choose_instruction
from medinst_core.plugins import load_registry
from medinst_core.samples import Draft

from .helpers import TaskOnly, ToyPlugin, manifest, write_toy_data


@pytest.fixture
def toy(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=5)
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    return reg, data


def read_jsonl(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_build_writes_samples_and_build_json(toy, tmp_path):
    reg, data = toy
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg)
    assert result.ok
    train = read_jsonl(tmp_path / "out" / "toy.labels" / "train.jsonl")
    # records r0, r2, r4 have no label: empty output, dropped by the manifest's policy
    assert [s["id"] for s in train] == ["toy.labels:train:r1", "toy.labels:train:r3"]
    assert all(s["output"] == "pos" and s["task"] == "toy.labels" for s in train)
    assert all(not list(validator("sample").iter_errors(s)) for s in train)
    info = orjson.loads((tmp_path / "out" / "build.json").read_bytes())
    split = info["tasks"]["toy.labels"]["splits"]["train"]
    assert (split["records"], split["samples"], split["dropped_empty"]) == (5, 2, 3)
    [facts] = split["files"]
    assert facts["path"] == "nested/train.tsv" and facts["size"] == (data / "nested" / "train.tsv").stat().st_size
    assert len(facts["sha256"]) == 64
    assert info["tasks"]["toy.labels"]["version"] == 1


def test_rebuild_is_byte_identical(toy, tmp_path):
    reg, data = toy
    for out in ("a", "b"):
        build([reg.task("toy.labels")], tmp_path / out, data_dir=data, registry=reg)
    for split in ("train", "test"):
        assert (tmp_path / "a/toy.labels" / f"{split}.jsonl").read_bytes() == (tmp_path / "b/toy.labels" / f"{split}.jsonl").read_bytes()


def test_empty_output_policies(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=4)
    for policy, expected in [("keep", ["", "pos", "", "pos"]), ({"emit": "none"}, ["none", "pos", "none", "pos"])]:
        reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest(empty_output=policy)))])
        build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
        assert [s["output"] for s in read_jsonl(tmp_path / "out/toy.labels/train.jsonl")] == expected


def test_limit_and_select(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=9)
    m = manifest(empty_output="keep")
    m["source"]["select"] = {"train": {"ids": ["r2", "r5", "r7"]}, "test": {"range": [0, 0]}}
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=m))])
    build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, limit=2)
    assert [s["id"].rsplit(":", 1)[1] for s in read_jsonl(tmp_path / "out/toy.labels/train.jsonl")] == ["r2", "r5"]
    assert read_jsonl(tmp_path / "out/toy.labels/test.jsonl") == []


def test_missing_files_are_missing_for_that_split_only(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "deeper" / "test.tsv").unlink()
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg)
    assert [(t, s) for t, s, _ in result.missing] == [("toy.labels", "test")]
    assert "test.tsv" in result.missing[0][2] and not result.failed and result.ok
    assert (tmp_path / "out/toy.labels/train.jsonl").exists()


def test_malformed_input_fails_cleanly_without_output(tmp_path):
    data = write_toy_data(tmp_path / "data")
    with open(data / "nested" / "train.tsv", "a") as f:
        f.write("broken line without tabs\n")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg)
    [(task, split, error)] = result.failed
    assert split == "train" and "train.tsv:4: expected 3 tab-separated columns" in error
    assert not (tmp_path / "out/toy.labels/train.jsonl").exists()
    assert not [p for p in (tmp_path / "out/toy.labels").iterdir() if "partial" in p.name]


class _LateBadOutput(ToyPlugin):
    """The toy plugin with a formatter that returns a number for record r700."""

    @hookimpl
    def register_formatters(self, register):
        def late_bad(record, options, diagnostics):
            yield Draft(input=record.text, output=7 if record.id == "r700" else "pos")

        register("toy_late_bad", late_bad, record_kinds=("text",), description="Returns a number for record r700.")


@pytest.mark.parametrize("mode", ["fast", "full"])
def test_validation_catches_a_bad_sample_after_the_schema_checked_ones(tmp_path, mode):
    data = write_toy_data(tmp_path / "data", n_train=900)
    m = manifest(formatter={"name": "toy_late_bad"})
    reg = load_registry(entrypoints=False, plugins=[("toy", _LateBadOutput(task=m))])
    assert not reg.problems
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"], validate=mode)
    [(task, split, error)] = result.failed
    assert "sample 'toy.labels:train:r700' is invalid: 'output' must be a string" in error
    assert not (tmp_path / "out/toy.labels/train.jsonl").exists()
    # without validation the number is written as it is
    result = build([reg.task("toy.labels")], tmp_path / "raw", data_dir=data, registry=reg, splits=["train"], validate="none")
    assert result.ok
    assert 7 in [s["output"] for s in read_jsonl(tmp_path / "raw/toy.labels/train.jsonl")]


def test_both_or_neither_source_is_a_usage_error(toy, tmp_path):
    reg, data = toy
    with pytest.raises(UsageError):
        build([reg.task("toy.labels")], tmp_path, registry=reg)


def test_instruction_choice_is_stable_and_uses_all():
    texts = ["one instruction text", "two instruction text", "three instruction text"]
    chosen = {choose_instruction(texts, f"t.x:train:{i}") for i in range(100)}
    assert chosen == set(texts)
    assert choose_instruction(texts, "t.x:train:5") == choose_instruction(texts, "t.x:train:5")


def test_fast_check_agrees_with_schema():
    good = {"id": "a.b:train:1", "task": "a.b", "instruction": "x", "input": "", "output": ""}
    bad = [
        dict(good, output=3), dict(good, extra="x"), dict(good, history=[["a"]]), dict(good, instruction=""),
    ]
    assert check_sample(good) is None and not list(validator("sample").iter_errors(good))
    for sample in bad:
        assert check_sample(sample) is not None
        assert list(validator("sample").iter_errors(sample)), sample
    # stricter than the schema can say: the id starts with the sample's own task
    assert check_sample(dict(good, id="c.d:train:1")) == "'id' must start with the task id"


KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    sys.path.insert(0, {tests!r})
    from core.helpers import ToyPlugin, manifest
    from medinst_core.pipeline import build
    from medinst_core.plugins import load_registry
    m = manifest()
    m["source"]["options"] = {{"slow": 0.01}}
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=m))])
    print("started", flush=True)
    build([reg.task("toy.labels")], Path(sys.argv[2]), data_dir=Path(sys.argv[1]), registry=reg, validate="none")
    """
)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killed_build_leaves_no_truncated_jsonl(tmp_path, sig):
    data = write_toy_data(tmp_path / "data", n_train=3000)
    out = tmp_path / "out"
    script = tmp_path / "run.py"
    script.write_text(KILL_SCRIPT.format(tests=str(__import__("pathlib").Path(__file__).resolve().parent.parent)))
    proc = subprocess.Popen([sys.executable, str(script), str(data), str(out)], stdout=subprocess.PIPE)
    assert proc.stdout.readline().strip() == b"started"
    partial = out / "toy.labels"
    deadline = time.time() + 20
    while time.time() < deadline and not (partial.exists() and any(partial.iterdir())):
        time.sleep(0.05)
    time.sleep(0.3)
    os.kill(proc.pid, sig)
    proc.wait(timeout=20)
    assert not (out / "toy.labels" / "train.jsonl").exists()
    assert not (out / "build.json").exists()


def test_undecodable_input_is_a_clean_error(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "train.tsv").write_bytes(b"r1\tcaf\xe9\tpos\n")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
    [(_, _, error)] = result.failed
    assert "reader 'toy_lines'" in error and "not valid UTF-8" in error and "train.tsv" in error



def test_parallel_build_writes_what_a_serial_build_writes(tmp_path):
    from medinst_core.testing import registered

    data = write_toy_data(tmp_path / "data", n_train=400)
    second = manifest(id="toy.second", instructions=["Say which label the text carries, if any."], empty_output="keep")
    with registered(("toy", ToyPlugin(task=manifest())), ("medinst_toy", TaskOnly(second))) as reg:
        tasks = [reg.task("toy.labels"), reg.task("toy.second")]
        serial = build(tasks, tmp_path / "serial", data_dir=data, registry=reg)
        parallel = build(tasks, tmp_path / "parallel", data_dir=data, registry=reg, jobs=2)
    assert serial.ok and parallel.ok
    assert [(s.task, s.split) for s in parallel.splits] == [(s.task, s.split) for s in serial.splits]
    assert [(s.records, s.samples) for s in parallel.splits] == [(s.records, s.samples) for s in serial.splits]
    for task in ("toy.labels", "toy.second"):
        for split in ("train", "test"):
            a = (tmp_path / "serial" / task / f"{split}.jsonl").read_bytes()
            assert a and a == (tmp_path / "parallel" / task / f"{split}.jsonl").read_bytes()
    counts = orjson.loads((tmp_path / "parallel" / "build.json").read_bytes())["tasks"]["toy.second"]["splits"]["train"]
    assert counts["samples"] == 400 and counts["files"][0]["path"] == "nested/train.tsv"
