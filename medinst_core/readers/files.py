"""Opening and decoding source files: the one place where the readers open a
file (gzip data decompressed on the fly, so ``x.gz`` reads as ``x``), read it
line by line or whole, and report unreadable files, broken gzip data and bytes
that are not UTF-8 as :class:`SourceError` naming the file and line.

* :func:`open_binary`, :func:`open_text` -- a source file, opened;
* :func:`iter_lines` -- line-numbered streaming of a UTF-8 text file (LF or
  CRLF, a missing final newline, a leading BOM);
* :func:`read_text` -- a whole small file, exactly (no newline translation);
* :func:`read_bytes` -- a whole file's bytes;
* :func:`decoding_error` -- the error for a file that is not UTF-8, naming its first bad line;
* :func:`line_cap` -- the longest line a line-based read accepts.

Line cap: a file read line by line (:func:`open_text`, :func:`iter_lines`,
``open_binary(path, max_line=...)``) is read in chunks that are checked as
they come: a line longer than the cap (64 MiB by default; environment
variable ``MEDINST_MAX_LINE``, in bytes or with a ``K``/``M``/``G`` suffix) is
a :class:`SourceError` naming the file and line, raised before more than the
cap (and one chunk) of it is held in memory.  Whole-file reads
(:func:`read_text`, :func:`read_bytes`, JSON and XML documents) have no cap.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Generator

from ..envvars import byte_size
from ..errors import SourceError

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


DEFAULT_LINE_CAP = 64 << 20
#: bytes read at a time through the line cap (one check per chunk, not per line)
_CAPPED_CHUNK = 1 << 16


def line_cap() -> int:
    """The longest line (in bytes) that a line-based read accepts:
    ``MEDINST_MAX_LINE`` (``67108864``, ``64M``, ``512K``...), else 64 MiB."""
    return byte_size("MEDINST_MAX_LINE", DEFAULT_LINE_CAP)


class _LineCap(io.RawIOBase):
    """A stream of bytes that stops with a :class:`SourceError` as soon as a
    line (the bytes between two ``\\n``) grows longer than ``cap`` bytes.
    Two searches a chunk; the line number is counted only for the error."""

    def __init__(self, inner, path, cap: int):
        super().__init__()
        self._inner, self._path, self._cap = inner, path, cap
        self._run = 0  # bytes since the last newline
        self._offset = 0  # bytes read before this chunk

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        # read1: what is at hand (gzip data cut short is reported after the
        # lines before the cut, as without the cap)
        data = self._inner.read1(len(buffer))
        n = len(data)
        if not n:
            return 0
        memoryview(buffer)[:n] = data
        first = data.find(b"\n")
        if first < 0:
            self._run += n
        else:
            if self._run + first > self._cap:
                self._too_long(self._offset)
            last = data.rfind(b"\n")
            if last - first > self._cap:  # a long line may lie between two newlines of this chunk
                self._check_inside(data, first, last)
            self._run = n - last - 1
        if self._run > self._cap:
            self._too_long(self._offset + n - self._run)
        self._offset += n
        return n

    def _check_inside(self, data: bytes, start: int, last: int) -> None:
        while start < last:
            end = data.find(b"\n", start + 1)
            if end - start - 1 > self._cap:
                self._too_long(self._offset + start + 1)
            start = end

    def _too_long(self, at: int):
        """The error for the line starting at byte ``at`` (of the decompressed data)."""
        line = 1
        with open_binary(self._path) as f:
            while at > 0:
                chunk = f.read(min(at, 1 << 20))
                if not chunk:
                    break
                line += chunk.count(b"\n")
                at -= len(chunk)
        mib = self._cap / (1 << 20)
        limit = f"{mib:g} MiB" if mib >= 1 else f"{self._cap} bytes"
        raise SourceError(self._path, line,
                          f"the line is longer than {limit}, the longest line read (MEDINST_MAX_LINE): "
                          "not a file of the expected format, or raise MEDINST_MAX_LINE")

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._inner.close()


def open_binary(path: str | os.PathLike, *, max_line: int | None = None):
    """``path`` opened for reading bytes; gzip data (a file starting with the
    gzip magic bytes ``1f 8b``, as ``.gz`` files do) is decompressed on the
    fly, so every reader reads ``x.json.gz`` as it reads ``x.json``.  The one
    place where the readers open a source file.  A ``.gz`` name alone does not
    decide: a download decompressed on the way keeps its name, and is read as
    it is.  With ``max_line`` (for a file read line by line, see
    :func:`line_cap`) a line longer than that many bytes is a SourceError
    naming the file and line, raised before the line is held whole."""
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    try:
        magic = raw.peek(2)[:2]
    except OSError as exc:
        raw.close()
        raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    f = _Gunzip(raw, path) if magic == GZIP_MAGIC else raw
    if max_line is None:
        return f
    return io.BufferedReader(_LineCap(f, path, max_line), _CAPPED_CHUNK)


def open_text(path: str | os.PathLike):
    """``path`` opened for reading UTF-8 text line by line (gzip
    decompressed, see :func:`open_binary`; lines capped at :func:`line_cap`
    bytes), splitting lines on ``\\n`` only (a ``\\r`` stays in the line) and
    dropping a leading BOM."""
    f = io.TextIOWrapper(open_binary(path, max_line=line_cap()), encoding="utf-8-sig", newline="\n")
    f._CHUNK_SIZE = _CAPPED_CHUNK  # type: ignore[attr-defined]  # one check of the cap per chunk read
    return f


def decoding_error(path) -> SourceError:
    """The SourceError for a file that is not UTF-8, naming the first bad line."""
    line, message = _first_undecodable_line(path)
    return SourceError(path, line, message)


def iter_lines(path: str | os.PathLike) -> Generator[tuple[int, str], None, int | None]:
    """``(line number, text)`` for every line of a UTF-8 file, without its
    ``\\n`` / ``\\r\\n`` ending; a leading BOM is dropped.  Streams.  The
    generator returns (the value of ``yield from``) the number of the last
    line when it has no line end (a file that may be cut short), else None."""
    f = open_text(path)
    open_end = None
    with f:
        lineno = 0
        try:
            for lineno, line in enumerate(f, 1):
                if line[-1:] == "\n":
                    line = line[:-2] if line[-2:] == "\r\n" else line[:-1]
                else:
                    open_end = lineno
                yield lineno, line
        except UnicodeDecodeError:
            raise decoding_error(path) from None
        except CompressedDataError as exc:
            raise exc.at(lineno + 1) from None
        except OSError as exc:
            raise SourceError(path, lineno or None, f"cannot be read: {exc.strerror or exc}") from None
    return open_end


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
