"""Reading PubMedQA's JSON files as distributed (``pubmedqa_json``).

PubMedQA ships each subset as one JSON object keyed by PMID::

    {"21645374": {"QUESTION": "...", "CONTEXTS": ["...", ...], "LABELS": [...],
                  "MESHES": [...], "final_decision": "yes", "LONG_ANSWER": "..."},
     ...}

``ori_pqal.json`` holds the 1,000 expert-labelled questions, ``ori_pqaa.json``
211,269 generated ones (several hundred megabytes).  This reader parses such
an object one entry at a time (the standard library's decoder over a buffered
stream), so memory holds one entry and an index of the PMIDs, not the file; it
can put the entries in the order of the official split, and it reads the
split files that PubMedQA's split script (and BigBIO) derive from the
original files, preferring the original when both are present.

The official order
------------------
``preprocess/split_dataset.py pqaa`` in the PubMedQA repository seeds
Python's ``random`` with 0, shuffles the list of PMIDs (file order) once and
writes the first 200,000 to ``pqaa_train_set.json`` and the remaining 11,269
to ``pqaa_dev_set.json``.  With ``official_order`` set, this reader yields
the entries in that shuffled order, so that the manifest's ``source.select``
position ranges ``[0, 200000)`` and ``[200000, 211269)`` are the official
train and dev sets, in the order of the files the script writes.  To do so it
makes one pass that indexes each entry's PMID and byte span, applies
``random.Random(seed).shuffle`` to the PMIDs, then reads the entries back one
by one from their spans.  The shuffle is deterministic across Python 3
versions; the same script's ``pqal`` branch reproduces the published
``test_ground_truth.json`` exactly, which the plugin's tests check.

BigBIO re-distributes the script's output, ``pqaa_train_set.json`` and
``pqaa_dev_set.json``; read one after the other (``official_order.sequence``)
they give the same sequence of entries, so either layout works.  When both
layouts are present the original file is used and the others are skipped with
a ``pubmedqa_both_layouts`` warning.

PQA-L split files
-----------------
The same script's ``pqal`` branch writes ``test_set.json`` and
``pqal_fold<i>/{train_set,dev_set}.json``; BigBIO distributes them as
``pqal_test_set.json`` and ``pqal_fold<i>/...``.  They hold the entries of
``ori_pqal.json`` (same PMIDs, same fields) in another order.  With
``original`` set (an fnmatch pattern, ``"ori_pqal.json"``), a split whose
files include one so named reads only that one and skips the others with a
``pubmedqa_both_layouts`` warning; without such a file the split files are
read, each in its own order.  The manifest's ``source.select`` lists of PMIDs
then pick the same questions from either layout.

Records
-------
Every entry goes through the core field mapping of the ``json`` reader
(``record``, ``fields``, ``where``... exactly as documented in
:mod:`medinst_core.readers.tabular`), with ``$key`` the PMID and ``$index``
the entry's position in its file; the default record id is the PMID.

Options
-------
the field-mapping options of the core ``jsonl`` reader, plus

``official_order`` (object, optional)
    ``{"seed": 0, "shuffle": "ori_pqaa.json", "sequence": ["pqaa_train_set.json", "pqaa_dev_set.json"]}``:
    files named like ``shuffle`` (an fnmatch pattern) are yielded in the
    order of the seeded shuffle of their PMIDs; files named in ``sequence``
    are yielded one after the other in that order (all of them are needed).
    Without it, every file is read in its own order.
``original`` (str, optional; not with ``official_order``)
    an fnmatch pattern of file names: when a split's files include such a
    file, only those are read (see "PQA-L split files").

Errors
------
Malformed JSON, a document that is not an object, an entry that is not an
object or a repeated PMID is a :class:`~medinst_core.errors.SourceError`
with the file and line; a missing file of ``sequence`` is an error naming it.
"""

from __future__ import annotations

import codecs
import fnmatch
import json
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.readers.tabular import FieldMapping
from medinst_core.sources import SourceFiles

CHUNK = 1 << 20
_WS = " \t\n\r"
_DECODER = json.JSONDecoder()


class Entry(NamedTuple):
    key: str
    value: Any
    line: int
    start: int  # byte offset of the value in the file (with ``spans``; else -1)
    end: int


class _NeedMore(Exception):
    pass


