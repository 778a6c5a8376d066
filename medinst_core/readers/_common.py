"""Helpers shared by the built-in readers.

* :func:`iter_lines` -- line-numbered streaming of a UTF-8 text file (LF or
  CRLF, a missing final newline, a leading BOM), with undecodable bytes and
  unreadable files reported as :class:`SourceError`;
* :func:`open_binary`, :func:`open_text` -- the one place where source files
  are opened: gzip data is decompressed on the fly, so every reader reads
  ``x.gz`` as it reads ``x``; broken gzip data is a :class:`CompressedDataError`;
* :func:`read_text` -- a whole small file, exactly (no newline translation);
* :func:`read_bytes`, :func:`load_json` -- a whole file's bytes, a whole JSON
  file's value, with unreadable files and malformed JSON as :class:`SourceError`;
* :func:`iter_json_lines` -- the values of a JSON Lines file, streamed;
* :func:`iter_json_items`, :func:`json_opening` -- the elements of a JSON
  array or the entries of a JSON object, streamed (orjson parses each), with
  the line where each starts;
* :class:`OffsetChecker` -- the ``offset_check: "error" | "warn"`` option;
* :class:`IdSplitter` -- concept identifiers (``D001|D002``, ``OMIM:123``,
  tmVar ``p|SUB|V|600|E``) into :class:`Normalization` objects;
* :func:`expand_concept_relations` -- concept-level relations to mention pairs;
* :class:`UniqueIds` -- the ``duplicate_ids`` option;
* :data:`make_entity` -- an Entity from canonical values, without re-running converters.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import zlib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import attrs
import orjson

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import JOINED_ID_SEPARATORS, Entity, Normalization, Relation

OFFSET_MISMATCH = "offset_mismatch"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------

GZIP_MAGIC = b"\x1f\x8b"


class CompressedDataError(SourceError):
    """gzip data that cannot be decompressed (corrupt or truncated)."""

    def at(self, line: int | None) -> SourceError:
        """The same error, naming ``line`` (the line being read when the data broke off)."""
        if self.line is not None or line is None:
            return self
        return CompressedDataError(self.path, line, self.message)


_GZIP_FAILURES = (EOFError, zlib.error, gzip.BadGzipFile)


def _reporting(method):
    """``method`` of GzipFile with its decompression errors as CompressedDataError."""

    def guarded(self, *args):
        try:
            return method(self, *args)
        except _GZIP_FAILURES as exc:
            if isinstance(exc, EOFError):
                reason = "the gzip data ends early (a truncated file)"
            else:
                reason = f"corrupt gzip data ({exc})"
            raise CompressedDataError(self._path, None, f"cannot be decompressed: {reason}") from None

    guarded.__name__ = method.__name__
    return guarded


class _Gunzip(gzip.GzipFile):
    """A gzip file whose decompression errors are :class:`CompressedDataError`
    naming the file; closing it closes the underlying file too."""

    def __init__(self, raw, path):
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw
        self._path = path

    read = _reporting(gzip.GzipFile.read)
    read1 = _reporting(gzip.GzipFile.read1)
    peek = _reporting(gzip.GzipFile.peek)
    readline = _reporting(gzip.GzipFile.readline)

    def close(self):
        try:
            super().close()
        finally:
            self._raw.close()


def open_binary(path: str | os.PathLike):
    """``path`` opened for reading bytes; gzip data (a file starting with the
    gzip magic bytes ``1f 8b``, as ``.gz`` files do) is decompressed on the
    fly, so every reader reads ``x.json.gz`` as it reads ``x.json``.  The one
    place where the readers open a source file.  A ``.gz`` name alone does not
    decide: a download decompressed on the way keeps its name, and is read as
    it is."""
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    try:
        magic = raw.peek(2)[:2]
    except OSError as exc:
        raw.close()
        raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    return _Gunzip(raw, path) if magic == GZIP_MAGIC else raw


def open_text(path: str | os.PathLike):
    """``path`` opened for reading UTF-8 text (gzip decompressed, see
    :func:`open_binary`), splitting lines on ``\\n`` only (a ``\\r`` stays
    in the line) and dropping a leading BOM."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", newline="\n")


def decoding_error(path) -> SourceError:
    """The SourceError for a file that is not UTF-8, naming the first bad line."""
    line, message = _first_undecodable_line(path)
    return SourceError(path, line, message)


