"""JSON source files, read with orjson and errors naming file and line.

* :func:`load_json` -- a whole JSON file's value;
* :func:`iter_json_lines` -- the values of a JSON Lines file, streamed;
* :func:`iter_json_items`, :func:`json_opening` -- the elements of a JSON
  array or the entries of a JSON object, streamed item by item (a small
  scanner finds where each item ends; orjson parses each), with the line
  where each starts, so a corpus of several gigabytes is read in constant memory.
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator, Iterator
from typing import Any, NamedTuple

import orjson

from ..errors import SourceError
from .files import CompressedDataError, line_cap, open_binary, read_bytes
from .ranges import Part, open_range

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


def iter_json_lines(
    path: str | os.PathLike, *, expected: str = "one JSON value per line", part: Part | None = None
) -> Iterator[tuple[int, Any]]:
    """``(line number, value)`` for each non-blank line of a JSON Lines file
    (gzip decompressed, a leading BOM dropped), streamed.  A line that is not
    JSON is a :class:`SourceError` naming the file and line and saying what
    was ``expected``.  Lines are capped (:func:`~.files.line_cap`).  ``part``:
    only that byte range, numbered from its base line (see :mod:`.ranges`);
    the next line number is left in ``part.reached``."""
    f = open_binary(path, max_line=line_cap()) if part is None else open_range(part, capped=True)
    first = 1 if part is None else part.base["line"]
    bom = 1 if part is None or part.first else 0
    with f:
        lineno = first - 1
        loads = orjson.loads
        try:
            for lineno, line in enumerate(f, first):
                if lineno == bom and line.startswith(_BOM):
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except orjson.JSONDecodeError as exc:
                    error = json_error(path, line, exc, f"expected {expected}, found invalid JSON ({{error}})")
                    raise SourceError(path, lineno, error.message) from None
                yield lineno, value
            if part is not None:
                part.reached = {"line": lineno + 1}
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
            pos = _BLANK.match(self.buf, pos).end()  # type: ignore[union-attr]  # the pattern matches ''
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
            e = _SCALAR.match(self.buf, s).end()  # type: ignore[union-attr]  # the pattern matches ''
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


def _json_container(
    sc: _JsonScanner, pos: int, path, descend: str | None, within: str = ""
) -> Generator[JsonItem, None, int]:
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


def iter_json_lines_non_finite(path: str | os.PathLike) -> Iterator[tuple[int, Any]]:
    """:func:`iter_json_lines`, except that a line orjson refuses is parsed
    again by Python's ``json`` with ``NaN``/``Infinity``/``-Infinity`` as null
    (option ``non_finite: "null"``); a line neither accepts is the same error."""
    import json

    def constant(name: str) -> None:
        return None

    f = open_binary(path, max_line=line_cap())
    with f:
        lineno = 0
        loads = orjson.loads
        try:
            for lineno, line in enumerate(f, 1):
                if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except orjson.JSONDecodeError as exc:
                    try:
                        value = json.loads(line.decode("utf-8"), parse_constant=constant)
                    except ValueError:
                        error = json_error(path, line, exc, "expected one JSON value per line, found invalid JSON ({error})")
                        raise SourceError(path, lineno, error.message) from None
                yield lineno, value
        except CompressedDataError as exc:
            raise exc.at(lineno + 1) from None
        except OSError as exc:
            raise SourceError(path, lineno + 1, f"cannot be read: {exc.strerror or exc}") from None
