from __future__ import annotations

import csv
from collections import Counter

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_healthver"
TASK = "healthver.te"
FILES = {"train": "healthver_train.csv", "dev": "healthver_dev.csv", "test": "healthver_test.csv"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def rows(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def check(registry, folder, split, path, **kw):
    got = task_samples(registry, TASK, split, folder, **kw)
    want = rows(path)
    assert len(got) == len(want)
    for sample, row in zip(got, want):
        assert sample["id"] == f"{TASK}:{split}:{row['id']}"
        assert sample["input"] == f"Evidence: {row['evidence'].strip()}\nClaim: {row['claim'].strip()}"
        assert sample["output"] == row["label"]
    return got


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in FILES.items():
        check(registry, folder, split, folder / "data" / name, bundled=True)
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # a quoted evidence cell with a line break and doubled quotes
    assert 'reported by "most" participants.\nOutcomes were not measured.' in train[2]["input"]
    # the test file has CRLF line ends: no \r in any field
    assert all("\r" not in s["input"] + s["output"] for s in task_samples(registry, TASK, "test", folder, bundled=True))


def test_real_dev(registry, medinst_real_data):
    path = require_path(medinst_real_data / "HealthVer" / "data" / "healthver_dev.csv")
    got = check(registry, path.parent, "dev", path)
    assert len(got) == 1917  # MedINST's count
    assert Counter(s["output"] for s in got) == {"Neutral": 993, "Supports": 533, "Refutes": 391}
    assert got[0]["input"].endswith("\nClaim: The CORONAVIRUS is not of natural origin")


def test_unknown_label_is_an_error(registry, tmp_path):
    (tmp_path / "healthver_dev.csv").write_text("id,evidence,claim,label,topic_ip,question\n1,e,c,Maybe,1,q\n", "utf-8")
    with pytest.raises(Exception, match="Maybe"):
        task_samples(registry, TASK, "dev", tmp_path)


def test_short_row_names_file_and_line(registry, tmp_path):
    (tmp_path / "healthver_dev.csv").write_text("id,evidence,claim,label,topic_ip,question\n1,e,c,Neutral,1,q\n2,e,c\n", "utf-8")
    with pytest.raises(SourceError, match=r"healthver_dev\.csv:3: expected 6 columns"):
        task_samples(registry, TASK, "dev", tmp_path)
