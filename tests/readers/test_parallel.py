"""Line-aligned parallel text reader."""

from __future__ import annotations

import pytest

from medinst_core.errors import SourceError
from medinst_core.readers.parallel import read_parallel

from ._util import run


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_pairs_languages_and_line_endings(tmp_path):
    zh = write(tmp_path, "nejm.dev.zh", "第一句。\r\n第二句。\r\n".encode())
    en = write(tmp_path, "nejm.dev.en", b"First @-@ sentence .\nSecond sentence .")
    recs = run(read_parallel, {"text_1": zh, "text_2": en}, {"text_1_lang": "zh", "text_2_lang": "en"})
    assert [(r.id, r.text_1, r.text_2, r.text_1_lang, r.text_2_lang) for r in recs] == [
        ("0", "第一句。", "First @-@ sentence .", "zh", "en"),
        ("1", "第二句。", "Second sentence .", "zh", "en"),
    ]
    assert recs[1].source.endswith("nejm.dev.zh:2")


def test_blank_pairs(tmp_path):
    a = write(tmp_path, "a", b"x\n \ny\n")
    b = write(tmp_path, "b", b"X\n\nY\n")
    assert [r.id for r in run(read_parallel, {"text_1": a, "text_2": b})] == ["0", "1", "2"]
    assert [r.id for r in run(read_parallel, {"text_1": a, "text_2": b}, {"skip_blank": True})] == ["0", "2"]
    assert run(read_parallel, {"text_1": a, "text_2": b}, {"strip": False})[1].text_1 == " "


def test_line_count_mismatch_names_both_files_and_counts(tmp_path):
    a = write(tmp_path, "a.zh", b"1\n2\n3\n")
    b = write(tmp_path, "b.en", b"1\n2\n")
    with pytest.raises(SourceError) as info:
        run(read_parallel, {"text_1": a, "text_2": b})
    message = str(info.value)
    assert "a.zh has 3 lines" in message and "b.en has 2 lines" in message
    with pytest.raises(SourceError, match="has 2 lines.*has 3 lines"):
        run(read_parallel, {"text_1": b, "text_2": a})


def test_roles_must_have_one_file(tmp_path):
    a = write(tmp_path, "a", b"1\n")
    with pytest.raises(SourceError, match="role 'text_2'"):
        run(read_parallel, {"text_1": a, "text_2": []})
