"""Reading one byte range of a large file, so that one split can be built by
several processes (``medinst build --jobs N``).

A reader that can start at a record boundary in the middle of a file declares
it with an attribute ``ranges`` (a :class:`RangeReading`) on its function; the
pipeline then calls it as ``reader(files, options, diagnostics, part=part)``
with a :class:`Part`: the file, the byte range and the reader's counters at the
range's start (record position, line number...), so ids and line numbers are
the ones a reading of the whole file gives.  At the end of the range the
reader stores the counters it reached in ``part.reached``; the pipeline checks
that they are the next range's starting counters, and builds the split in one
process when anything is uncertain (see :mod:`medinst_core.shards`).

Readers without the attribute are called as before: the contract is unchanged
for them.  This module holds the pieces the core's line readers share: a file
cut to a byte range, cut points found at line or blank-line boundaries, and
the counting of lines and records in a range from bytes.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, Protocol

import attrs

from .files import _CAPPED_CHUNK, GZIP_MAGIC, _LineCap, line_cap

#: bytes read at a time when counting
COUNT_CHUNK = 8 << 20


@attrs.define
class Part:
    """One byte range ``[start, end)`` of ``path``; ``base`` holds the reader's
    counters at ``start`` and ``reached`` (set by the reader) those at ``end``."""

    path: Path
    start: int
    end: int
    base: dict[str, int] = attrs.field(factory=dict)
    reached: dict[str, int] | None = None

    @property
    def first(self) -> bool:
        return self.start == 0


class RangeReading(Protocol):
    """What a reader able to read byte ranges provides (its ``ranges`` attribute)."""

    def cuts(self, files: Any, options: Mapping[str, Any], parts: int) -> tuple[Path, list[int]] | None:
        """The file to split and up to ``parts - 1`` increasing cut offsets at
        probable record boundaries, or ``None`` when the split cannot be cut."""

    def count(self, path: Path, options: Mapping[str, Any], start: int, end: int, base: dict[str, int]) -> dict[str, int]:
        """The counters at ``end``, given those at ``start`` (a record boundary)."""

    def initial(self, options: Mapping[str, Any]) -> dict[str, int]:
        """The counters at the start of the file."""


class _RangeRaw(io.RawIOBase):
    """The bytes ``[start, end)`` of a file, as a raw stream."""

    def __init__(self, path: Path, start: int, end: int):
        self._f = open(path, "rb", buffering=0)  # noqa: SIM115 - closed with this stream
        self._f.seek(start)
        self._left = end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._left <= 0:
            return 0
        view = memoryview(buffer)
        n = self._f.readinto(view[: min(len(view), self._left)]) or 0
        self._left -= n
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def open_range(part: Part, *, capped: bool = False) -> io.BufferedReader:
    """The bytes of ``part`` as a buffered binary file; ``capped``: a line
    longer than :func:`.files.line_cap` is an error, as in a whole reading."""
    f: io.BufferedReader = io.BufferedReader(_RangeRaw(part.path, part.start, part.end), 1 << 20)
    if not capped:
        return f
    return io.BufferedReader(_LineCap(f, part.path, line_cap()), _CAPPED_CHUNK)


def open_range_text(part: Part) -> io.TextIOWrapper:
    """The text of ``part`` as :func:`.files.open_text` reads a file (UTF-8,
    lines end at ``\\n``; a leading BOM dropped only at the start of the file)."""
    return io.TextIOWrapper(open_range(part, capped=True), encoding="utf-8-sig" if part.first else "utf-8", newline="\n")


def plain_file(path: Path) -> bool:
    """Whether ``path`` is a regular, uncompressed file (only those are cut)."""
    try:
        with open(path, "rb") as f:
            return f.read(2) != GZIP_MAGIC
    except OSError:
        return False


def find_cuts(path: Path, parts: int, boundary: Callable[[bytes, int], int | None], *, after: int = 0) -> list[int]:
    """Up to ``parts - 1`` increasing offsets, one near each ``size * k / parts``:
    ``boundary(window, at)`` gives a boundary at or after index ``at`` of a
    window read from a little before the target, or ``None``.  Offsets at or
    before ``after`` (a header) are not used."""
    size = os.path.getsize(path)
    cuts: list[int] = []
    with open(path, "rb") as f:
        for k in range(1, parts):
            target = size * k // parts
            back = min(target, 4096)
            f.seek(target - back)
            window = f.read(back + (4 << 20))
            at = boundary(window, back)
            if at is None:
                continue
            cut = target - back + at
            if cut <= after or cut >= size or (cuts and cut <= cuts[-1]):
                continue
            cuts.append(cut)
    return cuts


def iter_chunks(path: Path, start: int, end: int) -> Iterator[bytes]:
    """The bytes of ``[start, end)`` in chunks that end after a newline (the
    last one possibly not)."""
    with open_range(Part(path, start, end)) as f:
        rest = b""
        while True:
            block = f.read(COUNT_CHUNK)
            if not block:
                break
            data = rest + block
            cut = data.rfind(b"\n") + 1
            if cut == 0:
                rest = data
                continue
            rest = data[cut:]
            yield data[:cut]
        if rest:
            yield rest


def line_ends(chunk: bytes) -> int | None:
    """Line ends in ``chunk`` counted as Python's universal reading does
    (``\\n``, ``\\r\\n``, a lone ``\\r``), or ``None`` when it holds a lone ``\\r``
    (counted from bytes only where that is plain)."""
    if b"\r" in chunk and chunk.count(b"\r") != chunk.count(b"\r\n"):
        return None
    return chunk.count(b"\n")


def blank_lines(pattern: re.Pattern[bytes], chunk: bytes) -> int:
    return sum(1 for _ in pattern.finditer(chunk))


def state_after(reader: Callable[..., Iterator[Any]], part: Part) -> dict[str, int]:
    """The counters reached after reading ``part`` whole (the exact count, for
    ranges the byte-level count cannot be sure of)."""
    for _ in reader(part):
        pass
    if part.reached is None:
        raise ValueError("the reader did not report the counters it reached")
    return part.reached