def iter_lines(path: str | os.PathLike) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for every line of a UTF-8 file, without its
    ``\\n`` / ``\\r\\n`` ending; a leading BOM is dropped.  Streams."""
    f = open_text(path)
    with f:
        lineno = 0
        try:
            for lineno, line in enumerate(f, 1):
                if line[-1:] == "\n":
                    line = line[:-2] if line[-2:] == "\r\n" else line[:-1]
                yield lineno, line
        except UnicodeDecodeError:
            raise decoding_error(path) from None
        except CompressedDataError as exc:
            raise exc.at(lineno + 1) from None
        except OSError as exc:
            raise SourceError(path, lineno or None, f"cannot be read: {exc.strerror or exc}") from None


def _first_undecodable_line(path) -> tuple[int | None, str]:
    """Where a file stops being UTF-8 (slow path, only after a decoding error)."""
    with open_binary(path) as f:
        for lineno, raw in enumerate(f, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return lineno, f"is not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)"
    return None, "is not valid UTF-8"


def read_bytes(path: str | os.PathLike) -> bytes:
    """The whole of a file (decompressed when it is gzip data); one that
    cannot be opened or read is a :class:`SourceError`."""
    f = open_binary(path)
    with f:
        try:
            return f.read()
        except OSError as exc:
            raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None


def read_text(path: str | os.PathLike, *, bom: bool = False) -> str:
    """The whole of a (small) UTF-8 file exactly as written: no newline
    translation, so character offsets into it are those of the file."""
    data = read_bytes(path)
    if bom and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(path, line, f"is not valid UTF-8 ({exc.reason})") from None


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------

_BOM = b"\xef\xbb\xbf"


def json_error(path, data, exc: orjson.JSONDecodeError, message: str, first_line: int = 1) -> SourceError:
    """The :class:`SourceError` for orjson's failure on ``data`` (bytes that
    start at line ``first_line`` of ``path``): the line where parsing stopped,
    and ``message`` with ``{error}`` replaced by the parser's explanation.
    Bytes that are not UTF-8 are reported as such, on their own line."""
    if exc.msg.startswith("str is not valid UTF-8"):
        raw = bytes(data)
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            return SourceError(path, first_line + raw.count(b"\n", 0, bad.start), f"is not valid UTF-8 ({bad.reason})")
    return SourceError(path, first_line + max(exc.lineno, 1) - 1, message.format(error=exc.msg))


def load_json(path: str | os.PathLike, *, message: str = "invalid JSON ({error})") -> Any:
    """The JSON value of a whole file (orjson; gzip decompressed, a leading BOM dropped).  Malformed
    JSON raises a :class:`SourceError` naming the line where parsing stopped,
    saying ``message`` with ``{error}`` replaced by the parser's explanation."""
    data = read_bytes(path)
    try:
        return orjson.loads(memoryview(data)[3:] if data.startswith(_BOM) else data)
    except orjson.JSONDecodeError as exc:
        raise json_error(path, data, exc, message) from None


