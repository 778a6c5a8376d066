"""The line cap of line-based reading (issue #21): a line longer than
``MEDINST_MAX_LINE`` is an error naming the file and line, raised before the
line is held whole; lines up to the cap read as before."""

from __future__ import annotations

import gzip
import tracemalloc

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError, UsageError
from medinst_core.readers.files import DEFAULT_LINE_CAP, iter_lines, line_cap, open_binary, read_text
from medinst_core.readers.jsonstream import iter_json_lines
from medinst_core.sources import SourceFiles


@pytest.fixture
def cap_1k(monkeypatch):
    monkeypatch.setenv("MEDINST_MAX_LINE", "1K")


@pytest.mark.parametrize(
    "value, cap", [("", DEFAULT_LINE_CAP), ("100", 100), ("2K", 2048), ("64M", 64 << 20), ("1GiB", 1 << 30), ("3mb", 3 << 20)]
)
def test_the_cap_comes_from_the_environment(monkeypatch, value, cap):
    monkeypatch.setenv("MEDINST_MAX_LINE", value)
    assert line_cap() == cap


def test_a_malformed_cap_is_a_usage_error(monkeypatch):
    monkeypatch.setenv("MEDINST_MAX_LINE", "lots")
    with pytest.raises(UsageError, match="MEDINST_MAX_LINE"):
        line_cap()


@pytest.mark.parametrize("long_line", [2, 5])
@pytest.mark.parametrize("final_newline", [True, False])
def test_a_line_over_the_cap_is_an_error_naming_file_and_line(tmp_path, cap_1k, long_line, final_newline):
    lines = ["short"] * 5
    lines[long_line - 1] = "x" * 1025
    path = tmp_path / "x.txt"
    path.write_text("\n".join(lines) + ("\n" if final_newline else ""))
    with pytest.raises(SourceError) as err:
        list(iter_lines(path))
    assert err.value.line == long_line and str(path) in str(err.value)
    assert "longer than 1024 bytes" in str(err.value) and "MEDINST_MAX_LINE" in str(err.value)


def test_lines_up_to_the_cap_read_as_before(tmp_path, cap_1k):
    lines = ["x" * 1024, "", "y" * 1023 + "\r", "é" * 512, "z"]
    path = tmp_path / "x.txt"
    path.write_text("\n".join(lines) + "\n")
    assert [line for _, line in iter_lines(path)] == ["x" * 1024, "", "y" * 1023, "é" * 512, "z"]
    assert read_text(path) == "\n".join(lines) + "\n"  # whole-file reads have no cap


def test_the_cap_applies_to_decompressed_lines(tmp_path, cap_1k):
    path = tmp_path / "x.txt.gz"
    path.write_bytes(gzip.compress(b"a\nb\n" + b"x" * 100_000 + b"\nc\n"))
    with pytest.raises(SourceError) as err:
        list(iter_lines(path))
    assert err.value.line == 3


def test_jsonl_and_pubtator_lines_are_capped(tmp_path, cap_1k):
    from medinst_core.readers.pubtator import read_pubtator

    jsonl = tmp_path / "x.jsonl"
    jsonl.write_text('{"a": 1}\n{"a": "' + "x" * 2000 + '"}\n')
    with pytest.raises(SourceError) as err:
        list(iter_json_lines(jsonl))
    assert err.value.line == 2
    pubtator = tmp_path / "x.PubTator.txt"
    pubtator.write_text("1|t|Title\n1|a|" + "word " * 400 + "\n\n")
    with pytest.raises(SourceError) as err:
        list(read_pubtator(SourceFiles(tmp_path, {"data": (pubtator,)}), {}, Diagnostics()))
    assert err.value.line == 2 and "x.PubTator.txt" in str(err.value)


def test_a_long_line_is_never_held_whole(tmp_path, monkeypatch):
    """20 MB on one line with a 1 MiB cap: the reading stops having held
    about the cap (and a chunk), not the line."""
    monkeypatch.setenv("MEDINST_MAX_LINE", "1M")
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.write(b"first\n")
        for _ in range(20):
            f.write(b"x" * (1 << 20))
        f.write(b"\n")
    tracemalloc.start()
    try:
        with pytest.raises(SourceError) as err:
            for _ in iter_lines(path):
                pass
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert err.value.line == 2
    assert peak < 4 << 20, f"peak {peak / (1 << 20):.1f} MiB"


def test_binary_reads_without_a_cap_are_unchanged(tmp_path, cap_1k):
    path = tmp_path / "x.json"
    path.write_bytes(b'{"a": "' + b"x" * 5000 + b'"}')
    with open_binary(path) as f:
        assert len(f.read()) == 5009
    with open_binary(path, max_line=line_cap()) as f, pytest.raises(SourceError):
        f.read()
