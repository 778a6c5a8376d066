"""The helpers medinst_core.testing gives a plugin's own tests."""

from __future__ import annotations

import sys

import pytest

from medinst_core.errors import MissingFilesError
from medinst_core.pipeline import SplitStats
from medinst_core.plugins import Registry
from medinst_core.testing import (
    plugin_registry,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    samples_of_files,
    task_samples,
)

from .helpers import ToyPlugin, manifest, write_toy_data

TOY = "medinst_toy"  # the name the toy plugin is imported under, as an entry point would name it


@pytest.fixture(scope="module")
def toy_module(tmp_path_factory):
    """The toy plugin, importable as ``medinst_toy``, with bundled files of its own names."""
    bundled = tmp_path_factory.mktemp("bundled")
    (bundled / "small.tsv").write_text("b0\tbundled text\tpos\n")
    (bundled / "train.tsv").write_text("b1\tnot the bundled pattern\tpos\n")
    task = manifest()
    task["source"]["bundled"] = {"train": ["small.tsv"]}
    with pytest.MonkeyPatch.context() as mp:
        mp.setitem(sys.modules, TOY, ToyPlugin(task=task, bundled=bundled))
        yield bundled


toy_registry = plugin_registry_fixture(TOY)


def test_plugin_registry_holds_the_core_and_that_plugin_only(toy_module):
    reg = plugin_registry(TOY)
    assert isinstance(reg, Registry) and not reg.problems
    assert reg.plugins[TOY].tasks == ["toy.labels"]
    assert "brat" in reg.readers  # the core's default plugins
    assert {t.split(".")[0] for t in reg.tasks} == {"toy"}  # installed plugins are not loaded
    assert plugin_registry(TOY) is not reg  # a fresh one each time


def test_plugin_registry_of_an_unknown_module():
    with pytest.raises(ModuleNotFoundError, match="medinst_no_such_plugin"):
        plugin_registry("medinst_no_such_plugin")


@pytest.mark.usefixtures("toy_module")
def test_plugin_registry_fixture(toy_registry, request):
    assert "toy.labels" in toy_registry.tasks
    assert request.getfixturevalue("toy_registry") is toy_registry


@pytest.mark.usefixtures("toy_module")
def test_task_samples_finds_the_files_by_the_task_patterns(toy_registry, tmp_path):
    data = write_toy_data(tmp_path, n_train=5)
    train = task_samples(toy_registry, "toy.labels", "train", data)
    # r0, r2, r4 have no label: dropped by the manifest's empty_output policy
    assert [s["id"] for s in train] == ["toy.labels:train:r1", "toy.labels:train:r3"]
    assert sample_outputs(task_samples(toy_registry, "toy.labels", "test", str(data))) == {"t0": "neg"}
    stats = SplitStats("toy.labels", "train")
    task_samples(toy_registry, "toy.labels", "train", data, stats=stats)
    assert (stats.records, stats.samples, stats.dropped_empty) == (5, 2, 3)


def test_task_samples_bundled_uses_the_bundled_patterns(toy_module, toy_registry):
    bundled = sample_outputs(task_samples(toy_registry, "toy.labels", "train", toy_module, bundled=True))
    assert bundled == {"b0": "pos"}
    real_patterns = sample_outputs(task_samples(toy_registry, "toy.labels", "train", toy_module))
    assert real_patterns == {"b1": "pos"}


@pytest.mark.usefixtures("toy_module")
def test_task_samples_without_files(toy_registry, tmp_path):
    with pytest.raises(MissingFilesError, match="train.tsv"):
        task_samples(toy_registry, "toy.labels", "train", tmp_path)


@pytest.mark.usefixtures("toy_module")
def test_samples_of_files_reads_exactly_those_files(toy_registry, tmp_path):
    odd = tmp_path / "any name.txt"
    odd.write_text("x1\tone\tpos\nx2\ttwo\tneg\n")
    other = tmp_path / "second.txt"
    other.write_text("x3\tthree\tpos\n")
    (tmp_path / "train.tsv").write_text("never\tread\tpos\n")
    samples = samples_of_files(toy_registry, "toy.labels", "dev", odd, other)
    assert [s["id"] for s in samples] == ["toy.labels:dev:x1", "toy.labels:dev:x2", "toy.labels:dev:x3"]
    with pytest.raises(TypeError, match="at least one path"):
        samples_of_files(toy_registry, "toy.labels", "dev")


def test_sample_outputs_keys_keep_what_follows_task_and_split():
    samples = [
        {"id": "a.ner:train:PMID-1", "output": "[x <T>]"},
        {"id": "a.coref:dev:PMID-1:T3", "output": "[y]"},
    ]
    assert sample_outputs(samples) == {"PMID-1": "[x <T>]", "PMID-1:T3": "[y]"}


def test_require_path(tmp_path):
    assert require_path(str(tmp_path)) == tmp_path
    with pytest.raises(pytest.skip.Exception, match="absent.txt not present"):
        require_path(tmp_path / "absent.txt")
