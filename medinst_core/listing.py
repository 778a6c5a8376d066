"""Listing every file below a folder in path order, in little memory.

A BRAT corpus keeps two or three files a document in one folder: 200,000
documents are 600,000 names.  As Python strings in a list they take about
60 bytes each; here the names are kept as one string and the end of each in
an array (:class:`Strings`, about 8 bytes a name besides its characters), a
folder is read with ``os.scandir`` a batch at a time, each batch sorted and
packed, and the sorted batches are merged, so the whole folder is never a
list of strings either.

Files are numbered in *path order*: the order of their paths' parts compared
as tuples, the order ``sorted`` gives them (a folder's files and subfolders by
name, a subfolder's whole contents where its name sorts).  Sorting any subset
of the files by path is then sorting their numbers.
"""

from __future__ import annotations

import heapq
import os
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import compress
from typing import overload

#: names of one folder read before they are sorted and packed
BATCH = 32768
#: names joined at a time while packing (the list of pieces stays small)
_PIECES = 4096


def pack(items: Iterable[str]) -> tuple[str, array]:
    """The strings of ``items`` joined into one, and where each starts and
    ends in it: item ``i`` is ``joined[bounds[i]:bounds[i + 1]]``."""
    chunks: list[str] = []
    pieces: list[str] = []
    bounds = array("q", (0,))
    end = 0
    for item in items:
        pieces.append(item)
        end += len(item)
        bounds.append(end)
        if len(pieces) == _PIECES:
            chunks.append("".join(pieces))
            pieces.clear()
    chunks.append("".join(pieces))
    return "".join(chunks), bounds


class Strings(Sequence[str]):
    """A sequence of strings kept as one string and the bounds of each; an
    item is a new string each time it is read."""

    __slots__ = ("_joined", "_bounds")

    def __init__(self, items: Iterable[str] = ()) -> None:
        self._joined, self._bounds = pack(items)

    def __len__(self) -> int:
        return len(self._bounds) - 1

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        n = len(self._bounds) - 1
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("Strings index out of range")
        return self._joined[self._bounds[i] : self._bounds[i + 1]]

    def __iter__(self) -> Iterator[str]:
        joined, bounds = self._joined, self._bounds
        for i in range(len(bounds) - 1):
            yield joined[bounds[i] : bounds[i + 1]]

    def pick(self, numbers: Iterable[int]) -> Iterator[str]:
        """The items numbered ``numbers``, in that order."""
        joined, bounds = self._joined, self._bounds
        for i in numbers:
            yield joined[bounds[i] : bounds[i + 1]]

    def getter(self) -> Callable[[int], str]:
        """``self[i]`` for ``0 <= i < len(self)``, without the checks (for loops over many items)."""
        joined, bounds = self._joined, self._bounds
        return lambda i: joined[bounds[i] : bounds[i + 1]]


class Listing:
    """Every file below ``root`` (relative folder parts and name) in path
    order, hidden files and folders and ``__MACOSX/`` left out.

    ``keep_folder(path, is_link)`` is asked about each subfolder (after the
    folder holding it is listed, in name order) and ``keep_file(path)`` about
    each file that is a symbolic link; a folder or link they refuse is left
    out.  A folder that cannot be read is left out, as ``os.walk`` does."""

    def __init__(self, root: str, keep_folder: Callable[[str, bool], bool], keep_file: Callable[[str], bool]):
        self.folders: list[tuple[str, ...]] = []  #: each folder's parts below root, by number
        self.folder_of = array("I")  #: the number of each file's folder
        self._keep_folder, self._keep_file = keep_folder, keep_file
        self.names = Strings(self._walk(root))

    def _walk(self, root: str) -> Iterator[str]:
        # one frame per folder being listed: [number, path, file names (an
        # iterator), the next file name, subfolder names, next subfolder]
        stack: list[list] = []

        def enter(path: str, parts: tuple[str, ...]) -> None:
            files, subfolders = self._read(path)
            self.folders.append(parts)
            names = iter(files)
            stack.append([len(self.folders) - 1, path, parts, names, next(names, None), subfolders, 0])

        enter(root, ())
        folder_of = self.folder_of
        while stack:
            frame = stack[-1]
            number, path, parts, names, name, subfolders, k = frame
            if k < len(subfolders) and (name is None or subfolders[k] < name):
                frame[6] = k + 1
                sub = subfolders[k]
                enter(os.path.join(path, sub), (*parts, sub))
                continue
            if name is None:
                stack.pop()
                continue
            folder_of.append(number)
            yield name
            frame[4] = next(names, None)

    def _read(self, path: str) -> tuple[Iterable[str], list[str]]:
        """The file names of the folder at ``path`` (sorted) and its subfolders
        kept (sorted)."""
        runs: list[Strings] = []
        batch: list[str] = []
        folders: list[str] = []
        folder_links: set[str] = set()
        links: list[str] = []
        try:
            with os.scandir(path) as entries:
                for entry in entries:
                    name = entry.name
                    if name.startswith("."):
                        continue
                    try:
                        is_dir = entry.is_dir()
                    except OSError:
                        is_dir = False
                    if is_dir:
                        if name != "__MACOSX":
                            folders.append(name)
                            if entry.is_symlink():
                                folder_links.add(name)
                    elif entry.is_symlink():
                        links.append(name)
                    else:
                        batch.append(name)
                        if len(batch) == BATCH:
                            batch.sort()
                            runs.append(Strings(batch))
                            batch = []
        except OSError:
            return (), []
        folders.sort()
        kept = [name for name in folders if self._keep_folder(os.path.join(path, name), name in folder_links)]
        batch.extend(sorted(name for name in links if self._keep_file(os.path.join(path, name))))
        batch.sort()
        if not runs:
            return batch, kept
        runs.append(Strings(batch))
        return heapq.merge(*runs), kept


def path_order(found: Sequence[Sequence[int]], count: int) -> array:
    """The distinct file numbers of ``found`` (sequences of numbers below
    ``count``), ascending: in path order."""
    total = sum(len(hits) for hits in found)
    if total * 8 < count:
        return array("I", sorted({i for hits in found for i in hits}))
    marks = bytearray(count)
    for hits in found:
        for i in hits:
            marks[i] = 1
    return array("I", compress(range(count), marks))
