from __future__ import annotations

import json
from pathlib import Path

import pytest

from medinst_core.plugin_api import MedinstError, SourceError
from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    samples_of_files,
    task_samples,
)

PLUGIN = "medinst_medqa"
TASK = "medqa.qa"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


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


def test_data_clean_archive_layout(registry, tmp_path):
    """data_clean.zip unpacked: the three US files are read; the four-option files, the US question bank and
    the Mainland / Taiwan files with the same names are not."""
    questions = tmp_path / "data_clean" / "questions"

    def write(relative: str, rows: list[dict]) -> None:
        path = questions / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")

    def row(n: int, letters: str = "ABCDE", **extra) -> dict:
        options = {k: f"option {k} of {n}" for k in letters}
        return {"question": f"Question {n}?", "answer": options["C"], "options": options, "meta_info": "step1",
                "answer_idx": "C", **extra}

    for split, first in (("train", 0), ("dev", 100), ("test", 200)):
        write(f"US/{split}.jsonl", [row(first + i) for i in range(3 if split == "train" else 2)])
        write(f"US/4_options/phrases_no_exclude_{split}.jsonl",
              [row(first + 50, "ABCD", metamap_phrases=["phrase"])])
        write(f"Mainland/{split}.jsonl", [row(first + 70)])
        write(f"Taiwan/{split}.jsonl", [row(first + 80)])
    write("US/US_qbank.jsonl", [row(999)])
    numbers = {split: [s["input"].split("?", 1)[0] for s in task_samples(registry, TASK, split, tmp_path)]
               for split in ("train", "dev", "test")}
    assert numbers == {"train": ["Question: Question 0", "Question: Question 1", "Question: Question 2"],
                       "dev": ["Question: Question 200", "Question: Question 201"],  # test.jsonl
                       "test": ["Question: Question 100", "Question: Question 101"]}  # dev.jsonl
    sample = task_samples(registry, TASK, "train", tmp_path)[0]
    assert sample["output"] == "option C of 0" and sample["input"].endswith("\nE. option E of 0")


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
        n = sum(1 for line in (us / name).read_text(encoding="utf-8").splitlines() if line.strip())
        assert n == expected[split]
        got = samples_of_files(registry, TASK, split, us / name)
        assert len(got) == n