class _ObjectStream:
    """The entries of a file holding one JSON object, parsed incrementally."""

    def __init__(self, path: Path, chunk: int = CHUNK, spans: bool = False):
        self.path = path
        self.chunk = chunk
        self.spans = spans

    def __iter__(self) -> Iterator[Entry]:
        path = self.path
        try:
            raw = open(path, "rb")
        except OSError as exc:
            raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
        with raw:
            self._raw = raw
            self._decoder = codecs.getincrementaldecoder("utf-8")()
            self.buf, self.pos, self.eof = "", 0, False
            self._lc_pos, self._lc_no = 0, 0  # newlines before buf[_lc_pos], counted from the file's start
            self._bc_pos, self._bc_bytes = 0, 0  # byte offset of buf[_bc_pos] in the file
            head = self._read(3)
            if head == codecs.BOM_UTF8:  # a byte-order mark: 3 bytes, not part of the JSON
                self._bc_bytes, head = 3, b""
            self.buf = self._decode(head, final=False)
            self._fill()
            self._skip_ws()
            if self._at_end():
                raise SourceError(path, 1, "expected a JSON object keyed by PMID, found an empty file")
            if self.buf[self.pos] != "{":
                raise self._error(self.pos, f"expected a JSON object keyed by PMID, found {self.buf[self.pos]!r}")
            self.pos += 1
            first = True
            while True:
                start = self.pos
                while True:
                    try:
                        entry = self._entry(first)
                        break
                    except _NeedMore:
                        if self.eof:
                            raise self._error(len(self.buf), "the JSON object is truncated (end of file inside it)") from None
                        self.pos = start
                        # read at least as much again as the entry so far: retries stay linear
                        self._fill(max(self.chunk, len(self.buf) - start))
                if entry is None:
                    break
                first = False
                yield entry
                if self.pos > self.chunk:
                    self._trim()
            self._skip_ws()
            if not self._at_end():
                raise self._error(self.pos, f"unexpected data after the JSON object: {self.buf[self.pos]!r}")

    # -- buffer ---------------------------------------------------------------

    def _fill(self, size: int | None = None) -> None:
        if self.eof:
            return
        data = self._read(size or self.chunk)
        text = self._decode(data, final=not data)
        if not data:
            self.eof = True
        self.buf += text

    def _read(self, size: int) -> bytes:
        try:
            return self._raw.read(size)
        except OSError as exc:
            raise SourceError(self.path, None, f"cannot be read: {exc.strerror or exc}") from None

    def _decode(self, data: bytes, final: bool) -> str:
        try:
            return self._decoder.decode(data, final=final)
        except UnicodeDecodeError as exc:
            raise SourceError(self.path, self._line(len(self.buf)), f"is not valid UTF-8 ({exc.reason})") from None

    def _trim(self) -> None:
        self._line(self.pos)
        if self.spans:
            self._byte(self.pos)
        self.buf = self.buf[self.pos :]
        self.pos = self._lc_pos = self._bc_pos = 0

    def _at_end(self) -> bool:
        while self.pos >= len(self.buf) and not self.eof:
            self._fill()
        return self.pos >= len(self.buf)

    def _skip_ws(self) -> None:
        while True:
            n = len(self.buf)
            while self.pos < n and self.buf[self.pos] in _WS:
                self.pos += 1
            if self.pos < n or self.eof:
                return
            self._fill()

    def _line(self, pos: int) -> int:
        """The 1-based line number of ``buf[pos]`` (counted incrementally)."""
        if pos >= self._lc_pos:
            self._lc_no += self.buf.count("\n", self._lc_pos, pos)
            self._lc_pos = pos
            return self._lc_no + 1
        return self._lc_no - self.buf.count("\n", pos, self._lc_pos) + 1

    def _byte(self, pos: int) -> int:
        """The byte offset of ``buf[pos]`` in the file (positions asked for only grow)."""
        if pos > self._bc_pos:
            self._bc_bytes += len(self.buf[self._bc_pos : pos].encode("utf-8", "surrogatepass"))
            self._bc_pos = pos
        return self._bc_bytes

    def _error(self, pos: int, message: str) -> SourceError:
        return SourceError(self.path, self._line(pos), message)

    # -- one entry --------------------------------------------------------------

    def _ws(self) -> None:
        n = len(self.buf)
        while self.pos < n and self.buf[self.pos] in _WS:
            self.pos += 1
        if self.pos >= n:
            raise _NeedMore

    def _entry(self, first: bool) -> Entry | None:
        """Parse ``[,] "key": value`` (or the closing brace); raise _NeedMore at the buffer's end."""
        buf = self.buf
        self._ws()
        ch = buf[self.pos]
        if ch == "}":
            self.pos += 1
            return None
        if not first:
            if ch != ",":
                raise self._error(self.pos, f"expected ',' or '}}' between entries, found {ch!r}")
            self.pos += 1
            self._ws()
            ch = buf[self.pos]
        if ch != '"':
            raise self._error(self.pos, f"expected a quoted PMID, found {ch!r}")
        line = self._line(self.pos)
        try:
            key, end = json.decoder.scanstring(buf, self.pos + 1)
        except json.JSONDecodeError:
            raise _NeedMore from None  # an unterminated key: more text, or a truncated file
        self.pos = end
        self._ws()
        if buf[self.pos] != ":":
            raise self._error(self.pos, f"expected ':' after the key {key!r}, found {buf[self.pos]!r}")
        self.pos += 1
        self._ws()
        value_pos = self.pos
        try:
            value, end = _DECODER.raw_decode(buf, value_pos)
        except json.JSONDecodeError as exc:
            at_end = exc.msg.startswith("Unterminated string") or exc.pos >= len(buf.rstrip())
            if at_end or (not self.eof and exc.pos >= len(buf) - 64):
                raise _NeedMore from None  # more text, or (at the end of the file) a truncated file
            raise self._error(exc.pos, f"invalid JSON in the entry {key!r} ({exc.msg})") from None
        if (not self.eof and isinstance(value, (int, float)) and not isinstance(value, bool)
                and end >= len(buf) - 64):
            raise _NeedMore  # a number at the buffer's end may continue ("0." of "0.25")
        self.pos = end
        self._ws()
        if self.spans:
            return Entry(key, value, line, self._byte(value_pos), self._byte(end))
        return Entry(key, value, line, -1, -1)


