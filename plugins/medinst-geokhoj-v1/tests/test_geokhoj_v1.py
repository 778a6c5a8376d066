from __future__ import annotations

import csv

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_geokhoj_v1"
TASK = "geokhoj_v1.txtclass"
NAMES = {"0": "control", "1": "perturbation"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.reader(f) if row]


@pytest.mark.parametrize("split, path", [("train", "train/geo_samples_train.csv"), ("test", "test/geo_samples_test.csv")])
def test_bundled_files(registry, split, path):
    folder = registry.tasks[TASK].bundled
    got = task_samples(registry, TASK, split, folder, bundled=True)
    assert [(s["input"], s["output"]) for s in got] == [(text.strip(), NAMES[label]) for _, label, text in read(folder / path)]
    assert not any(s["input"].startswith(" ") for s in got)  # every text starts with a space in the files


def test_zip_layout(registry, tmp_path):
    folder = tmp_path / "geokhoj_v1" / "data"
    (folder / "train").mkdir(parents=True)
    (folder / "test").mkdir()
    (folder / "train" / "geo_samples_train.csv").write_text('GSM1,0, a control\nGSM2,1," treated, 2 h"\n')
    (folder / "test" / "geo_samples_test.csv").write_text("GSM3,1, knockdown\n")
    assert [s["output"] for s in task_samples(registry, TASK, "train", tmp_path)] == ["control", "perturbation"]
    assert [s["input"] for s in task_samples(registry, TASK, "test", tmp_path)] == ["knockdown"]


def test_real_training_file(registry, medinst_real_data):
    path = require_path(medinst_real_data / "GEOKhoj-v1" / "geokhoj_v1" / "data" / "train" / "geo_samples_train.csv")
    source = read(path)
    train = task_samples(registry, TASK, "train", medinst_real_data / "GEOKhoj-v1")
    assert len(train) == len(source) == 25000  # MedINST's count
    assert [s["output"] for s in train] == [NAMES[label] for _, label, _ in source]
    assert [s["input"] for s in train] == [text.strip() for *_, text in source]
