"""File helpers: atomic writes and JSON Lines reading with line numbers.

Outputs are written to a hidden temporary file next to the target and renamed
over it only when complete, so an interrupted run never leaves a truncated file
that looks finished (a stale ``.<name>.partial-*`` file may remain after a
hard kill; it is never read and the next run replaces it).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from .readers.jsonstream import iter_json_lines


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike) -> Iterator[IO[bytes]]:
    """Open ``path`` for binary writing; it appears only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.partial-{os.getpid()}")
    f = open(tmp, "wb")
    try:
        yield f
        f.flush()
        os.fsync(f.fileno())
        f.close()
        os.replace(tmp, path)
    except BaseException:
        f.close()
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write pretty, key-sorted JSON atomically."""
    with atomic_write(path) as f:
        f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def read_jsonl(path: str | os.PathLike, *, what: str = "a JSON object") -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for each non-blank line (streamed; gzip
    decompressed); a malformed line is a :class:`SourceError` naming the file
    and line and saying that ``what`` was expected on it."""
    return iter_json_lines(path, expected=f"{what} on one line")
