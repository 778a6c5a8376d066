from __future__ import annotations

import json
from pathlib import Path

import pytest

from medinst_core.errors import MedinstError, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, samples_of_files, task_samples

PLUGIN = "medinst_medqa"
TASK = "medqa.qa"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def lines(path: Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def test_dev_and_test_are_swapped_like_medinst(registry):
    folder = registry.tasks[TASK].bundled
    # our dev split is the distribution's test.jsonl, our test split its dev.jsonl
    dev = task_samples(registry, TASK, "dev", folder, bundled=True)
    test = task_samples(registry, TASK, "test", folder, bundled=True)
    assert [s["output"] for s in dev] == [q["answer"] for q in lines(folder / "US" / "test.jsonl")]
    assert [s["output"] for s in test] == [q["answer"] for q in lines(folder / "US" / "dev.jsonl")]


def test_every_bundled_question(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in (("train", "train.jsonl"), ("dev", "test.jsonl"), ("test", "dev.jsonl")):
        got = task_samples(registry, TASK, split, folder, bundled=True)
        source = lines(folder / "US" / name)
        assert len(got) == len(source)
        for sample, q in zip(got, source):
            # the gold is the text of the option named by answer_idx, which is the answer field
            assert sample["output"] == q["options"][q["answer_idx"]] == q["answer"]
            assert sample["input"].startswith("Question: " + q["question"] + "\nOptions:\n")
            listed = sample["input"].split("\nOptions:\n", 1)[1].split("\n")
            assert listed == [f"{k}. {v}" for k, v in q["options"].items()]


def test_four_option_files_are_not_read(registry):
    # US/4_options/phrases_no_exclude_train.jsonl sits next to US/train.jsonl in the archive
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert len(train) == len(lines(folder / "US" / "train.jsonl")) == 3


def test_answer_letter_outside_the_options_is_an_error(registry, tmp_path):
    us = tmp_path / "US"
    us.mkdir()
    row = {"question": "q?", "answer": "x", "options": {"A": "x", "B": "y"}, "answer_idx": "F"}
    (us / "train.jsonl").write_text(json.dumps(row) + "\n")
    with pytest.raises(SourceError, match="'F' is not one of the options"):
        task_samples(registry, TASK, "train", tmp_path)


def test_invalid_line_is_reported_with_its_number(registry, tmp_path):
    us = tmp_path / "US"
    us.mkdir()
    good = json.dumps({"question": "q?", "answer": "x", "options": {"A": "x"}, "answer_idx": "A"})
    (us / "train.jsonl").write_text(good + "\n" + '{"question": "broken' + "\n")
    with pytest.raises(SourceError, match="invalid JSON") as info:
        task_samples(registry, TASK, "train", tmp_path)
    assert "train.jsonl:2:" in str(info.value)


def test_missing_question_names_the_field(registry, tmp_path):
    us = tmp_path / "US"
    us.mkdir()
    (us / "train.jsonl").write_text(json.dumps({"options": {"A": "x"}, "answer_idx": "A"}) + "\n")
    with pytest.raises(MedinstError, match="field 'question' is missing"):
        task_samples(registry, TASK, "train", tmp_path)


def test_real_files_if_present(registry, medinst_real_data):
    # MedQA is not among the shared real files; a user copy (data_clean/questions/US) is used if present
    found = sorted(medinst_real_data.rglob("US/train.jsonl"))
    if not found:
        pytest.skip("MedQA US files not present")
    us = found[0].parent
    expected = {"train": 10178, "dev": 1273, "test": 1272}
    for split, name in (("train", "train.jsonl"), ("dev", "test.jsonl"), ("test", "dev.jsonl")):
        n = sum(1 for l in (us / name).read_text(encoding="utf-8").splitlines() if l.strip())
        assert n == expected[split]
        got = samples_of_files(registry, TASK, split, us / name)
        assert len(got) == n
