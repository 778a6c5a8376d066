"""File helpers: atomic writes and JSON Lines reading with line numbers.

Outputs are written to a hidden temporary file next to the target and renamed
over it only when complete, so an interrupted run never leaves a truncated file
that looks finished.  A hard kill can leave a ``.<name>.partial-<pid>`` file;
:func:`remove_stale_partials` (run by every build before it writes) deletes
those whose process is gone.  When writing fails (a full disk, a file-size
limit) the temporary file is removed even if closing it fails too, so a failed
run never keeps the disk full.
"""

from __future__ import annotations

import contextlib
import os
import re
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
        # closing flushes the buffer, which fails again on a full disk: the
        # file is unlinked whatever happens, and the first error is raised
        with contextlib.suppress(OSError):
            f.close()
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


_PARTIAL = re.compile(r"^\..+\.partial-(\d+)$")


def pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:
        return False
    return True


def remove_stale_partials(folder: str | os.PathLike, *, depth: int = 2) -> list[Path]:
    """Delete the temporary files (``.<name>.partial-<pid>``) that killed runs
    left in ``folder`` and its subfolders (``depth`` levels); files of a
    process still running are kept.  Returns the paths removed."""
    folder = Path(folder)
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    level = [folder]
    for _ in range(depth):
        below = []
        for d in level:
            try:
                entries = list(os.scandir(d))
            except OSError:
                continue
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    below.append(Path(entry.path))
                    continue
                m = _PARTIAL.match(entry.name)
                if m and int(m.group(1)) != os.getpid() and not pid_alive(int(m.group(1))):
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
        level = below
    return removed


@contextlib.contextmanager
def locked_folder(folder: str | os.PathLike, what: str = "build") -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (its ``.medinst.lock`` file) for the
    block; a second writer gets a :class:`~medinst_core.errors.UsageError`
    instead of mixing its files and ``build.json`` entries with the first's."""
    from .errors import UsageError

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock_path = folder / ".medinst.lock"
    f = open(lock_path, "a+b")
    try:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: no lock
            pass
        else:
            try:
                fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise UsageError(
                    f"{folder} is being written by another medinst {what} (lock {lock_path}); wait for it to finish "
                    "or choose another --out"
                ) from None
        yield
    finally:
        f.close()


def write_json(path: str | os.PathLike, data: Any) -> None:
    """Write pretty, key-sorted JSON atomically."""
    with atomic_write(path) as f:
        f.write(orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")


def read_jsonl(path: str | os.PathLike, *, what: str = "a JSON object") -> Iterator[tuple[int, Any]]:
    """``(line number, object)`` for each non-blank line (streamed; gzip
    decompressed); a malformed line is a :class:`SourceError` naming the file
    and line and saying that ``what`` was expected on it."""
    return iter_json_lines(path, expected=f"{what} on one line")