def iter_json_lines(path: str | os.PathLike, *, expected: str = "one JSON value per line") -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of a JSON Lines file
    (gzip decompressed, a leading BOM dropped), streamed.  A line that is not
    JSON is a :class:`SourceError` naming the file and line and saying what
    was ``expected``."""
    f = open_binary(path)
    with f:
        lineno = 0
        loads = orjson.loads
        try:
            for lineno, line in enumerate(f, 1):
                if lineno == 1 and line.startswith(_BOM):
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except orjson.JSONDecodeError as exc:
                    error = json_error(path, line, exc, f"expected {expected}, found invalid JSON ({{error}})")
                    raise SourceError(path, lineno, error.message) from None
                yield lineno, value
        except CompressedDataError as exc:
            raise exc.at(lineno + 1) from None
        except OSError as exc:
            raise SourceError(path, lineno + 1, f"cannot be read: {exc.strerror or exc}") from None


class JsonItem(NamedTuple):
    """One element of a JSON array or one entry of a JSON object, as streamed
    by :func:`iter_json_items`."""

    key: int | str  #: the element's index, or the entry's key
    value: Any
    line: int  #: the line where the item starts (an entry starts at its key)
    start: int  #: byte offset of the value in the (decompressed) file
    end: int  #: byte offset just after the value


#: bytes read at a time when streaming a JSON document
JSON_CHUNK = 1 << 20
_BLANK = re.compile(rb"[ \t\n\r]*")
_STRUCTURAL = re.compile(rb'[\[\]{}"]')
_SCALAR = re.compile(rb'[^ \t\n\r,:\[\]{}"]*')
_CLOSERS = {0x5B: 0x5D, 0x7B: 0x7D}  # [ -> ], { -> }


def _string_end(buf: bytes, i: int) -> int:
    """The index after the closing quote of a string whose content starts at
    ``buf[i]`` (the opening quote is ``buf[i - 1]``), or -1 when it is not in ``buf``."""
    find = buf.find
    while True:
        j = find(b'"', i)
        if j < 0:
            return -1
        k = j
        while buf[k - 1] == 0x5C:  # backslashes before the quote: an odd number escapes it
            k -= 1
        if not (j - k) & 1:
            return j + 1
        i = j + 1


class _JsonScanner:
    """A window on a JSON file that finds where values end without parsing
    them: brackets are matched (outside strings), strings end at an unescaped
    quote, other values at a delimiter.  orjson parses each value found."""

    def __init__(self, f, path, chunk: int):
        self.f = f
        self.path = path
        self.chunk = chunk
        self.buf = b""
        self.eof = False
        self.base = 0  # offset in the file of buf[0]
        self.counted = 0  # newlines before buf[counted] ...
        self.lines = 0  # ... are this many

    def line(self, pos: int) -> int:
        """The 1-based line number of ``buf[pos]``."""
        if pos >= self.counted:
            self.lines += self.buf.count(b"\n", self.counted, pos)
        else:
            self.lines -= self.buf.count(b"\n", pos, self.counted)
        self.counted = pos
        return self.lines + 1

    def more(self, keep: int) -> int | None:
        """Read on, dropping ``buf[:keep]``: the shift of positions, or None at the end of the file."""
        if self.eof:
            return None
        self.line(keep)
        data = self._read(max(self.chunk, len(self.buf) - keep))  # values longer than a chunk: linear
        if not data:
            self.eof = True
            return None
        self.buf = self.buf[keep:] + data
        self.base += keep
        self.counted -= keep
        return keep

    def _read(self, size: int) -> bytes:
        """Up to ``size`` bytes (fewer at the end of the file), read piecewise so
        that broken gzip data is reported at the line where it breaks off."""
        parts: list[bytes] = []
        got = 0
        while got < size:
            try:
                data = self.f.read1(size - got)
            except CompressedDataError as exc:
                raise exc.at(self.line(len(self.buf)) + sum(p.count(b"\n") for p in parts)) from None
            except OSError as exc:
                raise SourceError(self.path, self.line(len(self.buf)), f"cannot be read: {exc.strerror or exc}") from None
            if not data:
                break
            parts.append(data)
            got += len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)

    def start(self) -> int:
        """The position of the first non-blank character of the file (after a BOM)."""
        while len(self.buf) < 3 and self.more(0) is not None:
            pass
        return self.skip(3 if self.buf.startswith(_BOM) else 0)

    def skip(self, pos: int) -> int:
        """The position of the next non-blank character (``len(buf)`` at the end of the file)."""
        while True:
            pos = _BLANK.match(self.buf, pos).end()
            if pos < len(self.buf):
                return pos
            shift = self.more(pos)
            if shift is None:
                return pos
            pos -= shift

    def value(self, s: int) -> tuple[int, int]:
        """``(start, end)`` of the value that starts at ``buf[s]``; reads on
        as needed.  ``start == end``: no value there.  At the end of the file
        a value may be incomplete; orjson then says what is wrong."""
        c = self.buf[s]
        if c == 0x22:
            return self._string(s, s + 1)
        if c in _CLOSERS:
            return self._nested(s)
        while True:
            e = _SCALAR.match(self.buf, s).end()
            if e < len(self.buf):
                return s, e
            shift = self.more(s)
            if shift is None:
                return s, e
            s -= shift

    def _string(self, s: int, i: int) -> tuple[int, int]:
        while True:
            e = _string_end(self.buf, i)
            if e >= 0:
                return s, e
            i = len(self.buf)
            shift = self.more(s)
            if shift is None:
                return s, len(self.buf)
            s -= shift
            i -= shift

    def _nested(self, s: int) -> tuple[int, int]:
        expected = bytearray()  # the closing brackets awaited, innermost last
        i = s
        while True:
            m = _STRUCTURAL.search(self.buf, i)
            if m is None:
                i = len(self.buf)
                shift = self.more(s)
                if shift is None:
                    return s, i
                s -= shift
                i -= shift
                continue
            j = m.start()
            c = self.buf[j]
            if c == 0x22:
                s, i = self._string(s, j + 1)
                if i == len(self.buf) and self.eof:
                    return s, i
                continue
            if c in _CLOSERS:
                expected.append(_CLOSERS[c])
            elif c != expected.pop():
                return s, j + 1  # mismatched brackets: orjson reports them
            i = j + 1
            if not expected:
                return s, i

    def parse(self, s: int, e: int, message: str) -> Any:
        view = memoryview(self.buf)[s:e]
        try:
            return orjson.loads(view)
        except orjson.JSONDecodeError as exc:
            raise json_error(self.path, view, exc, message, self.line(s)) from None


def _found(buf: bytes, pos: int) -> str:
    return "the end of the file" if pos >= len(buf) else repr(buf[pos : pos + 1].decode("utf-8", "replace"))


#: the value :func:`iter_json_items` gives for an entry whose elements follow it
STREAMED = type("Streamed", (), {"__repr__": lambda self: "STREAMED", "__slots__": ()})()


def iter_json_items(
    path: str | os.PathLike,
    *,
    expected: str = "a JSON array or object",
    containers: str = "[{",
    descend: str | None = None,
    chunk: int | None = None,
) -> Iterator[JsonItem]:
    """The elements of the JSON array, or the entries of the JSON object, that
    a file holds, streamed: memory holds about one item, whatever the size of
    the file (gzip decompressed).  orjson parses each item, so the values are
    those a parse of the whole file gives -- except that an object's repeated
    key gives each of its entries (a whole parse keeps the last).

    ``containers``: the kinds of document accepted (``"["``, ``"{"`` or both);
    another document is a :class:`SourceError` saying what was ``expected``.
    ``descend``: when the document is an object, the entry of this key, if it
    is an array, is not given whole: the entry comes with the value
    :data:`STREAMED`, then its elements one by one (keys 0, 1...) (a BioC
    collection's ``documents``).
    ``chunk``: bytes read at a time (:data:`JSON_CHUNK`; tests use tiny ones).
    Malformed JSON is a :class:`SourceError` naming the file and the line."""
    f = open_binary(path)
    with f:
        sc = _JsonScanner(f, path, chunk or JSON_CHUNK)
        pos = sc.start()
        buf = sc.buf
        if pos >= len(buf) or chr(buf[pos]) not in containers:
            line = sc.line(pos)
            while len(sc.buf) - pos < 20 and (shift := sc.more(pos)) is not None:
                pos -= shift
            found = "an empty file" if pos >= len(sc.buf) else repr(sc.buf[pos : pos + 20].decode("utf-8", "replace"))
            raise SourceError(path, line, f"expected {expected}, found {found}")
        is_object = buf[pos] == 0x7B
        pos = yield from _json_container(sc, pos, path, descend)
        pos = sc.skip(pos)
        if pos < len(sc.buf):
            what = "object" if is_object else "array"
            raise SourceError(path, sc.line(pos), f"unexpected data after the JSON {what}: {_found(sc.buf, pos)}")


def _json_container(sc: _JsonScanner, pos: int, path, descend: str | None, within: str = "") -> Iterator[JsonItem]:
    """The items of the array or object opening at ``sc.buf[pos]`` (see
    :func:`iter_json_items`); returns the position after its closing bracket."""
    is_object = sc.buf[pos] == 0x7B
    closer = 0x7D if is_object else 0x5D
    pos = sc.skip(pos + 1)
    index = 0
    if pos < len(sc.buf) and sc.buf[pos] == closer:
        return pos + 1
    while True:
        line = sc.line(pos)
        if is_object:
            label = f"entry {index}"
            if pos >= len(sc.buf) or sc.buf[pos] != 0x22:
                raise SourceError(path, line, f"expected the quoted key of {label}, found {_found(sc.buf, pos)}")
            ks, ke = sc.value(pos)
            key: int | str = sc.parse(ks, ke, f"invalid key of {label} ({{error}})")
            label = f"entry {key!r}"
            pos = sc.skip(ke)
            if pos >= len(sc.buf) or sc.buf[pos] != 0x3A:
                raise SourceError(path, sc.line(pos), f"expected ':' after the key {key!r}, found {_found(sc.buf, pos)}")
            pos = sc.skip(pos + 1)
        else:
            key = index
            label = f"{within}element {index}"
        if is_object and key == descend and pos < len(sc.buf) and sc.buf[pos] == 0x5B:
            yield JsonItem(key, STREAMED, line, sc.base + pos, sc.base + pos)
            ve = yield from _json_container(sc, pos, path, None, within=f"{key!r} ")
        else:
            vs, ve = sc.value(pos) if pos < len(sc.buf) else (pos, pos)
            if vs == ve:
                raise SourceError(path, sc.line(vs), f"invalid JSON in {label} (expected a value, found {_found(sc.buf, vs)})")
            value = sc.parse(vs, ve, f"invalid JSON in {label} ({{error}})")
            yield JsonItem(key, value, line, sc.base + vs, sc.base + ve)
        index += 1
        pos = sc.skip(ve)
        c = sc.buf[pos] if pos < len(sc.buf) else None
        if c == 0x2C:
            pos = sc.skip(pos + 1)
            continue
        if c == closer:
            return pos + 1
        raise SourceError(path, sc.line(pos), f"expected ',' or {chr(closer)!r} after {label}, found {_found(sc.buf, pos)}")


def json_opening(path: str | os.PathLike) -> str:
    """The first non-blank character of a file ('' when there is none): ``[``
    or ``{`` for a JSON array or object that :func:`iter_json_items` can stream."""
    f = open_binary(path)
    with f:
        sc = _JsonScanner(f, path, 4096)
        pos = sc.start()
        return sc.buf[pos : pos + 1].decode("latin-1")


# ---------------------------------------------------------------------------
# Fast construction of records' parts
# ---------------------------------------------------------------------------

_new = object.__new__


def _slot_setters(cls) -> list[tuple[str, Any]] | None:
    """``(field name, slot setter)`` of an attrs slots class, or None."""
    out = []
    for f in attrs.fields(cls):
        descriptor = cls.__dict__.get(f.name)
        if descriptor is None or not hasattr(descriptor, "__set__"):
            return None
        out.append((f.name, descriptor.__set__))
    return out


def fast_constructor(cls):
    """A constructor ``build(**fields)`` for an attrs record class that fills
    the slots directly, without running the converters again: the caller passes
    values that are already canonical (tuples of str, of ``(int, int)`` pairs,
    of Normalization / Entity / Relation objects, of ``(str, str)`` pairs),
    which the readers' tests check by comparing with ordinarily built records.
    Several times faster than the attrs ``__init__``; the hot readers use it.
    With ``MEDINST_CHECKED_RECORDS=1`` it is the ordinary constructor."""
    setters = _slot_setters(cls)
    if os.environ.get("MEDINST_CHECKED_RECORDS") == "1" or setters is None:
        return cls
    defaults: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if isinstance(f.default, attrs.Factory):  # pragma: no cover - the records use plain defaults
            return cls
        if f.default is not attrs.NOTHING:
            defaults[f.name] = f.default

    def build(**fields):
        obj = _new(cls)
        for name, put in setters:
            put(obj, fields[name] if name in fields else defaults[name])
        return obj

    build.__doc__ = f"Build a {cls.__name__} from canonical values (see fast_constructor)."
    return build


def _entity_maker():
    names = tuple(f.name for f in attrs.fields(Entity))
    setters = _slot_setters(Entity)
    if (
        names != ("id", "type", "text", "offsets", "normalized", "attributes")
        or setters is None
        or os.environ.get("MEDINST_CHECKED_RECORDS") == "1"
    ):
        def checked(id, type, text, offsets, normalized=(), attributes=()):  # noqa: A002
            return Entity(id=id, type=type, text=text, offsets=offsets, normalized=normalized, attributes=attributes)

        return checked
    s_id, s_type, s_text, s_offsets, s_norm, s_attr = (put for _, put in setters)

    def make(id, type, text, offsets, normalized=(), attributes=()):  # noqa: A002
        e = _new(Entity)
        s_id(e, id)
        s_type(e, type)
        s_text(e, text)
        s_offsets(e, offsets)
        s_norm(e, normalized)
        s_attr(e, attributes)
        return e

    return make


#: ``make_entity(id, type, text, offsets, normalized=(), attributes=())``: an
#: :class:`Entity` from canonical values, without converters (see
#: :func:`fast_constructor`).
make_entity = _entity_maker()


# ---------------------------------------------------------------------------
# Offset check
# ---------------------------------------------------------------------------


class OffsetChecker:
    """Applies the ``offset_check`` option: a mention whose annotated text is
    not the document text at its offsets is an error (``"error"``, default)
    or a counted ``offset_mismatch`` warning (``"warn"``)."""

    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        mode = options.get("offset_check", "error")
        if mode not in ("error", "warn"):
            raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {mode!r}")
        self.warn = mode == "warn"
        self.diagnostics = diagnostics

    def mismatch(self, path, line: int | None, doc_id: str, what: str, expected: str, found: str) -> None:
        """Report that ``what`` is annotated as ``expected`` but the text there is ``found``."""
        message = f"document {doc_id}: {what} is annotated as {expected!r} but the text at its offsets is {found!r}"
        if self.warn:
            where = f"{path}:{line}" if line is not None else str(path)
            self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {message}")
            return
        raise SourceError(path, line, message)

    def fragments(
        self,
        text: str,
        offsets: Sequence[tuple[int, int]],
        annotated: str,
        path,
        line: int | None,
        doc_id: str,
        what: str,
    ) -> tuple[str, ...]:
        """The text of each fragment; checks the fragments (joined by a space)
        against the annotated text.  Out-of-range offsets are a mismatch too.
        Returns the annotated text split into fragments when the check is
        only a warning and fails."""
        n = len(text)
        frags = []
        for s, e in offsets:
            if s < 0 or e < s or e > n:
                msg = f"document {doc_id}: {what} has offsets {s}-{e} outside the text (length {n})"
                if self.warn:
                    where = f"{path}:{line}" if line is not None else str(path)
                    self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {msg}")
                    return split_fragments(annotated, offsets)
                raise SourceError(path, line, msg)
            frags.append(text[s:e])
        found = frags[0] if len(frags) == 1 else " ".join(frags)
        if found != annotated:
            self.mismatch(path, line, doc_id, what, annotated, found)
            return split_fragments(annotated, offsets)
        return tuple(frags)


def split_fragments(annotated: str, offsets: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Best effort split of an annotated text into one piece per fragment
    (used only when a mismatch was tolerated)."""
    if len(offsets) == 1:
        return (annotated,)
    pieces: list[str] = []
    pos = 0
    for i, (s, e) in enumerate(offsets):
        if i == len(offsets) - 1:
            pieces.append(annotated[pos:])
        else:
            pieces.append(annotated[pos : pos + max(e - s, 0)])
            pos += max(e - s, 0) + 1
    return tuple(pieces)


# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------

# tmVar variant identifiers: <seq type>|<mutation type>|... e.g. p|SUB|V|600|E, c|DEL|1314_1328|,
# and the older joined form c|DEL888|C (mutation type and position in one field)
_TMVAR = re.compile(r"^[A-Za-z]?\|[A-Za-z]+[0-9_+\-*?]*\|")
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_#\-]*):(.+)$", re.S)
DEFAULT_SEPARATORS = ("|", ",", ";", "+")
DEFAULT_NULL_IDS = ("-1", "-", "")


def _sep_pattern(seps: Sequence[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(x) for x in seps) if seps else r"(?!x)x")


class IdSplitter:
    """Splits an identifier column into normalizations (see the PubTator
    reader's documentation for the options it reads)."""

    def __init__(self, options: Mapping[str, Any]):
        self.db_name = str(options.get("db_name", ""))
        self.db_names = dict(options.get("db_names") or {})
        self.separators = tuple(options.get("id_separators", DEFAULT_SEPARATORS))
        self.type_separators = {k: tuple(v) for k, v in (options.get("type_id_separators") or {}).items()}
        self.null_ids = frozenset(options.get("null_ids", DEFAULT_NULL_IDS))
        self.split_prefix = bool(options.get("split_id_prefix", True))
        self._seps_re = {
            None: _sep_pattern(self.separators),
            **{t: _sep_pattern(v) for t, v in self.type_separators.items()},
        }
        self._cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[Normalization, ...]]] = {}

    def parts(self, raw: str, etype: str) -> tuple[str, ...]:
        """The individual identifiers of a column value, as written."""
        return self.split(raw, etype)[0]

    def split(self, raw: str, etype: str) -> tuple[tuple[str, ...], tuple[Normalization, ...]]:
        """``(identifiers as written, normalizations)`` of a column value."""
        typed = etype in self.type_separators
        key = (raw, etype) if typed or etype in self.db_names else raw
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        seps = self.type_separators[etype] if typed else self.separators
        raw = raw.strip()
        if not self._seps_re[etype if typed else None].search(raw):
            pieces = [raw]
        else:
            pieces = [raw]
            # split on every separator but '|' first, then on '|' unless tmVar
            for sep in seps:
                if sep != "|":
                    pieces = [q for p in pieces for q in p.split(sep)]
            if "|" in seps:
                pieces = [q for p in pieces for q in ((p,) if _TMVAR.match(p) else p.split("|"))]
        ids: list[str] = []
        norms: list[Normalization] = []
        default_db = self.db_names.get(etype, self.db_name)
        for p in pieces:
            p = p.strip()
            if p in self.null_ids or p in ids:
                continue
            ids.append(p)
            m = _PREFIX.match(p) if self.split_prefix and ":" in p else None
            if m:
                norms.append(Normalization(m.group(1), m.group(2)))
            else:
                norms.append(Normalization(default_db, p))
        result = (tuple(ids), tuple(norms))
        if len(self._cache) >= 50_000:  # corpora repeat identifiers; bound the memory anyway
            self._cache.clear()
        self._cache[key] = result
        return result


def expand_concept_relations(
    entities: Sequence[Entity], raw_ids: Sequence[Iterable[str]], concept_relations: Sequence[Relation]
) -> list[Relation]:
    """Mention-level relations: for each concept relation, every ordered pair
    of distinct mentions (in document order) whose identifiers, as written,
    include its first and its second concept id; ids ``<relation id>.<n>``."""
    if not concept_relations:
        return []
    keys = []
    for ids in raw_ids:
        key = set(ids)
        if len(key) > 1:
            # a relation may name a mention's identifiers the way the mention
            # line wrote them together, e.g. D017180|D014693
            key.update(sep.join(ids) for sep in JOINED_ID_SEPARATORS)
        keys.append(key)
    out: list[Relation] = []
    for rel in concept_relations:
        left = [i for i, k in enumerate(keys) if rel.arg1_id in k]
        right = [i for i, k in enumerate(keys) if rel.arg2_id in k]
        n = 0
        for i in left:
            for j in right:
                if i == j:
                    continue
                out.append(
                    Relation(
                        id=f"{rel.id}.{n}",
                        type=rel.type,
                        arg1_id=entities[i].id,
                        arg2_id=entities[j].id,
                        attributes=rel.attributes,
                    )
                )
                n += 1
    return out


# ---------------------------------------------------------------------------
# Document ids
# ---------------------------------------------------------------------------


class UniqueIds:
    """Applies ``duplicate_ids`` (``error`` | ``skip`` | ``suffix``) to document ids."""

    def __init__(self, options: Mapping[str, Any]):
        mode = options.get("duplicate_ids", "error")
        if mode not in ("error", "skip", "suffix"):
            raise ManifestError(
                None, "/source/options/duplicate_ids", f"expected 'error', 'skip' or 'suffix', found {mode!r}"
            )
        self.mode = mode
        self.seen: dict[str, int] = {}

    def take(self, doc_id: str, path, line: int | None) -> str | None:
        """The id to use, or ``None`` when the document is to be skipped."""
        n = self.seen.get(doc_id)
        if n is None:
            self.seen[doc_id] = 1
            return doc_id
        if self.mode == "error":
            raise SourceError(
                path, line, f"document id {doc_id!r} occurs twice in this split (option duplicate_ids: skip or suffix)"
            )
        if self.mode == "skip":
            return None
        while True:
            n += 1
            candidate = f"{doc_id}_{n}"
            if candidate not in self.seen:
                self.seen[doc_id] = n
                self.seen[candidate] = 1
                return candidate
