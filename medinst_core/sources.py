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
import heapq
import os
import re
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import overload

import attrs

from .errors import MissingFilesError, SourceError
from .listing import Listing, Strings, path_order


class PathList(Sequence[Path]):
    """The files of one role, in order: their paths below ``root`` kept packed
    (a :class:`~medinst_core.listing.Strings`, about 8 bytes a file besides the
    path's characters, where a ``Path`` object with the parts and string it
    caches takes 300 or so); a ``Path`` is made each time a file is read from
    the list.  Compares equal to a tuple or list of the same paths."""

    __slots__ = ("root", "_relative")

    def __init__(self, root: Path, relative: Iterable[str]) -> None:
        self.root = root
        self._relative = Strings(relative)

    def __len__(self) -> int:
        return len(self._relative)

    @overload
    def __getitem__(self, i: int) -> Path: ...

    @overload
    def __getitem__(self, i: slice) -> tuple[Path, ...]: ...

    def __getitem__(self, i: int | slice) -> Path | tuple[Path, ...]:
        if isinstance(i, slice):
            return tuple(Path(self.root, rel) for rel in self._relative[i])
        try:
            return Path(self.root, self._relative[i])
        except IndexError:
            raise IndexError("PathList index out of range") from None

    def __iter__(self) -> Iterator[Path]:
        root = self.root
        for rel in self._relative:
            yield Path(root, rel)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PathList):
            return self.root == other.root and list(self._relative) == list(other._relative)
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __add__(self, other: Iterable[Path]) -> tuple[Path, ...]:
        return (*self, *other)

    def __radd__(self, other: Iterable[Path]) -> tuple[Path, ...]:
        return (*other, *self)

    def __repr__(self) -> str:
        return f"PathList({list(self)!r})"


