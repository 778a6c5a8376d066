from __future__ import annotations

from pathlib import Path

import pytest
from medinst_biosses.reader import read_biosses

from medinst_core.plugin_api import FileIndex, SourceError
from medinst_core.testing import TaskConformance


class TestBiossesConformance(TaskConformance):
    plugin = "medinst_biosses"
    tasks = ("biosses.sts",)


def _read(folder: Path):
    files = FileIndex(folder).resolve(
        {"data": ["annotation_pairs_scores.tsv", "Annotation-Pairs.docx", "Annotator-Scores.docx", "BIOSSES-Dataset.rar"]},
        what="test",
    )
    return list(read_biosses(files, {}, None))


def _libarchive():
    """libarchive-c with a working system library, or skip."""
    try:
        import libarchive
    except ImportError:
        pytest.skip("the rar extra (libarchive-c) is not installed")
    except (OSError, AttributeError) as exc:
        pytest.skip(f"the libarchive system library is missing: {exc}")
    return libarchive


def test_tsv_scores_are_annotator_means(tmp_path):
    (tmp_path / "annotation_pairs_scores.tsv").write_text(
        "sentence_id\tsentence_1\tsentence_2\tannotator_a\tannotator_b\tannotator_c\tannotator_d\tannotator_e\n"
        "5\tA b.\tC d.\t1\t2\t2\t3\t4\n"
    )
    [record] = _read(tmp_path)
    assert (record.id, record.text_1, record.text_2, record.score) == ("5", "A b.", "C d.", 2.4)


def test_tsv_with_bom_and_crlf_gives_the_published_splits(tmp_path):
    """The 100-pair TSV saved with a byte-order mark and Windows line ends: 64 / 16 / 20 samples."""
    from medinst_core.testing import plugin_registry, task_samples

    header = "sentence_id\tsentence_1\tsentence_2\tannotator_a\tannotator_b\tannotator_c\tannotator_d\tannotator_e"
    rows = [f"{i}\tSentence {i} a.\tSentence {i} b. \t{i % 5}\t{i % 5}\t{(i + 1) % 5}\t{i % 5}\t{i % 5}" for i in range(1, 101)]
    folder = tmp_path / "biosses"
    folder.mkdir()
    (folder / "annotation_pairs_scores.tsv").write_bytes(("\ufeff" + "\r\n".join([header, *rows]) + "\r\n").encode("utf-8"))
    registry = plugin_registry("medinst_biosses")
    got = {split: task_samples(registry, "biosses.sts", split, tmp_path) for split in ("train", "dev", "test")}
    assert {split: len(samples) for split, samples in got.items()} == {"train": 64, "dev": 16, "test": 20}
    assert [s["id"] for s in got["train"][:3]] == ["biosses.sts:train:1", "biosses.sts:train:3", "biosses.sts:train:4"]
    pair = next(s for s in got["train"] if s["id"] == "biosses.sts:train:78")  # scores 3, 3, 4, 3, 3: mean 3.2
    assert pair["output"] == "3"
    assert pair["input"] == "Sentence 1: Sentence 78 a.\nSentence 2: Sentence 78 b."


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


def _write_word_tables(folder: Path):
    docx = pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    pairs = docx.Document()
    table = pairs.add_table(rows=3, cols=3)
    for row, cells in zip(table.rows, [["", "Sentence 1", "Sentence 2"], ["1 ", "First a.", "First b."], ["2", "Second a.", "Second b."]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    pairs.save(folder / "Annotation-Pairs.docx")
    scores = docx.Document()
    table = scores.add_table(rows=3, cols=6)
    for row, cells in zip(table.rows, [["Sentence No"] + [f"Annotator {c}" for c in "ABCDE"], ["2", "0", "0", "1", "0", "0"], ["1", "4", "4", "4", "3", "4"]]):
        for cell, text in zip(row.cells, cells):
            cell.text = text
    scores.save(folder / "Annotator-Scores.docx")


def test_docx_tables(tmp_path):
    _write_word_tables(tmp_path)
    records = _read(tmp_path)
    assert [(r.id, r.text_1, r.score) for r in records] == [("1", "First a.", 3.8), ("2", "Second a.", 0.2)]


def test_word_tables_inside_the_archive(tmp_path):
    """The archive is read by libarchive, which recognises the format from the
    bytes; RAR cannot be written here, so the same layout is packed as a zip."""
    import zipfile

    _libarchive()
    unpacked = tmp_path / "unpacked"
    unpacked.mkdir()
    _write_word_tables(unpacked)
    download = tmp_path / "download"
    download.mkdir()
    with zipfile.ZipFile(download / "BIOSSES-Dataset.rar", "w") as z:
        z.writestr("BIOSSES-Dataset/", "")
        for name in ("Annotation-Pairs.docx", "Annotator-Scores.docx"):
            z.write(unpacked / name, f"BIOSSES-Dataset/{name}")
    records = _read(download)
    assert [(r.id, r.text_1, r.score) for r in records] == [("1", "First a.", 3.8), ("2", "Second a.", 0.2)]
    assert records[0].source.startswith(str(download / "BIOSSES-Dataset.rar" / "Annotation-Pairs.docx"))


def test_archive_errors(tmp_path, monkeypatch):
    import sys
    import zipfile

    from medinst_core.plugin_api import MissingExtraError

    _libarchive()
    (tmp_path / "BIOSSES-Dataset.rar").write_bytes(b"Rar!\x1a\x07\x00 cut short")
    with pytest.raises(SourceError, match="BIOSSES-Dataset.rar: is not a readable RAR archive"):
        _read(tmp_path)
    with zipfile.ZipFile(tmp_path / "BIOSSES-Dataset.rar", "w") as z:
        z.writestr("BIOSSES-Dataset/Annotation-Pairs.docx", b"x")
    with pytest.raises(SourceError, match="missing Annotator-Scores.docx"):
        _read(tmp_path)
    monkeypatch.setitem(sys.modules, "libarchive", None)  # as if the extra were not installed
    with pytest.raises(MissingExtraError, match=r"pip install 'medinst-biosses\[rar\]'"):
        _read(tmp_path)


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


def test_real_archive_equals_the_unpacked_tables(medinst_real_data):
    folder = medinst_real_data / "BIOSSES"
    if not (folder / "BIOSSES-Dataset.rar").is_file() or not (folder / "extracted").is_dir():
        pytest.skip(f"real BIOSSES files not present under {folder}")
    pytest.importorskip("docx", reason="the docx extra (python-docx) is not installed")
    _libarchive()
    from medinst_core.plugin_api import SourceFiles

    from_rar = list(read_biosses(SourceFiles(folder, {"data": (folder / "BIOSSES-Dataset.rar",)}), {}, None))
    assert [(r.id, r.text_1, r.text_2, r.score) for r in from_rar] == [(r.id, r.text_1, r.text_2, r.score) for r in _read(folder)]
    assert len(from_rar) == 100
