from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.errors import SourceError
from medinst_core.sources import FileIndex
from medinst_core.testing import TaskConformance
from medinst_biosses.reader import read_biosses


class TestBiossesConformance(TaskConformance):
    plugin = "medinst_biosses"
    tasks = ("biosses.sts",)


def _read(folder: Path):
    files = FileIndex(folder).resolve(
        {"data": ["annotation_pairs_scores.tsv", "Annotation-Pairs.docx", "Annotator-Scores.docx"]}, what="test"
    )
    return list(read_biosses(files, {}, None))


def test_tsv_scores_are_annotator_means(tmp_path):
    (tmp_path / "annotation_pairs_scores.tsv").write_text(
        "sentence_id\tsentence_1\tsentence_2\tannotator_a\tannotator_b\tannotator_c\tannotator_d\tannotator_e\n"
        "5\tA b.\tC d.\t1\t2\t2\t3\t4\n"
    )
    [record] = _read(tmp_path)
    assert (record.id, record.text_1, record.text_2, record.score) == ("5", "A b.", "C d.", 2.4)


@pytest.mark.parametrize(
    "row, message",
    [
        ("5\tA\tB\t1\t2\t2\t3\n", "expected 8 tab-separated columns"),
        ("5\tA\tB\t1\t2\t2\t3\tx\n", "expected integer scores"),
        ("5\tA\tB\t1\t2\t2\t3\t9\n", "between 0 and 4"),
    ],
)
def test_tsv_errors_name_file_and_line(tmp_path, row, message):
    (tmp_path / "annotation_pairs_scores.tsv").write_text(
        "sentence_id\tsentence_1\tsentence_2\tannotator_a\tannotator_b\tannotator_c\tannotator_d\tannotator_e\n" + row
    )
    with pytest.raises(SourceError, match=message) as info:
        _read(tmp_path)
    assert str(info.value).startswith(str(tmp_path / "annotation_pairs_scores.tsv") + ":2:")


def test_missing_files_are_named(tmp_path):
    (tmp_path / "Annotation-Pairs.docx").write_bytes(b"")
    with pytest.raises(SourceError, match="Annotator-Scores.docx"):
        _read(tmp_path)


def test_docx_tables(tmp_path):
    docx = pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    pairs = docx.Document()
    table = pairs.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [["", "Sentence 1", "Sentence 2"], ["1 ", "First a.", "First b."], ["2", "Second a.", "Second b."]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    pairs.save(tmp_path / "Annotation-Pairs.docx")
    scores = docx.Document()
    table = scores.add_table(rows=3, cols=6)
    for row, cells in zip(table.rows, [["Sentence No"] + [f"Annotator {c}" for c in "ABCDE"], ["2", "0", "0", "1", "0", "0"], ["1", "4", "4", "4", "3", "4"]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    scores.save(tmp_path / "Annotator-Scores.docx")
    records = _read(tmp_path)
    assert [(r.id, r.text_1, r.score) for r in records] == [("1", "First a.", 3.8), ("2", "Second a.", 0.2)]


def test_real_word_tables(medinst_real_data):
    folder = medinst_real_data / "BIOSSES"
    if not (folder / "extracted").is_dir():
        pytest.skip(f"real BIOSSES files not present under {folder}")
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    records = _read(folder)
    assert len(records) == 100
    assert [r.id for r in records] == [str(i) for i in range(1, 101)]
    assert all(0 <= r.score <= 4 for r in records)
    # pair 1 was scored 4 by every annotator; pair 100 by 2,2,1,2,2 (read from Annotator-Scores.docx)
    assert records[0].score == 4.0
    assert records[-1].score == pytest.approx(1.8)
