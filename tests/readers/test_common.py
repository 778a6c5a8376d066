"""Whole-file reading shared by the readers (medinst_core.readers.files, .jsonstream)."""

from __future__ import annotations

import pytest

from medinst_core.errors import SourceError
from medinst_core.readers.bioc import read_bioc_json
from medinst_core.readers.files import read_bytes, read_text
from medinst_core.readers.jsonstream import load_json
from medinst_core.readers.tabular import read_json

from ._util import run


def test_load_json(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"a": [1, 2],\r\n "b": "\xc3\xa9"}')
    assert load_json(path) == {"a": [1, 2], "b": "é"}
    path.write_text("[]")
    assert load_json(str(path)) == []


def test_malformed_json_names_the_line_where_parsing_stopped(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": [1,\n 2,\n oops]}\n')
    with pytest.raises(SourceError) as info:
        load_json(path)
    assert str(info.value).startswith(f"{path}:3: invalid JSON (")
    with pytest.raises(SourceError, match=r"x\.json:3: bad: unexpected character"):
        load_json(path, message="bad: {error}")


def test_unreadable_files(tmp_path):
    with pytest.raises(SourceError, match=r"absent\.json: cannot be opened"):
        load_json(tmp_path / "absent.json")
    with pytest.raises(SourceError, match="cannot be (opened|read)"):
        read_bytes(tmp_path)  # a folder


def test_read_text_keeps_the_file_exact(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"\xef\xbb\xbfa\r\nb")
    assert read_bytes(path) == b"\xef\xbb\xbfa\r\nb"
    assert read_text(path, bom=True) == "a\r\nb"


@pytest.mark.parametrize(
    "reader, options, message",
    [
        (read_bioc_json, {}, "invalid JSON in 'documents' element 0 ("),  # streamed
        (read_json, {"record": "text", "fields": {"text": "a"}}, "invalid JSON in entry 'documents' ("),  # streamed
    ],
)
def test_the_json_readers_say_where_the_json_breaks(tmp_path, reader, options, message):
    path = tmp_path / "x.json"
    path.write_text('{"documents": [\n  {"id": "1",\n')
    with pytest.raises(SourceError) as info:
        run(reader, {"data": path}, options)
    assert str(info.value).startswith(f"{path}:3: {message}")
