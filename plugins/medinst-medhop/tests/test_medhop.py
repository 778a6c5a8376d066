from __future__ import annotations

import json
import shutil

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_medhop"
TASK = "medhop.qa"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    for split in ("train", "dev"):
        items = json.loads((folder / "qangaroo_v1.1" / "medhop" / f"{split}.json").read_text("utf-8"))
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert [s["id"] for s in got] == [f"{TASK}:{split}:{i['id']}" for i in items]
        for sample, item in zip(got, items):
            options = "\n".join(f"{line_}. {c}" for line_, c in zip("ABCDEFGHIJ", item["candidates"]))
            assert sample["input"] == (f"Question: {item['query']}\nDocuments:\n" + "\n\n".join(item["supports"])
                                       + f"\nOptions:\n{options}")
            assert sample["output"] == item["answer"]
    # the masked variant beside train.json is not read
    assert all("MASK" not in s["output"] for s in task_samples(registry, TASK, "train", folder, bundled=True))


def test_wikihop_beside_medhop_is_not_read(registry, tmp_path):
    shutil.copytree(registry.tasks[TASK].bundled / "qangaroo_v1.1", tmp_path / "qangaroo_v1.1")
    (tmp_path / "qangaroo_v1.1" / "wikihop").mkdir()
    (tmp_path / "qangaroo_v1.1" / "wikihop" / "train.json").write_text("[]", "utf-8")
    assert len(task_samples(registry, TASK, "train", tmp_path)) == 2


def test_answer_not_among_candidates_is_an_error(registry, tmp_path):
    (tmp_path / "medhop").mkdir()
    item = {"id": "MH_dev_9", "query": "interacts_with DB1?", "answer": "DB9", "candidates": ["DB2"], "supports": ["x"]}
    (tmp_path / "medhop" / "dev.json").write_text(json.dumps([item]), "utf-8")
    with pytest.raises(SourceError, match="MH_dev_9: answer 'DB9' is not one of the options"):
        task_samples(registry, TASK, "dev", tmp_path)