def iter_entries(path: Path, chunk: int = CHUNK, *, spans: bool = False) -> Iterator[Entry]:
    """The entries ``(PMID, value, line, start, end)`` of a PubMedQA JSON file, streamed."""
    return iter(_ObjectStream(Path(path), chunk, spans))


def official_order(path: Path, seed: int) -> Iterator[Entry]:
    """The entries of ``path`` in the order of ``random.Random(seed).shuffle`` of its PMIDs."""
    index: dict[str, tuple[int, int, int]] = {}
    for entry in iter_entries(path, spans=True):
        if entry.key in index:
            raise SourceError(path, entry.line, f"the PMID {entry.key!r} occurs twice")
        index[entry.key] = (entry.start, entry.end, entry.line)
    order = list(index)
    random.Random(seed).shuffle(order)
    with open(path, "rb") as f:
        for key in order:
            start, end, line = index[key]
            f.seek(start)
            try:
                value = json.loads(f.read(end - start))
            except (ValueError, UnicodeDecodeError):
                raise SourceError(path, line, f"the entry {key!r} changed while it was being read") from None
            yield Entry(key, value, line, start, end)


def read_pubmedqa(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    mapping = FieldMapping({k: v for k, v in options.items() if k not in ("official_order", "original")}, files)
    paths = list(files.all("data"))
    order = options.get("official_order")
    original = options.get("original")
    if original and not order:
        originals = [p for p in paths if fnmatch.fnmatch(p.name, original)]
        if originals:
            for path in paths:
                if path not in originals:
                    diagnostics.warn("pubmedqa_both_layouts", f"{path} skipped: {originals[0].name} is read instead")
            paths = originals
    if not order:
        for path in paths:
            yield from _records(path, iter_entries(path), mapping)
        return
    pattern = order.get("shuffle", "ori_pqaa.json")
    sequence = list(order.get("sequence", []))
    shuffled = [p for p in paths if fnmatch.fnmatch(p.name, pattern)]
    in_sequence = {p.name: p for p in paths if p.name in sequence}
    others = [p for p in paths if p not in shuffled and p.name not in in_sequence]
    if others:
        raise SourceError(others[0], None, f"is neither {pattern!r} nor one of {sequence} (option official_order)")
    if shuffled:
        for name, path in sorted(in_sequence.items()):
            diagnostics.warn("pubmedqa_both_layouts", f"{path} skipped: {shuffled[0].name} is read instead")
        for path in shuffled:
            yield from _records(path, official_order(path, int(order.get("seed", 0))), mapping)
        return
    missing = [name for name in sequence if name not in in_sequence]
    if missing:
        found = ", ".join(str(p) for p in in_sequence.values())
        raise SourceError(files.root, None, f"{found} needs {', '.join(missing)} too: the official order is "
                          f"{' then '.join(sequence)} (or the original {pattern})")
    for name in sequence:
        path = in_sequence[name]
        yield from _records(path, iter_entries(path), mapping)


def _records(path: Path, entries: Iterator[Entry], mapping: FieldMapping) -> Iterator[Any]:
    for index, (key, value, line, _start, _end) in enumerate(entries):
        if not isinstance(value, dict):
            raise SourceError(path, line, f"the entry {key!r} is a {type(value).__name__}, expected an object")
        ctx = {"$": value, "$index": index, "$key": key}
        yield from mapping.records(ctx, key, path, line, f"[{key!r}]", keyed=True)
