"""Byte ranges of the line formats: JSON Lines, CSV/TSV and CoNLL (see :mod:`.ranges`).

Cut points are line starts (JSON Lines, CSV) or the starts of sentences after
blank lines (CoNLL).  The counters at a cut are counted from bytes where that
is plain, and by reading the range with the reader itself otherwise:

* JSON Lines: ``index`` (non-blank lines before) and ``line``; exact from bytes.
* CSV/TSV: ``index`` (rows before, header and blank rows excluded) and
  ``line``.  A line with an odd number of quote characters (a quoted field may
  hold a newline), a quoted line without delimiter, or a lone carriage return
  make the range be counted by the CSV reader itself.  A cut inside a quoted
  field is not certain from bytes: the range before it then ends inside the
  field, which its reading reports (the pipeline then builds the split whole).
* CoNLL: ``n`` (sentences), ``doc`` (document lines) and ``line``; blocks
  between blank lines are one sentence unless they hold a document or comment
  line or an unusual white-space line, which are followed line by line with the
  reader's rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ..default_plugins.readers import CONLL_OPTIONS, TABULAR_OPTIONS
from ..options import with_defaults
from .ranges import Part, find_cuts, iter_chunks, line_ends, open_range_text, plain_file, state_after

_BOM = b"\xef\xbb\xbf"
#: encodings in which byte 0x0A is always a line end and never part of a character
_ASCII_SAFE = {"utf-8", "utf8", "utf-8-sig", "ascii", "us-ascii", "latin-1", "latin1", "iso-8859-1", "cp1252"}


def _after_newline(window: bytes, at: int) -> int | None:
    i = window.find(b"\n", at)
    return None if i < 0 else i + 1


def _single_file(files: Any, roles: Any) -> Path | None:
    paths = [p for role in (roles or ("data",)) for p in files.all(role)]
    if len(paths) != 1 or not plain_file(paths[0]):
        return None
    return paths[0]


def _tabular_cuttable(options: Mapping[str, Any]) -> bool:
    """Record ids declared and checked for uniqueness across the split are not cut."""
    fields = options.get("fields")
    return not (isinstance(fields, Mapping) and "id" in fields and options.get("unique_ids", True))


class JsonlRanges:
    """JSON Lines (``non_finite: error``)."""

    def initial(self, options: Mapping[str, Any]) -> dict[str, int]:
        return {"index": 0, "line": 1}

    def cuts(self, files: Any, options: Mapping[str, Any], parts: int) -> tuple[Path, list[int]] | None:
        options = with_defaults(TABULAR_OPTIONS["jsonl"], options)
        path = _single_file(files, options.get("roles"))
        if path is None or options.get("non_finite", "error") != "error" or not _tabular_cuttable(options):
            return None
        return path, find_cuts(path, parts, _after_newline)

    def count(self, path: Path, options: Mapping[str, Any], start: int, end: int, base: dict[str, int]) -> dict[str, int]:
        index, line = base["index"], base["line"]
        for chunk in iter_chunks(path, start, end):
            if start == 0 and line == base["line"] and chunk.startswith(_BOM):
                chunk = chunk[3:]
            lines = chunk.split(b"\n")
            if lines[-1] == b"":
                lines.pop()
            line += len(lines)
            index += sum(1 for x in lines if x.strip())
        return {"index": index, "line": line}


class CsvRanges:
    """CSV and TSV; ``rows(path, fmt, options, part)`` is the reader's row loop
    (for the exact count) and ``row_options(fmt, options)`` its option defaults."""

    def __init__(self, fmt: str, rows: Callable[..., Iterator[Any]], row_options: Callable[..., dict[str, Any]]):
        self.fmt = fmt
        self.rows = rows
        self.row_options = row_options

    def initial(self, options: Mapping[str, Any]) -> dict[str, int]:
        return {"index": 0, "line": 1}

    def cuts(self, files: Any, options: Mapping[str, Any], parts: int) -> tuple[Path, list[int]] | None:
        options = with_defaults(TABULAR_OPTIONS[self.fmt], options)
        path = _single_file(files, options.get("roles"))
        rows = self.row_options(self.fmt, options)
        if path is None or not _tabular_cuttable(options) or str(rows["encoding"]).lower() not in _ASCII_SAFE:
            return None
        quote = b'"' if rows["quoting"] != "none" else None

        def boundary(window: bytes, at: int) -> int | None:
            # a line start between two lines with balanced quotes (checked again when read)
            for _ in range(200):
                i = window.find(b"\n", at)
                j = window.find(b"\n", i + 1)
                if i < 0 or j < 0:
                    return None
                before = window[window.rfind(b"\n", 0, i) + 1 : i]
                after = window[i + 1 : j]
                if quote is None or (before.count(quote) % 2 == 0 and after.count(quote) % 2 == 0):
                    return i + 1
                at = i + 1
            return None

        return path, find_cuts(path, parts, boundary)

    def count(self, path: Path, options: Mapping[str, Any], start: int, end: int, base: dict[str, int]) -> dict[str, int]:
        rows = self.row_options(self.fmt, options)
        counted = self._from_bytes(path, rows, start, end, base)
        if counted is not None:
            return counted
        return state_after(lambda part: self.rows(path, self.fmt, options, part), Part(path, start, end, dict(base)))

    def _from_bytes(
        self, path: Path, rows: Mapping[str, Any], start: int, end: int, base: dict[str, int]
    ) -> dict[str, int] | None:
        index, line = base["index"], base["line"]
        encoding = str(rows["encoding"])
        # (encoding the delimiter with utf-8-sig would put a BOM before it)
        delimiter = str(rows["delimiter"]).encode("utf-8" if encoding.lower() == "utf-8-sig" else encoding)
        quote = b'"' if rows["quoting"] != "none" else None
        # a line without the delimiter is a one-field row: blank when only white space
        # (found from the line end before it: a pattern starting with ^ would be tried at every byte)
        lone = re.compile(b"\\n([^" + re.escape(delimiter) + b"\\n]*)(?=\\n|\\Z)")
        header = start == 0 and bool(rows["header"])
        first = True
        for chunk in iter_chunks(path, start, end):
            if first and start == 0 and encoding.lower() == "utf-8-sig" and chunk.startswith(_BOM):
                chunk = chunk[3:]
            first = False
            if line_ends(chunk) is None:
                return None
            ended = chunk.endswith(b"\n")
            rows_here = chunk.count(b"\n") + (0 if ended else 1)
            line += rows_here
            head = chunk[: chunk.find(b"\n")] if b"\n" in chunk else chunk
            lines = [head] if delimiter not in head else []
            lines += [m.group(1) for m in lone.finditer(chunk) if not (ended and m.end() == len(chunk))]
            for x in lines:
                if quote is not None and quote in x:
                    return None
                if not x.decode(encoding, "replace").strip():
                    rows_here -= 1
            if quote is not None:
                # a line with an odd number of quotes may hold a field's line break
                at = chunk.find(quote)
                while at >= 0:
                    lo = chunk.rfind(b"\n", 0, at) + 1
                    hi = chunk.find(b"\n", at)
                    hi = len(chunk) if hi < 0 else hi
                    if chunk.count(quote, lo, hi) % 2:
                        return None
                    at = chunk.find(quote, hi)
            if header and rows_here:
                header = False
                rows_here -= 1
            index += rows_here
        return {"index": index, "line": line}


#: as the CoNLL reader's sentence separator
_SEPARATOR = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_SEPARATOR_BYTES = re.compile(rb"\n(?:[ \t\r\f\v]*\n)+")
#: white space other than the separator's, which ends a sentence when alone on a line
_OTHER_SPACE = re.compile("[\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
_CONLL_DEFAULTS = (("document_prefix", None), ("unit", "sentence"), ("offset_columns", None), ("tag_split", None))


class ConllRanges:
    """CoNLL in its default layout (UTF-8, one record per sentence); ``blocks``
    is the reader's block splitter."""

    def __init__(self, blocks: Callable[..., Iterator[tuple[int, str, bool]]]):
        self.blocks = blocks

    def initial(self, options: Mapping[str, Any]) -> dict[str, int]:
        return {"n": 0, "doc": -1, "line": 1}

    def cuts(self, files: Any, options: Mapping[str, Any], parts: int) -> tuple[Path, list[int]] | None:
        options = with_defaults(CONLL_OPTIONS, options)
        path = _single_file(files, ("data",))
        if path is None or (options.get("encoding") or "utf-8").lower().replace("_", "-") not in ("utf-8", "utf8") or any(
            options.get(k) not in (None, default) for k, default in _CONLL_DEFAULTS
        ):
            return None

        def boundary(window: bytes, at: int) -> int | None:
            m = _SEPARATOR_BYTES.search(window, max(at - 1, 0))
            # the whole run of blank lines must be inside the window
            return None if m is None or m.end() >= len(window) else m.end()

        return path, find_cuts(path, parts, boundary)

    def count(self, path: Path, options: Mapping[str, Any], start: int, end: int, base: dict[str, int]) -> dict[str, int]:
        options = with_defaults(CONLL_OPTIONS, options)
        docstart = options.get("docstart", "-DOCSTART-")
        comment = options.get("comment_prefix")
        n, doc, line = base["n"], base["doc"], base["line"]
        lines_in = 0
        with open_range_text(Part(path, start, end)) as f:
            for _lineno, block, last in self.blocks(f):
                if not last and not (docstart and docstart in block) and not (comment and comment in block) and (
                    _OTHER_SPACE.search(block) is None
                ):
                    n += 1
                    continue
                open_sentence = False
                for text in block.split("\n"):
                    if not text or text.isspace():
                        if open_sentence:
                            n += 1
                            open_sentence = False
                        continue
                    if comment and text.startswith(comment):
                        continue
                    if docstart and text.lstrip().startswith(docstart):
                        if open_sentence:
                            n += 1
                            open_sentence = False
                        doc += 1
                        continue
                    open_sentence = True
                if open_sentence:
                    n += 1
        for chunk in iter_chunks(path, start, end):
            lines_in += chunk.count(b"\n")
        return {"n": n, "doc": doc, "line": line + lines_in}
