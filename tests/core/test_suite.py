from __future__ import annotations

import orjson
import pytest

from medinst_core import hookimpl
from medinst_core.errors import MissingFilesError
from medinst_core.mixture import make_mixture
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry
from medinst_core.suite import build_suite, check_contamination

from .helpers import TaskOnly, ToyPlugin, manifest


class SuitePlugin:
    @hookimpl
    def register_suites(self, register):
        register({
            "id": "toysuite", "name": "Toy suite", "description": "For tests.", "shots": 2,
            "tasks": [
                {"task": "toy.labels", "category": "TXTCLASS", "test_cap": 3},
                {"task": "toy.notrain", "category": "TXTCLASS"},
                {"task": "toy.absent", "category": "NER"},
            ],
        })


def lines(path):
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


@pytest.fixture
def reg(tmp_path):
    data = tmp_path / "data"
    (data / "a").mkdir(parents=True)
    (data / "a" / "train.tsv").write_text("".join(f"r{i}\ttrain text {i}\tl{i % 3}\n" for i in range(40)))
    (data / "a" / "test.tsv").write_text("".join(f"t{i}\ttest text {i}\tl{i % 3}\n" for i in range(10)) + "t10\ttrain text 5\tl2\n")
    notrain = manifest(id="toy.notrain", instructions=["Another instruction for a task without training data."])
    notrain["source"]["splits"] = {"test": ["test.tsv"]}
    registry = load_registry(entrypoints=False, plugins=[
        ("toy", ToyPlugin(task=manifest(empty_output="keep"))),
        ("medinst_toy", TaskOnly(notrain)),
        ("suite", SuitePlugin()),
    ])
    return registry, data



def test_suite_build_caps_shots_and_skips(reg, tmp_path):
    registry, data = reg
    out = tmp_path / "suite"
    results = {r.task: r for r in build_suite("toysuite", out, data_dir=data, seed=7, registry=registry)}
    assert results["toy.absent"].skipped.startswith("not installed")
    assert results["toy.labels"].samples == 3  # capped
    assert results["toy.notrain"].samples == 11
    zero = lines(out / "zero-shot" / "toy.labels.jsonl")
    few = lines(out / "2-shot" / "toy.labels.jsonl")
    assert [s["id"] for s in zero] == [s["id"] for s in few]
    assert all("history" not in s for s in zero)
    for sample in few:
        assert len(sample["history"]) == 2
        for user, _answer in sample["history"]:
            assert any(user.startswith(i + "\n") for i in manifest()["instructions"])
            assert not user.endswith("\n" + sample["input"])
    # no training split: examples from other tasks of the category, with their own instruction
    assert results["toy.notrain"].shot_source == ["toy.labels"]
    for sample in lines(out / "2-shot" / "toy.notrain.jsonl"):
        assert all(any(user.startswith(i + "\n") for i in manifest()["instructions"]) for user, _ in sample["history"])
        # "train text 5" is also test sample t10's input: it is never t10's own example
        if sample["input"] == "train text 5":
            assert all(not user.endswith("\ntrain text 5") for user, _ in sample["history"])
    # deterministic for a seed, different for another
    again = tmp_path / "again"
    build_suite("toysuite", again, data_dir=data, seed=7, registry=registry)
    assert (again / "2-shot" / "toy.labels.jsonl").read_bytes() == (out / "2-shot" / "toy.labels.jsonl").read_bytes()
    other = tmp_path / "other"
    build_suite("toysuite", other, data_dir=data, seed=8, registry=registry)
    assert (other / "2-shot" / "toy.notrain.jsonl").read_bytes() != (out / "2-shot" / "toy.notrain.jsonl").read_bytes()
    summary = orjson.loads((out / "suite.json").read_bytes())
    assert summary["total_samples"] == 14


def test_mixture_and_contamination(reg, tmp_path):
    registry, data = reg
    built = tmp_path / "built"
    build(list(registry.tasks.values()), built, data_dir=data, registry=registry)
    mix = tmp_path / "mix.jsonl"
    report = make_mixture(mix, 25, build_dir=built, seed=1, registry=registry)
    drawn = lines(mix)
    assert len(drawn) == 25 == report["size"]
    assert len({s["id"] for s in drawn}) == 25 and all(":train:" in s["id"] for s in drawn)
    assert report["tasks"] == {"toy.labels": {"available": 40, "drawn": 25}}
    assert make_mixture(tmp_path / "m2.jsonl", 25, build_dir=built, seed=1, registry=registry) == report
    assert (tmp_path / "m2.jsonl").read_bytes() == mix.read_bytes()
    # every toy task is a test task of the suite: nothing is left for an "unseen" mixture
    with pytest.raises(MissingFilesError, match="no training samples"):
        make_mixture(tmp_path / "m3.jsonl", 25, build_dir=built, exclude_suite="toysuite", registry=registry)

    suite_out = tmp_path / "suite"
    build_suite("toysuite", suite_out, data_dir=data, registry=registry)
    everything = tmp_path / "all.jsonl"
    make_mixture(everything, 40, build_dir=built, registry=registry)
    result = check_contamination(suite_out, everything, n=2, threshold=0.99)
    assert "toy.notrain:test:t10" in result["exact"]  # its input "train text 5" is a training input
    assert {x["id"] for x in result["ngram_overlap"]} >= {"toy.notrain:test:t10"}


def test_borrowed_examples_are_not_cached_under_the_borrower(reg, tmp_path):
    """Two test-only tasks of a category both borrow from the task with a
    training split; the second must not see the first's borrowed examples as
    its own, nor get any example twice."""
    _, data = reg
    first = manifest(id="toy.notrain", instructions=["Another instruction for a task without training data."])
    second = manifest(id="toy.notrain2", instructions=["A second instruction for another task without training data."])
    for m in (first, second):
        m["source"]["splits"] = {"test": ["test.tsv"]}
    registry = load_registry(entrypoints=False, plugins=[
        ("toy", ToyPlugin(task=manifest(empty_output="keep"))),
        ("medinst_toy", TaskOnly(first)),
        ("medinst-toy", TaskOnly(second)),
        ("suite", SuitePlugin()),
    ])
    assert not registry.problems
    registry.suites["toysuite"]["tasks"].append({"task": "toy.notrain2", "category": "TXTCLASS"})
    results = {r.task: r for r in build_suite("toysuite", tmp_path / "s", data_dir=data, seed=3, registry=registry)}
    assert results["toy.notrain"].shot_source == ["toy.labels"]
    assert results["toy.notrain2"].shot_source == ["toy.labels"]
    for sample in lines(tmp_path / "s" / "2-shot" / "toy.notrain2.jsonl"):
        users = [user for user, _ in sample["history"]]
        assert len(users) == len(set(users)) == 2
