from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_bio_simlex"
TASK = "bio_simlex.sts"
FILE = "Bio-SimLex.txt"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected(score: str) -> str:
    """Half the 0-10 score, rounded half up: an independent reading of the rule."""
    return str(int((Decimal(score) / 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def rows(path):
    return [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_bundled_pairs_and_scores(registry):
    folder = registry.tasks[TASK].bundled
    source = rows(folder / FILE)
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == [
        (f"Term 1: {a}\nTerm 2: {b}", expected(score)) for a, b, score in source]
    outputs = [s["output"] for s in train]
    assert "0" in outputs and "5" in outputs  # both ends of the scale
    ties = [s["output"] for s, (_, _, score) in zip(train, source) if score == "5.00"]
    assert ties == ["3"]  # 5.00 -> 2.5, rounded half up
    assert [s["output"] for s, (_, _, score) in zip(train, source) if score == "4.99"] == ["2"]
    assert [s["id"] for s in train] == [f"{TASK}:train:{i}" for i in range(len(source))]


def test_file_without_final_newline_and_blank_lines(registry, tmp_path):
    # the real file has no newline after its last line; a copy with one, or with CRLF, reads the same
    (tmp_path / FILE).write_bytes(b"bind\tattach\t8.40\r\n\r\nsecrete\tinhibit\t0.00\r\n")
    got = task_samples(registry, TASK, "train", tmp_path)
    assert [s["output"] for s in got] == ["4", "0"]


def test_score_out_of_range_or_missing_column(registry, tmp_path):
    (tmp_path / FILE).write_text("bind\tattach\t10.50\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"score 10.5 is outside the declared range \[0.0, 10.0\]"):
        task_samples(registry, TASK, "train", tmp_path)
    (tmp_path / FILE).write_text("bind\tattach\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=rf"{FILE}:1: expected 3 columns"):
        task_samples(registry, TASK, "train", tmp_path)


def test_real_file(registry, medinst_real_data):
    path = require_path(medinst_real_data / "Bio-SimLex" / "wvlib" / "word-similarities" / "bio-simlex" / FILE)
    with path.open(encoding="utf-8", newline="") as f:
        source = [row for row in csv.reader(f, delimiter="\t") if row]
    train = task_samples(registry, TASK, "train", path.parent)
    assert len(source) == len(train) == 988  # MedINST's count
    assert [s["output"] for s in train] == [expected(score) for _, _, score in source]
    assert [s["input"] for s in train] == [f"Term 1: {a}\nTerm 2: {b}" for a, b, _ in source]
