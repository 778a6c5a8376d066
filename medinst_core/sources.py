"""Finding a task's native source files under the directory the user gives.

A manifest names the files of each split by *patterns*, grouped by *role*
(``data`` for the usual single role; e.g. ``claims`` and ``corpus`` for a
reader that joins two files).  Patterns are matched against the path of every
file below the data directory, from the right, so users can point at the
unpacked download without rearranging it:

* ``CDR_TrainingSet.PubTator.txt`` -- a file with that name anywhere;
* ``train/*.txt`` -- ``*.txt`` files directly inside any folder named ``train``;
* ``*train*/*.a1`` -- each path segment is an ``fnmatch`` pattern;
* ``**`` as a segment matches any number of folders.

Matching is case-sensitive; results are sorted so builds are deterministic.
"""

from __future__ import annotations

import fnmatch
import os
import re
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import attrs

from .errors import MissingFilesError, SourceError


@attrs.frozen(slots=True)
class SourceFiles:
    """The resolved files of one split, by role, handed to a reader."""

    root: Path
    roles: Mapping[str, tuple[Path, ...]]

    def all(self, role: str = "data") -> tuple[Path, ...]:
        """Every file of ``role`` (possibly none if the role is optional)."""
        return tuple(self.roles.get(role, ()))

    def one(self, role: str = "data") -> Path:
        """The single file of ``role``; an error naming the role otherwise."""
        files = self.all(role)
        if len(files) != 1:
            found = ", ".join(str(f) for f in files) or "none"
            raise SourceError(
                self.root, None, f"expected exactly one file for role {role!r}, found {len(files)}: {found}"
            )
        return files[0]

    def optional(self, role: str) -> Path | None:
        files = self.all(role)
        return files[0] if files else None


def _compile(pattern: str) -> list[re.Pattern | None]:
    segments = [s for s in pattern.replace("\\", "/").split("/") if s]
    return [None if s == "**" else re.compile(fnmatch.translate(s)) for s in segments]


def _match(segments: list[re.Pattern | None], parts: Sequence[str]) -> bool:
    """Match compiled segments against the *end* of ``parts`` (the general
    matcher: any pattern, ``**`` included)."""
    return _go(segments, parts, len(segments) - 1, len(parts) - 1, {})


def _go(segments: list[re.Pattern | None], parts: Sequence[str], i: int, j: int, memo: dict) -> bool:
    # i indexes segments from the right, j parts from the right
    if i < 0:
        return True
    if j < 0:
        return all(s is None for s in segments[: i + 1])
    key = (i, j)
    hit = memo.get(key)
    if hit is not None:
        return hit
    seg = segments[i]
    if seg is None:
        result = _go(segments, parts, i - 1, j, memo) or _go(segments, parts, i, j - 1, memo)
    else:
        result = bool(seg.match(parts[j])) and _go(segments, parts, i - 1, j - 1, memo)
    memo[key] = result
    return result


def _match_fixed(segments: Sequence[re.Pattern], parts: Sequence[str]) -> bool:
    """The fast path for a pattern without ``**``: segment k from the right
    matches part k from the right, and there are at least as many parts."""
    offset = len(parts) - len(segments)
    if offset < 0:
        return False
    for k, seg in enumerate(segments):
        if not seg.match(parts[offset + k]):
            return False
    return True


_MAGIC = re.compile(r"[*?\[]")


