from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_mayosrs"
TASK = "mayosrs.sts"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected(mean: str) -> str:
    """(mean - 1) * 5 / 9, rounded half up: 1 -> 0, 10 -> 5."""
    return str(int(((Decimal(mean) - 1) * 5 / 9).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def test_bundled_file(registry):
    folder = registry.tasks[TASK].bundled
    with (folder / "MayoSRS.csv").open(encoding="utf-8", newline="") as f:
        source = list(csv.reader(f))[1:]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == [
        (f"Term 1: {t1}\nTerm 2: {t2}", expected(mean)) for mean, _, _, t1, t2 in source]
    assert [s["output"] for s in train] == ["5", "0", "3", "3", "5"]  # 5.5 -> 2.5, rounded up
    assert train[2]["input"] == "Term 1: Pain, abdominal\nTerm 2: Appendicitis"


def test_header_spelling_does_not_matter_but_its_width_does(registry, tmp_path):
    (tmp_path / "MayoSRS.csv").write_text("mean,cui1,cui2,term1,term2\n4,C1,C2,Fever,Pyrexia\n", encoding="utf-8")
    assert [s["output"] for s in task_samples(registry, TASK, "train", tmp_path)] == ["2"]
    (tmp_path / "MayoSRS.csv").write_text("Mean,TERM1,TERM2\n4,Fever,Pyrexia\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"MayoSRS.csv:1: option columns names 5 columns, the header has 3"):
        task_samples(registry, TASK, "train", tmp_path)


def test_rating_outside_one_to_ten_is_an_error(registry, tmp_path):
    (tmp_path / "MayoSRS.csv").write_text("Mean,CUI1,CUI2,TERM1,TERM2\n0.5,C1,C2,Fever,Pyrexia\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"MayoSRS.csv:2.*score 0.5 is outside the declared range \[1.0, 10.0\]"):
        task_samples(registry, TASK, "train", tmp_path)
