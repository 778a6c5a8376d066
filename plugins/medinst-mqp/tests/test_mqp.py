from __future__ import annotations

import csv

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_mqp"
TASK = "mqp.sts"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f) if row]


def test_bundled_pairs(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == [
        (f"Question 1: {q1}\nQuestion 2: {q2}", label) for _, q1, q2, label in read(folder / "mqp.csv")]
    assert train[3]["input"].endswith('What does a "normal" temperature mean for a toddler?')


def test_label_other_than_zero_or_one_is_an_error(registry, tmp_path):
    (tmp_path / "mqp.csv").write_text("1,a?,b?,2\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"mqp.csv:1.*score 2.0 is outside the declared range \[0.0, 1.0\]"):
        task_samples(registry, TASK, "train", tmp_path)


def test_real_file(registry, medinst_real_data):
    path = require_path(medinst_real_data / "MQP" / "mqp.csv")
    source = read(path)
    train = task_samples(registry, TASK, "train", path.parent)
    assert len(train) == len(source) == 3048  # MedINST's count
    assert [s["output"] for s in train] == [label for *_, label in source]
    assert [s["input"] for s in train] == [f"Question 1: {q1.strip()}\nQuestion 2: {q2.strip()}" for _, q1, q2, _ in source]
    assert {s["output"] for s in train} == {"0", "1"}