class FileIndex:
    """All files below a directory, listed once and matched many times.

    Hidden files and folders (a name starting with a dot) and ``__MACOSX/`` are
    left out: they are never a dataset's files (an archive re-packed on macOS
    adds a binary ``._<name>`` companion of every file).

    Symbolic links are followed only while they stay inside the folder (a link
    in an unpacked archive pointing at ``/etc/passwd`` is not read), unless
    ``follow_symlinks`` is true; either way each real folder is walked once,
    so a link loop cannot make the walk endless.  The links left out are
    listed in :attr:`skipped_links`."""

    def __init__(self, root: str | os.PathLike, *, follow_symlinks: bool = False):
        self.root = Path(root)
        if not self.root.is_dir():
            raise MissingFilesError(f"data directory {self.root} does not exist or is not a directory")
        real_root = os.path.realpath(self.root)
        self.skipped_links: list[str] = []

        def inside(path: str) -> bool:
            real = os.path.realpath(path)
            return follow_symlinks or real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

        files: list[tuple[str, ...]] = []
        visited = {real_root}
        for dirpath, dirnames, filenames in os.walk(self.root, followlinks=True):
            # hidden files and folders are never data: among them the ._<name>
            # companions and the __MACOSX/ folder of an archive packed on macOS
            keep = []
            for d in sorted(d for d in dirnames if not d.startswith(".") and d != "__MACOSX"):
                full = os.path.join(dirpath, d)
                real = os.path.realpath(full)
                if real in visited:
                    continue  # a link loop, or a second link to a folder already listed
                if os.path.islink(full) and not inside(full):
                    self.skipped_links.append(full)
                    continue
                visited.add(real)
                keep.append(d)
            dirnames[:] = keep
            rel = Path(dirpath).relative_to(self.root).parts
            for name in sorted(filenames):
                if name.startswith("."):
                    continue
                full = os.path.join(dirpath, name)
                if os.path.islink(full) and not inside(full):
                    self.skipped_links.append(full)
                    continue
                files.append(rel + (name,))
        self._files = files
        self._names: dict[str, list[tuple[str, ...]]] | None = None
        # look-ups already made: the tasks of one dataset share their patterns
        self._by_segment: dict[str, list[tuple[str, ...]]] = {}
        self._by_pattern: dict[tuple[str, tuple[str, ...]], frozenset[tuple[str, ...]]] = {}

    def find(self, patterns: Iterable[str]) -> tuple[Path, ...]:
        """The files below the folder matching any of ``patterns``.  When none
        does, the folder's own name counts as part of their paths, so that a
        data directory that *is* the dataset's folder (``--data-dir
        ~/data/MeDAL`` for ``*MeDAL*/train.csv``) is searched as its parent
        would be."""
        compiled = [_compile(pattern) for pattern in patterns]
        found = self._find(patterns, compiled, ())
        if not found:
            name = self.root.resolve().name
            if name:
                found = self._find(patterns, compiled, (name,))
        return tuple(self.root.joinpath(*p) for p in sorted(found))

    def _by_name(self) -> dict[str, list[tuple[str, ...]]]:
        """The listed files grouped by file name (built on first use)."""
        if self._names is None:
            names: dict[str, list[tuple[str, ...]]] = {}
            for parts in self._files:
                names.setdefault(parts[-1], []).append(parts)
            self._names = names
        return self._names

    def _find(self, patterns: Iterable[str], compiled: list, prefix: tuple[str, ...]) -> set[tuple[str, ...]]:
        """The files (as listed, without ``prefix``) whose path, after
        ``prefix``, matches one of the patterns.  The last segment of a
        pattern always matches the file name unless it is ``**``: the file
        names are tested once each (a literal name is one dict look-up) and
        only the files with a matching name go through the full match."""
        found: set[tuple[str, ...]] = set()
        for pattern, segs in zip(patterns, compiled):
            key = (pattern, prefix)
            hits = self._by_pattern.get(key)
            if hits is None:
                hits = self._by_pattern[key] = frozenset(self._find_one(pattern, segs, prefix))
            found.update(hits)
        return found

    def _find_one(self, pattern: str, segs: list, prefix: tuple[str, ...]) -> Iterable[tuple[str, ...]]:
        if not segs:
            return ()
        # patterns match the end of a path: a leading ** matches whatever is left
        while len(segs) > 1 and segs[0] is None:
            segs = segs[1:]
        last = segs[-1]
        if last is None:
            candidates: Iterable[tuple[str, ...]] = self._files
        else:
            name_segment = pattern.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            by_name = self._by_name()
            if _MAGIC.search(name_segment) is None:
                candidates = by_name.get(name_segment, ())
            else:
                hit = self._by_segment.get(name_segment)
                if hit is None:
                    hit = self._by_segment[name_segment] = [
                        p for name, ps in by_name.items() if last.match(name) for p in ps
                    ]
                candidates = hit
        if None in segs:
            if prefix:
                return [p for p in candidates if _match(segs, prefix + p)]
            return [p for p in candidates if _match(segs, p)]
        if prefix:
            # the search with the prefix comes after the one without found
            # nothing: only paths shorter than the pattern can match now
            n, extra = len(segs), len(prefix)
            return [p for p in candidates if len(p) < n <= len(p) + extra and _match_fixed(segs, prefix + p)]
        return [p for p in candidates if _match_fixed(segs, p)]

    def resolve(
        self,
        roles: Mapping[str, Sequence[str]],
        *,
        what: str,
        optional_roles: Iterable[str] = (),
    ) -> SourceFiles:
        """Resolve the patterns of every role; a required role with no match is
        an error naming the expected patterns and the folder searched."""
        optional = set(optional_roles)
        resolved: dict[str, tuple[Path, ...]] = {}
        missing: list[str] = []
        for role, patterns in roles.items():
            files = self.find(patterns)
            if not files and role not in optional:
                missing.append(f"{role}: " + ", ".join(patterns))
            resolved[role] = files
        if missing:
            links = ""
            if self.skipped_links:
                links = (f" ({len(self.skipped_links)} symbolic link(s) pointing out of the folder were not followed, "
                         f"e.g. {self.skipped_links[0]}; use --follow-symlinks to follow them)")
            raise MissingFilesError(
                f"{what}: no file matching ({'; '.join(missing)}) anywhere under {self.root}{links}"
            )
        return SourceFiles(root=self.root, roles=resolved)


def normalize_roles(spec: str | Sequence[str] | Mapping[str, str | Sequence[str]]) -> dict[str, list[str]]:
    """A manifest's split entry -> ``{role: [patterns]}`` (a bare list is role ``data``)."""
    if isinstance(spec, str):
        return {"data": [spec]}
    if isinstance(spec, Mapping):
        return {role: [p] if isinstance(p, str) else list(p) for role, p in spec.items()}
    return {"data": list(spec)}
