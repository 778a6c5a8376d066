from __future__ import annotations

import csv

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_medical_data"
TASK = "medical_data.textpairclass"
NAMES = {"0": "neutral", "1": "negative", "2": "positive"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_training_file(registry):
    folder = registry.tasks[TASK].bundled
    with (folder / "train_F3WbcTw.csv").open(encoding="utf-8", newline="") as f:
        source = list(csv.DictReader(f))
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["id"], s["input"], s["output"]) for s in train] == [
        (f"{TASK}:train:{r['unique_hash']}", f"Text: {r['text'].strip()}\nDrug: {r['drug']}", NAMES[r["sentiment"]])
        for r in source]
    assert "\n\nWill ask to stop it." in train[1]["input"]  # a quoted text over several lines
    assert {s["output"] for s in train} == {"neutral", "negative", "positive"}
    # the unlabelled test file is not read: there is no dev or test split
    assert registry.tasks[TASK].splits == ("train",) or list(registry.tasks[TASK].splits) == ["train"]


def test_unknown_sentiment_and_repeated_hash_are_errors(registry, tmp_path):
    (tmp_path / "train_F3WbcTw.csv").write_text("unique_hash,text,drug,sentiment\nab,fine,x,3\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"record ab: label '3' is not one of \['0', '1', '2'\]"):
        task_samples(registry, TASK, "train", tmp_path)
    (tmp_path / "train_F3WbcTw.csv").write_text("unique_hash,text,drug,sentiment\nab,a,x,1\nab,b,y,2\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"train_F3WbcTw.csv:3: record id 'ab' occurs twice"):
        task_samples(registry, TASK, "train", tmp_path)
