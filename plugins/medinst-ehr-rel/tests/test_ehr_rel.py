from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_ehr_rel"
TASK = "ehr_rel.sts"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def rows(folder):
    """Both files, A then B, read with the csv module (tab-separated, CSV quoting)."""
    out = []
    for name in ("EHR-RelA.tsv", "EHR-RelB.tsv"):
        with (folder / name).open(encoding="utf-8", newline="") as f:
            out += list(csv.DictReader(f, delimiter="\t"))
    return out


def expected(mean: str) -> str:
    return str(int(Decimal(mean).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def test_bundled_files(registry):
    folder = registry.tasks[TASK].bundled
    source = rows(folder)
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == [
        (f"Concept 1: {r['snomed_label_1']}\nConcept 2: {r['snomed_label_2']}", expected(r["mean_rating"])) for r in source]
    # the quoted label with doubled quotes, the mean of 1.5 (a tie, rounded up) and 1.67
    assert train[3]["input"].startswith('Concept 1: C/O - "always thirsty"\n')
    assert [s["output"] for s in train[3:5]] == ["2", "2"]
    assert {s["output"] for s in train} == {"0", "1", "2", "3"}


def test_rating_above_three_is_an_error(registry, tmp_path):
    folder = registry.tasks[TASK].bundled
    text = (folder / "EHR-RelA.tsv").read_text(encoding="utf-8").replace("\t2.4\t", "\t3.4\t")
    (tmp_path / "EHR-RelA.tsv").write_text(text, encoding="utf-8")
    (tmp_path / "EHR-RelB.tsv").write_text((folder / "EHR-RelB.tsv").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(MedinstError, match=r"EHR-RelA.tsv:2.*score 3.4 is outside the declared range \[0.0, 3.0\]"):
        task_samples(registry, TASK, "train", tmp_path)


def test_real_files(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "EHR-Rel")
    source = rows(folder)
    train = task_samples(registry, TASK, "train", folder)
    assert len(train) == len(source) == 111 + 3630 == 3741  # MedINST's count
    assert [s["output"] for s in train] == [expected(r["mean_rating"]) for r in source]
    assert [s["input"] for s in train] == [
        f"Concept 1: {r['snomed_label_1']}\nConcept 2: {r['snomed_label_2']}" for r in source]
    assert sum('"' in s["input"] for s in train) == 5  # the quoted labels lose their CSV quoting