@attrs.frozen(slots=True)
class SourceFiles:
    """The resolved files of one split, by role, handed to a reader: a
    :class:`PathList` per role when found by a :class:`FileIndex`, any
    sequence of paths when made by hand."""

    root: Path
    roles: Mapping[str, Sequence[Path]]

    def all(self, role: str = "data") -> Sequence[Path]:
        """Every file of ``role`` (possibly none if the role is optional), a
        tuple or a :class:`PathList`."""
        files = self.roles.get(role, ())
        return files if isinstance(files, (tuple, PathList)) else tuple(files)

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
    listed in :attr:`skipped_links`.

    The names are kept packed and the files numbered in path order (see
    :mod:`medinst_core.listing`): about 20 bytes a file besides its name's
    characters, so a folder of 400,000 BRAT files costs some 15 MiB, not the
    60 or so of a list of names, a set of matches and their sorted parts."""

    def __init__(self, root: str | os.PathLike, *, follow_symlinks: bool = False):
        self.root = Path(root)
        if not self.root.is_dir():
            raise MissingFilesError(f"data directory {self.root} does not exist or is not a directory")
        real_root = os.path.realpath(self.root)
        self.skipped_links: list[str] = []

        def inside(path: str) -> bool:
            real = os.path.realpath(path)
            return follow_symlinks or real == real_root or real.startswith(real_root.rstrip(os.sep) + os.sep)

        def keep_folder(path: str, is_link: bool) -> bool:
            real = os.path.realpath(path)
            if real in visited:
                return False  # a link loop, or a second link to a folder already listed
            if is_link and not inside(path):
                self.skipped_links.append(path)
                return False
            visited.add(real)
            return True

        def keep_file(path: str) -> bool:
            if inside(path):
                return True
            self.skipped_links.append(path)
            return False

        visited = {real_root}
        # each file is its name and the number of its folder, numbered in path order
        listing = Listing(str(self.root), keep_folder, keep_file)
        self._dirs = listing.folders
        self._names = listing.names
        self._name = listing.names.getter()
        self._dir_of = listing.folder_of
        #: file numbers ordered by name (made on first use)
        self._order: array | None = None
        # look-ups already made: the tasks of one dataset share their patterns
        self._by_segment: dict[str, array] = {}
        self._by_pattern: dict[tuple[str, tuple[str, ...]], array] = {}

    def listed(self) -> Iterator[tuple[str, ...]]:
        """Every listed file's path parts below the folder, in path order."""
        return map(self._parts, range(len(self._names)))

    def _parts(self, i: int) -> tuple[str, ...]:
        """The path parts of file number ``i`` below the folder."""
        return self._dirs[self._dir_of[i]] + (self._name(i),)

    def find(self, patterns: Iterable[str]) -> PathList:
        """The files below the folder matching any of ``patterns``.  When none
        does, the folder's own name counts as part of their paths, so that a
        data directory that *is* the dataset's folder (``--data-dir
        ~/data/MeDAL`` for ``*MeDAL*/train.csv``) is searched as its parent
        would be."""
        patterns = list(patterns)
        compiled = [_compile(pattern) for pattern in patterns]
        found = self._find(patterns, compiled, ())
        if not found:
            name = self.root.resolve().name
            if name:
                found = self._find(patterns, compiled, (name,))
        return PathList(self.root, ("/".join(self._parts(i)) for i in found))

    def _by_name(self) -> array:
        """The file numbers ordered by file name (made on first use)."""
        if self._order is None:
            # a folder's files are numbered in name order: merge the folders
            per_folder = [array("I") for _ in self._dirs]
            for i, folder in enumerate(self._dir_of):
                per_folder[folder].append(i)
            runs = [run for run in per_folder if run]
            if len(runs) == 1:
                self._order = runs[0]
            else:
                name = self._name
                merged = heapq.merge(*[((name(i), i) for i in run) for run in runs])
                self._order = array("I", (i for _, i in merged))
        return self._order

    def _named(self, name: str) -> Iterable[int]:
        """The numbers of the files called ``name``."""
        order, name_of = self._by_name(), self._name
        k = bisect_left(order, name, key=name_of)
        while k < len(order) and name_of(order[k]) == name:
            yield order[k]
            k += 1

    def _find(self, patterns: Sequence[str], compiled: list, prefix: tuple[str, ...]) -> array:
        """The numbers of the files (as listed, without ``prefix``) whose
        path, after ``prefix``, matches one of the patterns, ascending (in
        path order).  The last segment of a pattern always matches the file
        name unless it is ``**``: each distinct name is tested once (a
        literal name is a binary search among the names), and for the files
        with a matching name the rest of the pattern is tested once per
        folder."""
        found: list[array] = []
        for pattern, segs in zip(patterns, compiled):
            key = (pattern, prefix)
            hits = self._by_pattern.get(key)
            if hits is None:
                hits = self._by_pattern[key] = path_order([array("I", self._find_one(pattern, segs, prefix))],
                                                          len(self._names))
            found.append(hits)
        if len(found) == 1:
            return found[0]
        return path_order(found, len(self._names))

    def _find_one(self, pattern: str, segs: list, prefix: tuple[str, ...]) -> Iterable[int]:
        if not segs:
            return ()
        # patterns match the end of a path: a leading ** matches whatever is left
        while len(segs) > 1 and segs[0] is None:
            segs = segs[1:]
        last = segs[-1]
        if last is None:
            # a pattern ending in **: the whole path is matched
            parts = self._parts
            return [i for i in range(len(self._names)) if _match(segs, prefix + parts(i))]
        candidates = self._with_name(pattern.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1], last)
        if len(segs) == 1 and not prefix:
            return candidates  # the name is the whole pattern
        return self._in_folders(candidates, segs, prefix)

    def _with_name(self, name_segment: str, compiled: re.Pattern) -> Iterable[int]:
        """The files whose name matches the last segment of a pattern."""
        if _MAGIC.search(name_segment) is None:
            return self._named(name_segment)
        hit = self._by_segment.get(name_segment)
        if hit is None:
            # each distinct name is tested once: the files are ordered by name
            hit = array("I")
            previous, matched = None, False
            order = self._by_name()
            for i, name in zip(order, self._names.pick(order)):
                if name != previous:
                    previous, matched = name, bool(compiled.match(name))
                if matched:
                    hit.append(i)
            self._by_segment[name_segment] = hit
        return hit

    def _in_folders(self, candidates: Iterable[int], segs: list, prefix: tuple[str, ...]) -> list[int]:
        """The ``candidates`` (whose name matched the last segment) whose
        folder matches the segments before it."""
        # the name matched: whether the rest does depends only on the folder
        head, n, extra, anywhere = segs[:-1], len(segs), len(prefix), None in segs
        dirs, dir_of = self._dirs, self._dir_of

        def folder_matches(d: int) -> bool:
            folder = dirs[d]
            if anywhere:
                return _match(head, prefix + folder)
            if prefix:
                # the search with the prefix comes after the one without found
                # nothing: only paths shorter than the pattern can match now
                return len(folder) + 1 < n <= len(folder) + 1 + extra and _match_fixed(head, prefix + folder)
            return _match_fixed(head, folder)

        known: dict[int, bool] = {}
        found = []
        for i in candidates:
            d = dir_of[i]
            ok = known.get(d)
            if ok is None:
                ok = known[d] = folder_matches(d)
            if ok:
                found.append(i)
        return found

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
        resolved: dict[str, Sequence[Path]] = {}
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
