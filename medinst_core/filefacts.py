"""Size and sha256 of the source files a build reads, recorded in build.json;
hashed in a thread beside the build."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from .errors import MedinstError
from .sources import SourceFiles


def file_facts(path: Path, root: Path, cache: dict[Path, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Size and sha256 of a source file (path relative to the data directory)."""
    if cache is not None and path in cache:
        return cache[path]
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = str(path)
    facts = {"path": rel, "size": path.stat().st_size, "sha256": digest.hexdigest()}
    if cache is not None:
        cache[path] = facts
    return facts


class FileFacts:
    """:func:`file_facts` of every file of a split, computed in a thread."""

    def __init__(self, files: SourceFiles, cache: dict[Path, dict[str, Any]] | None) -> None:
        import threading

        self._paths = [p for role in sorted(files.roles) for p in files.roles[role]]
        self._root = files.root
        self._cache = cache
        self._facts: list[dict[str, Any]] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="medinst-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._facts = [file_facts(p, self._root, self._cache) for p in self._paths]
        except BaseException as exc:  # re-raised in the building thread by result()
            self._error = exc

    def join(self) -> None:
        self._thread.join()

    def result(self) -> list[dict[str, Any]]:
        self._thread.join()
        if self._error is not None:
            raise MedinstError(f"cannot read a source file to hash it: {self._error}") from self._error
        assert self._facts is not None
        return self._facts
