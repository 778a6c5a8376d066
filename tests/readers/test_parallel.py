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


def test_several_pairs_by_stem_with_languages_from_suffix(tmp_path):
    """SciELO: en_es.en/en_es.es and en_pt.en/en_pt.pt in one split, read pair after pair."""
    files_1 = [write(tmp_path, "en_pt.en", b"Heart.\nLung.\n"), write(tmp_path, "en_es.en", b"Liver.\n")]
    files_2 = [write(tmp_path, "en_es.es", "Hígado.\n".encode()), write(tmp_path, "en_pt.pt", "Coração.\nPulmão.\n".encode())]
    recs = run(read_parallel, {"text_1": files_1, "text_2": files_2}, {"pair_by": "stem", "languages_from_suffix": True})
    assert [(r.id, r.text_1, r.text_2, r.text_1_lang, r.text_2_lang) for r in recs] == [
        ("en_es_0", "Liver.", "Hígado.", "en", "es"),
        ("en_pt_0", "Heart.", "Coração.", "en", "pt"),
        ("en_pt_1", "Lung.", "Pulmão.", "en", "pt"),
    ]
    assert recs[2].source.endswith("en_pt.en:2")
    # one pair alone works the same way; without languages_from_suffix the options' languages are used
    recs = run(read_parallel, {"text_1": files_1[1], "text_2": files_2[0]}, {"pair_by": "stem", "text_2_lang": "x"})
    assert [(r.id, r.text_2_lang) for r in recs] == [("en_es_0", "x")]


def test_stem_pairing_errors_name_the_file(tmp_path):
    a = write(tmp_path, "en_es.en", b"a\n")
    b = write(tmp_path, "en_pt.pt", b"b\n")
    with pytest.raises(SourceError, match=r"en_es.en: has no parallel file: no text_2 file is named en_es.<suffix>"):
        run(read_parallel, {"text_1": a, "text_2": b}, {"pair_by": "stem"})
    sub = tmp_path / "copy"
    sub.mkdir()
    c = write(sub, "en_es.en", b"a\n")
    with pytest.raises(SourceError, match=r"two text_1 files share the name en_es"):
        run(read_parallel, {"text_1": [a, c], "text_2": write(tmp_path, "en_es.es", b"b\n")}, {"pair_by": "stem"})
    d = write(tmp_path, "en_es.es", b"b\nc\n")
    with pytest.raises(SourceError, match=r"different line counts: .*en_es.en has 1 lines, .*en_es.es has 2"):
        run(read_parallel, {"text_1": a, "text_2": d}, {"pair_by": "stem"})
