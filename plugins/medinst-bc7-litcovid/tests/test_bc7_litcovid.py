from __future__ import annotations

import csv

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_bc7_litcovid"
TASK = "bc7_litcovid.txtclass"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected(path):
    """Rows with a PMID, an abstract and a label (BigBIO's rule), read with the csv module."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["pmid"] and r["abstract"] and r["label"]]
    return [(r["abstract"].strip(), ", ".join(line_.strip() for line_ in r["label"].split(";"))) for r in rows]


@pytest.mark.parametrize("split, name", [("train", "Train"), ("dev", "Test-GS"), ("test", "Dev")])
def test_splits_follow_medinst(registry, split, name):
    folder = registry.tasks[TASK].bundled
    got = task_samples(registry, TASK, split, folder, bundled=True)
    assert [(s["input"], s["output"]) for s in got] == expected(folder / f"BC7-LitCovid-{name}.csv")


def test_rows_without_abstract_or_pmid_are_left_out_and_labels_split(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [s["id"].rsplit(":", 1)[1] for s in train] == ["0", "1", "3"]  # row 2 has no abstract
    assert [s["output"] for s in train] == ["Case Report, Diagnosis", "Epidemic Forecasting", "Mechanism, Treatment"]
    assert "\nThe model was validated" in train[1]["input"]  # a newline inside a quoted cell
    assert len(task_samples(registry, TASK, "dev", folder, bundled=True)) == 1  # Test-GS: the row without PMID is out
