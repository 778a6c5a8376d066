"""Excel workbook reader (xlsx), on workbooks written by the tests."""

from __future__ import annotations

import datetime

import pytest

from medinst_core.errors import MissingExtraError, SourceError
from medinst_core.readers import spreadsheet
from medinst_core.readers.spreadsheet import read_xlsx

from ._util import run

openpyxl = pytest.importorskip("openpyxl")


def workbook(path, sheets):
    """Write ``{sheet name: [rows]}`` (a row is a list of cell values, None for an empty cell)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


T2T = {"record": "t2t", "fields": {"document_id": "File", "text_1": {"path": "CHQ", "strip": True},
                                   "text_2": {"path": "Summary", "strip": True}}}


def test_meqsum_layout(tmp_path):
    """A header with unnamed columns far to the right (cells set there and left empty), newlines inside
    cells, an empty row, a number in a text column."""
    rows = [
        ["File", "CHQ", "Summary"] + [None] * 40 + [""],
        ["1-1.txt", "SUBJECT: dose\nMESSAGE: how much aspirin\nper day?", " How much aspirin per day? "],
        [None, None, None],
        [17, "who makes drug X", "Who makes drug X?"],
    ]
    path = workbook(tmp_path / "MeQSum.xlsx", {"QS": rows})
    recs = run(read_xlsx, {"data": path}, {**T2T, "sheet": "QS"})
    assert [(r.id, r.document_id, r.text_1, r.text_2) for r in recs] == [
        ("0", "1-1.txt", "SUBJECT: dose\nMESSAGE: how much aspirin\nper day?", "How much aspirin per day?"),
        ("1", "17", "who makes drug X", "Who makes drug X?"),
    ]
    assert recs[1].source.endswith("MeQSum.xlsx:sheet 'QS' row 4")


def test_sheet_by_position_and_headerless_columns(tmp_path):
    path = workbook(tmp_path / "w.xlsx", {"notes": [["ignore me"]], "pairs": [
        ["aspirin", "ibuprofen", 3.5, True, datetime.date(2020, 1, 2)],
        ["heart", "lung", 1, False, None],
    ]})
    options = {"record": "pairs", "sheet": 1, "header": False, "columns": ["a", "b", "score", "flag", "day"],
               "fields": {"text_1": "a", "text_2": "b", "score": "score", "label": {"path": "day", "default": "-"}}}
    recs = run(read_xlsx, {"data": path}, options)
    assert [(r.text_1, r.text_2, r.score, r.label) for r in recs] == [
        ("aspirin", "ibuprofen", 3.5, "2020-01-02T00:00:00"), ("heart", "lung", 1.0, "-")]
    # positions without names: paths "0", "1"...
    recs = run(read_xlsx, {"data": path}, {"record": "pairs", "sheet": -1, "header": False,
                                            "fields": {"text_1": "0", "text_2": "1", "score": "2"}})
    assert [r.score for r in recs] == [3.5, 1.0]
    # columns renaming a header: the header row is skipped
    path = workbook(tmp_path / "h.xlsx", {"S": [["x", None, "y"], ["a", None, "b"]]})
    recs = run(read_xlsx, {"data": path}, {"record": "pairs", "columns": ["one", "two"],
                                            "fields": {"text_1": "one", "text_2": "two"}})
    assert [(r.text_1, r.text_2) for r in recs] == [("a", "b")]


def test_errors_name_file_sheet_and_row(tmp_path):
    path = workbook(tmp_path / "MeQSum.xlsx", {"QS": [["File", "CHQ", "Summary"], ["a.txt", "question", None]]})
    with pytest.raises(SourceError, match=r"MeQSum.xlsx: sheet 'QS' row 2: field 'text_2' is missing"):
        run(read_xlsx, {"data": path}, T2T)
    with pytest.raises(SourceError, match=r"MeQSum.xlsx: has no worksheet named 'Sheet1'; its worksheets: QS"):
        run(read_xlsx, {"data": path}, {**T2T, "sheet": "Sheet1"})
    with pytest.raises(SourceError, match=r"has 1 worksheet\(s\) \(QS\); option sheet asks for position 2"):
        run(read_xlsx, {"data": path}, {**T2T, "sheet": 2})
    with pytest.raises(SourceError, match=r"sheet 'QS' row 1: option columns names 2 columns, the header has 3"):
        run(read_xlsx, {"data": path}, {**T2T, "columns": ["a", "b"]})
    bad = tmp_path / "broken.xlsx"
    bad.write_bytes(b"PK\x03\x04 this is no workbook")
    with pytest.raises(SourceError, match=r"broken.xlsx: is not a readable .xlsx workbook"):
        run(read_xlsx, {"data": bad}, T2T)
    text = tmp_path / "text.xlsx"
    text.write_text("File,CHQ,Summary\n")
    with pytest.raises(SourceError, match=r"text.xlsx: is not a readable .xlsx workbook"):
        run(read_xlsx, {"data": text}, T2T)


def test_missing_openpyxl_names_the_extra(tmp_path, monkeypatch):
    path = workbook(tmp_path / "MeQSum.xlsx", {"QS": [["File", "CHQ", "Summary"], ["a", "b", "c"]]})
    monkeypatch.setattr(spreadsheet, "_openpyxl", lambda: None)
    with pytest.raises(MissingExtraError, match=r"reading MeQSum.xlsx needs openpyxl: pip install 'medinst-core\[xlsx\]'"):
        run(read_xlsx, {"data": path}, T2T)


def test_rows_are_streamed(tmp_path):
    """The workbook is opened read-only: rows come one at a time, the first before the rest are read."""
    rows = [["File", "CHQ", "Summary"]] + [[f"{i}.txt", f"question {i}", f"summary {i}"] for i in range(2000)]
    path = workbook(tmp_path / "big.xlsx", {"QS": rows})
    from pathlib import Path

    from medinst_core.diagnostics import Diagnostics
    from medinst_core.sources import SourceFiles

    records = read_xlsx(SourceFiles(root=tmp_path, roles={"data": (Path(path),)}), T2T, Diagnostics())
    first = next(records)
    assert (first.document_id, first.text_2) == ("0.txt", "summary 0")
    assert sum(1 for _ in records) == 1999
