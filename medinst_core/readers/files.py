"""Opening and decoding source files: the one place where the readers open a
file (gzip data decompressed on the fly, so ``x.gz`` reads as ``x``), read it
line by line or whole, and report unreadable files, broken gzip data and bytes
that are not UTF-8 as :class:`SourceError` naming the file and line.

* :func:`open_binary`, :func:`open_text` -- a source file, opened;
* :func:`iter_lines` -- line-numbered streaming of a UTF-8 text file (LF or
  CRLF, a missing final newline, a leading BOM);
* :func:`read_text` -- a whole small file, exactly (no newline translation);
* :func:`read_bytes` -- a whole file's bytes;
* :func:`decoding_error` -- the error for a file that is not UTF-8, naming its first bad line.
"""

from __future__ import annotations

import gzip
import io
import os
import zlib
from collections.abc import Iterator

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
