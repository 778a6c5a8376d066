from __future__ import annotations

import csv
import shutil

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_evidence_inference"
TASK = "evidence_inference.qa"
CHOICES = ("significantly increased", "no significant difference", "significantly decreased")
SPLIT_LISTS = {"train": "train", "dev": "validation", "test": "test"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def table(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def expected(folder, split, skip=frozenset({"346"})):
    """(PromptID, question, evidence, label) by BigBIO's rule, computed with the csv module."""
    ids = set((folder / "splits" / f"{SPLIT_LISTS[split]}_article_ids.txt").read_text("utf-8").split())
    first = {}
    for row in table(folder / "annotations_merged.csv"):
        first.setdefault(row["PromptID"], row)
    out = []
    for p in table(folder / "prompts_merged.csv"):
        ann = first.get(p["PromptID"])
        if p["PMCID"] not in ids or ann is None or p["PromptID"] in skip or ann["Label"] not in CHOICES:
            continue
        question = f"Compared to {p['Comparator']} what was the result of {p['Intervention']} on {p['Outcome']}?"
        out.append((p["PromptID"], question, ann["Annotations"].strip(), ann["Label"]))
    return out


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    options = "\nOptions:\n" + "\n".join(f"{line_}. {c}" for line_, c in zip("ABC", CHOICES))
    for split in ("train", "dev", "test"):
        got = task_samples(registry, TASK, split, folder, bundled=True)
        want = expected(folder, split)
        assert [s["id"] for s in got] == [f"{TASK}:{split}:{pid}" for pid, *_ in want]
        assert [s["input"] for s in got] == [f"Question: {q}\nEvidence: {e}{options}" for _, q, e, _ in want]
        assert [s["output"] for s in got] == [label for *_, label in want]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # prompt 1 has two annotations: the first one's evidence; 346 is on the README's caveat list
    assert [s["id"].rsplit(":", 1)[1] for s in train] == ["1", "2", "3"]
    assert "fell by 12 mmHg" in train[0]["input"]
    # a multi-line quoted evidence cell
    assert "between groups,\nnor did fasting glucose." in train[2]["input"]
    # prompt 5's first annotation is 'invalid prompt'; prompt 7 (test) has no annotation
    assert [s["id"].rsplit(":", 1)[1] for s in task_samples(registry, TASK, "dev", folder, bundled=True)] == ["4"]
    assert [s["id"].rsplit(":", 1)[1] for s in task_samples(registry, TASK, "test", folder, bundled=True)] == ["6"]


def test_github_layout_with_ev1_and_ev2_lists(registry, tmp_path):
    """jayded/evidence-inference: annotations/ with the merged files and splits/ holding ev1_/ev2_ lists too."""
    shutil.copytree(registry.tasks[TASK].bundled, tmp_path / "annotations")
    (tmp_path / "annotations" / "splits" / "ev2_train_article_ids.txt").write_text("1004\n", "utf-8")
    got = task_samples(registry, TASK, "train", tmp_path)
    assert [s["id"].rsplit(":", 1)[1] for s in got] == ["1", "2", "3"]


def test_missing_split_list_names_role(registry, tmp_path):
    folder = registry.tasks[TASK].bundled
    for name in ("prompts_merged.csv", "annotations_merged.csv"):
        shutil.copy(folder / name, tmp_path / name)
    with pytest.raises(Exception, match="train_article_ids.txt"):
        task_samples(registry, TASK, "train", tmp_path)


def test_unknown_column_names_field(registry, tmp_path):
    folder = registry.tasks[TASK].bundled
    shutil.copytree(folder / "splits", tmp_path / "splits")
    shutil.copy(folder / "annotations_merged.csv", tmp_path / "annotations_merged.csv")
    (tmp_path / "prompts_merged.csv").write_text("PromptID,PMCID,Outcome,Intervention\n1,1001,o,i\n", "utf-8")
    with pytest.raises(SourceError, match=r"prompts_merged\.csv:2.*Comparator|prompts_merged\.csv:2.*question"):
        task_samples(registry, TASK, "train", tmp_path)
