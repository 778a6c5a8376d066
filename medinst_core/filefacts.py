"""Size and sha256 of the source files a build reads, recorded in build.json;
hashed in a thread beside the build.

A split of at most :data:`FILES_LISTED` files lists each of them in
build.json (``files``: path, size, sha256 and whether it matched the
manifest's ``dataset.files``).  A split of more files (a BRAT corpus of
thousands of documents) records ``files_summary`` instead: the number of
files, their total size, how many matched, and one sha256 over the list the
``files`` entry would hold (:func:`facts_digest`), so two builds from the same
files still show the same digest while the per-file entries, about 800 bytes
of memory a file while the build runs and again when build.json is read
back, are not kept."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import MedinstError
from .sources import SourceFiles


def sha256_file(path: str | Path) -> str:
    """The hex sha256 of a file, read 1 MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_facts(path: Path, root: Path, cache: dict[Path, dict[str, Any]] | None = None) -> dict[str, Any]:
    """Size and sha256 of a source file (path relative to the data directory)."""
    if cache is not None and path in cache:
        return cache[path]
    sha256 = sha256_file(path)
    try:
        rel = path.relative_to(root).as_posix()
    except ValueError:
        rel = str(path)
    facts = {"path": rel, "size": path.stat().st_size, "sha256": sha256}
    if cache is not None:
        cache[path] = facts
    return facts


#: a split with more source files than this records a summary of them in build.json
FILES_LISTED = 1000


def fact_line(facts: Mapping[str, Any]) -> bytes:
    """One file's line in :func:`facts_digest`: ``<path>\\t<size>\\t<sha256>\\n``."""
    return f"{facts['path']}\t{facts['size']}\t{facts['sha256']}\n".encode()


def facts_digest(facts: Iterable[Mapping[str, Any]]) -> str:
    """The sha256 of a split's files in ``files_summary``: over the UTF-8 lines
    ``<path>\\t<size>\\t<sha256>\\n`` of its files, in the order ``files``
    would list them (roles by name, then each role's files by path)."""
    digest = hashlib.sha256()
    for item in facts:
        digest.update(fact_line(item))
    return digest.hexdigest()


#: a file this small is read to see whether it holds only white space
BLANK_CHECK_BYTES = 1 << 16


def is_blank(path: Path, size: int) -> bool:
    """The file is empty (0 bytes) or holds only white space (a BOM, line
    ends, spaces), gzip-decompressed when it is gzip data."""
    if size == 0:
        return True
    if size > BLANK_CHECK_BYTES:
        return False
    with open(path, "rb") as f:
        data = f.read(BLANK_CHECK_BYTES + 1)
    if data[:2] == b"\x1f\x8b":
        import gzip
        import zlib

        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error):
            return False  # corrupt: the reader says so
    return not data.removeprefix(b"\xef\xbb\xbf").strip()


def refuse_blank(what: str, files: SourceFiles, blank: list[Path], allowed: tuple[str, ...] | None = ()) -> None:
    """An empty (or white-space only) source file is an error, as an empty
    split is: among several files it is most likely a download or copy cut
    short, and its documents would be silently missing.  Files whose names end
    with one of ``allowed`` (annotation files: a document without
    annotations) may be blank; with ``allowed=None`` any file may (a reader
    that reads and counts blank files itself, as a corpus with a known empty
    file needs)."""
    blank = [p for p in blank if not (allowed and p.name.endswith(allowed))]
    if not blank or allowed is None:
        return
    total = sum(len(ps) for ps in files.roles.values())
    kind = "is empty (0 bytes)" if blank[0].stat().st_size == 0 else "holds only white space"
    more = f"; {len(blank)} of the split's {total} files are blank" if len(blank) > 1 else ""
    raise MedinstError(f"{what}: {blank[0]} {kind}: a download or copy cut short? "
                       f"(an empty source file is an error, as an empty split is{more})")


class FileFacts:
    """:func:`file_facts` of every file of a split, computed in a thread, with
    ``expected`` (whether a file matches the manifest) added to each, and
    which of them are blank (:func:`is_blank`).  Beyond :data:`FILES_LISTED`
    files only :attr:`summary` is made (see the module's docstring)."""

    def __init__(self, files: SourceFiles, cache: dict[Path, dict[str, Any]] | None,
                 expected: Callable[[Mapping[str, Any]], str] | None = None) -> None:
        import threading

        # the roles' sequences, not a list of their paths: a PathList makes
        # each Path as it is read, and this thread is alive for the whole build
        self._roles = [files.roles[role] for role in sorted(files.roles)]
        self._root = files.root
        self._cache = cache
        self._expected = expected
        self._facts: list[dict[str, Any]] | None = None
        #: ``files_summary`` of build.json when the split has more than FILES_LISTED files
        self.summary: dict[str, Any] | None = None
        #: the blank files among them (known once the thread is done)
        self.blank: list[Path] = []
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="medinst-sha256", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            if sum(map(len, self._roles)) <= FILES_LISTED:
                self._facts = [self._one(p, self._cache) for paths in self._roles for p in paths]
            else:
                self._facts, self.summary = [], self._summarise()
        except BaseException as exc:  # re-raised in the building thread by result()
            self._error = exc

    def _one(self, path: Path, cache: dict[Path, dict[str, Any]] | None) -> dict[str, Any]:
        facts = file_facts(path, self._root, cache)
        if is_blank(path, facts["size"]):
            self.blank.append(path)
        return facts if self._expected is None else dict(facts, expected=self._expected(facts))

    def _summarise(self) -> dict[str, Any]:
        digest = hashlib.sha256()
        total = 0
        checks: dict[str, int] = {}
        count = 0
        for path in (p for paths in self._roles for p in paths):
            facts = self._one(path, None)  # not cached: the cache would keep them all
            count += 1
            digest.update(fact_line(facts))
            total += facts["size"]
            if "expected" in facts:
                checks[facts["expected"]] = checks.get(facts["expected"], 0) + 1
        summary: dict[str, Any] = {"count": count, "size": total, "sha256": digest.hexdigest()}
        if self._expected is not None:
            summary["expected"] = {k: checks[k] for k in sorted(checks)}
        return summary

    def join(self) -> None:
        self._thread.join()

    def result(self) -> list[dict[str, Any]]:
        """The per-file facts (empty when the split is summarised: :attr:`summary`)."""
        self._thread.join()
        if self._error is not None:
            raise MedinstError(f"cannot read a source file to hash it: {self._error}") from self._error
        assert self._facts is not None
        return self._facts
