from __future__ import annotations

import json
import math

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_scicite"
TASK = "scicite.txtclass"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def lines(path):
    # Python's json reads the NaN the files hold, independently of the reader
    return [json.loads(line_) for line_ in path.read_text(encoding="utf-8").splitlines() if line_.strip()]


@pytest.mark.parametrize("split", ["train", "dev", "test"])
def test_every_bundled_line_is_a_sample(registry, split):
    folder = registry.tasks[TASK].bundled
    source = lines(folder / "scicite" / f"{split}.jsonl")
    got = task_samples(registry, TASK, split, folder, bundled=True)
    assert [(s["input"], s["output"]) for s in got] == [(d["string"].strip(), d["label"]) for d in source]


def test_nan_lines_duplicates_and_label2(registry):
    folder = registry.tasks[TASK].bundled
    source = lines(folder / "scicite" / "train.jsonl")
    assert math.isnan(source[1]["citeStart"])  # the quirk the non_finite option is for
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # the repeated unique_id is kept, as BigBIO and MedINST count it; label2 is not part of the answer
    assert len(train) == 4 and train[0]["input"] == train[3]["input"]
    assert [s["output"] for s in train] == ["background", "method", "result", "background"]


def test_archive_layouts(registry, tmp_path):
    """scicite.tar.gz unpacked (scicite/ with scaffolds/ beside), or a data folder named after the dataset."""
    folder = tmp_path / "downloads" / "scicite"
    (folder / "scaffolds").mkdir(parents=True)
    row = {"string": "As in [1].", "label": "method", "citingPaperId": "x", "citeStart": float("nan")}
    (folder / "dev.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    (folder / "scaffolds" / "sections-scaffold-dev.jsonl").write_text('{"text": "x", "section_name": "y"}\n')
    assert [s["output"] for s in task_samples(registry, TASK, "dev", tmp_path)] == ["method"]
    other = tmp_path / "SciCite-data"
    other.mkdir()
    (other / "dev.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert len(task_samples(registry, TASK, "dev", other)) == 1


def test_line_that_is_not_json_is_an_error(registry, tmp_path):
    folder = tmp_path / "scicite"
    folder.mkdir()
    (folder / "test.jsonl").write_text('{"string": "ok", "label": "result", "citingPaperId": "a"}\n{"string": oops}\n')
    with pytest.raises(MedinstError, match=r"test.jsonl:2: expected one JSON value per line, found invalid JSON"):
        task_samples(registry, TASK, "test", tmp_path)
