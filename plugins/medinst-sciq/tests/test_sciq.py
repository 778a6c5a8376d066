from __future__ import annotations

import json
import shutil

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_sciq"
TASK = "sciq.qa"
FILES = {"train": "train.json", "dev": "valid.json", "test": "test.json"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected_input(q: dict) -> str:
    parts = [f"Question: {q['question'].strip()}"]
    if q["support"].strip():
        parts.append(f"Support: {q['support'].strip()}")
    options = [q["distractor1"], q["distractor2"], q["distractor3"], q["correct_answer"]]
    parts.append("Options:\n" + "\n".join(f"{line_}. {o}" for line_, o in zip("ABCD", options)))
    return "\n".join(parts)


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in FILES.items():
        questions = json.loads((folder / "SciQ dataset-2 3" / name).read_text("utf-8"))
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert [s["id"] for s in got] == [f"{TASK}:{split}:{i}" for i in range(len(questions))]
        assert [s["input"] for s in got] == [expected_input(q) for q in questions]
        assert [s["output"] for s in got] == [q["correct_answer"] for q in questions]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert "Support:" not in train[1]["input"]  # an empty support paragraph gives no context line


def test_release_zip_layout(registry, tmp_path):
    """SciQ.zip unpacked: 'SciQ dataset-2 3/' with a readme beside; another dataset's train.json elsewhere."""
    shutil.copytree(registry.tasks[TASK].bundled / "SciQ dataset-2 3", tmp_path / "SciQ dataset-2 3")
    (tmp_path / "SciQ dataset-2 3" / "license.txt").write_text("CC BY-NC 3.0", "utf-8")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "train.json").write_text("[]", "utf-8")
    assert len(task_samples(registry, TASK, "train", tmp_path)) == 3


def test_malformed_json_names_file_and_line(registry, tmp_path):
    folder = tmp_path / "SciQ dataset-2 3"
    folder.mkdir()
    (folder / "valid.json").write_text('[\n {"question": "q", "distractor1": "a", "distractor2": "b",\n'
                                       '  "distractor3": "c" "support": ""}\n]', "utf-8")
    with pytest.raises(SourceError, match=r"valid\.json:3"):
        task_samples(registry, TASK, "dev", tmp_path)
