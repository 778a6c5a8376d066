from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_umnsrs"
TASK = "umnsrs.sts"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected(mean: str) -> str:
    return str(int((Decimal(mean) * 5 / 1600).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def read(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.reader(f))[1:]


def test_bundled_files_say_which_judgement(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # similarity pairs first, then relatedness pairs; the _mod449 subset is not read
    want = [(f"Judgement: {kind}\nTerm 1: {t1}\nTerm 2: {t2}", expected(mean))
            for kind in ("similarity", "relatedness")
            for mean, _, t1, t2, _, _ in read(folder / f"UMNSRS_{kind}.csv")]
    assert [(s["input"], s["output"]) for s in train] == want
    assert len(train) == 6 and not any("NOT" in s["input"] for s in train)
    # the same pair (Heart, Lung) asked twice, once for each judgement
    assert [s["output"] for s in train if "Term 1: Heart\n" in s["input"]] == ["3", "5"]  # 800 -> 2.5 -> 3; 1600
    assert train[4]["input"].endswith("Term 2: Cataract, senile")  # a quoted term; CRLF line ends


def test_rating_above_the_bar_is_an_error(registry, tmp_path):
    (tmp_path / "UMNSRS_similarity.csv").write_text("Mean,Std,Term1,Term2,CUI1,CUI2\n1700,1,a,b,C1,C2\n")
    (tmp_path / "UMNSRS_relatedness.csv").write_text("Mean,Std,Term1,Term2,CUI1,CUI2\n1,1,a,b,C1,C2\n")
    with pytest.raises(MedinstError, match=r"UMNSRS_similarity.csv:2.*score 1700.0 is outside the declared range"):
        task_samples(registry, TASK, "train", tmp_path)


def test_both_files_are_needed(registry, tmp_path):
    (tmp_path / "UMNSRS_similarity.csv").write_text("Mean,Std,Term1,Term2,CUI1,CUI2\n1,1,a,b,C1,C2\n")
    with pytest.raises(MedinstError, match=r"no file matching \(relatedness: UMNSRS_relatedness.csv\)"):
        task_samples(registry, TASK, "train", tmp_path)
