from __future__ import annotations

import sys

import pytest

from medinst_core.plugin_api import MedinstError, MissingExtraError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

openpyxl = pytest.importorskip("openpyxl")

PLUGIN = "medinst_meqsum"
TASK = "meqsum.sum"
FILE = "MeQSum_ACL2019_BenAbacha_Demner-Fushman.xlsx"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def rows(path):
    """(CHQ, Summary) of every non-empty row below the header, read with openpyxl directly."""
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        sheet = wb[wb.sheetnames[0]]
        got = [r[:3] for r in sheet.iter_rows(values_only=True)]
    finally:
        wb.close()
    assert got[0] == ("File", "CHQ", "Summary")
    return [(chq.strip(), summary.strip()) for _, chq, summary in got[1:] if chq is not None]


def test_bundled_workbook(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == rows(folder / FILE)
    assert train[0]["input"].startswith("SUBJECT: lisinopril cough\nMESSAGE: I started")  # newlines inside a cell
    assert train[3]["output"] == "Can vitamin D and calcium be taken with levothyroxine?"  # surrounding spaces dropped
    assert [s["id"] for s in train] == [f"{TASK}:train:{i}" for i in range(4)]  # the empty row is skipped


def test_missing_summary_names_sheet_and_row(registry, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "QS"
    ws.append(["File", "CHQ", "Summary"])
    ws.append(["a.txt", "question", "summary"])
    ws.append(["b.txt", "question without summary", None])
    wb.save(tmp_path / FILE)
    with pytest.raises(MedinstError, match=rf"{FILE}: sheet 'QS' row 3: field 'text_2' is missing"):
        task_samples(registry, TASK, "train", tmp_path)


def test_without_openpyxl_the_error_names_the_extra(registry, monkeypatch):
    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    folder = registry.tasks[TASK].bundled
    with pytest.raises(MissingExtraError, match=r"pip install 'medinst-core\[xlsx\]'"):
        task_samples(registry, TASK, "train", folder, bundled=True)


def test_real_workbook(registry, medinst_real_data):
    path = require_path(medinst_real_data / "MeQSum" / FILE)
    source = rows(path)
    train = task_samples(registry, TASK, "train", path.parent)
    assert len(train) == len(source) == 1000  # MedINST's count
    assert [(s["input"], s["output"]) for s in train] == source
    assert sum(s["input"].startswith("SUBJECT:") for s in train) > 500
