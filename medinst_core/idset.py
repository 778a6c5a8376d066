"""The sample ids a split has made, remembered in bounded memory to find one
made twice.

Each id is remembered by its 64-bit hash (Python's string hash: two different
ids share one with probability about n^2 / 2^65).  A hash found in two chunks
is checked against the ids themselves by reading the split again (see
``pipeline._report_twice``), so two ids that only share a hash are no
duplicate; inside one chunk the chance of that is about 2^-35 and is not
checked (hashes are salted per process, so it would not recur in the next
run).  The latest :attr:`SampleIdHashes.chunk` hashes are a set,
so a duplicate among them is found at once.  When the set is full its hashes
are sorted and appended to an unnamed temporary file (8 bytes an id) and the
set is emptied: the memory stays about 2 MiB however many samples a split
has, where one set of every hash took about 60 bytes a sample (64 MiB for a
million samples).  :meth:`SampleIdHashes.repeated` then looks for hashes in two
chunks, one range of hash values at a time, so the check too stays small.
"""

from __future__ import annotations

import contextlib
import tempfile
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from typing import IO

#: hashes kept in the set before it is written out (about 2 MiB of set and ints)
CHUNK = 1 << 15
#: the range of hash values is cut into this many ranges, checked one by one
RANGES = 256
_LOW = -(1 << 63)
_BOUNDS = [_LOW + (i << 56) for i in range(1, RANGES)]


class SampleIdHashes:
    """The hashes of the sample ids of one split.  The pipeline tests and adds
    hashes on :attr:`recent` itself (a plain set: the per-sample cost of a set)
    and calls :meth:`spill` every :attr:`chunk` additions.  Given a set of its
    own (a byte range's hashes, sent back to be compared with the other
    ranges'), the caller keeps every hash there: :attr:`chunk` is then -1,
    which counting down never reaches."""

    __slots__ = ("recent", "chunk", "_file", "_runs", "_written", "_own")

    def __init__(self, recent: set[int] | None = None, chunk: int | None = None) -> None:
        self._own = recent is None
        self.recent: set[int] = set() if recent is None else recent
        self.chunk = (CHUNK if chunk is None else chunk) if recent is None else -1
        self._file: IO[bytes] | None = None
        #: per chunk written: its first position in the file (in hashes) and
        #: where each range of hash values starts inside it (RANGES + 1 positions)
        self._runs: list[tuple[int, array]] = []
        self._written = 0

    @property
    def spilled(self) -> bool:
        """Some hashes were written out (:meth:`twice` has something to check)."""
        return bool(self._runs)

    def spill(self) -> None:
        """Write the set's hashes out, sorted, and empty it."""
        if not self.recent:
            return
        run = array("q", sorted(self.recent))
        self.recent.clear()
        if self._file is None:
            self._file = tempfile.TemporaryFile(prefix="medinst-ids-")
        self._file.seek(0, 2)
        run.tofile(self._file)
        starts = array("q", [0, *(bisect_left(run, b) for b in _BOUNDS), len(run)])
        self._runs.append((self._written, starts))
        self._written += len(run)

    def twice(self) -> int | None:
        """A hash written in two chunks (or in a chunk and the set), else None."""
        return next(self.repeated(), None)

    def repeated(self) -> Iterator[int]:
        """Each hash written in two chunks (or in a chunk and the set), once."""
        if not self._runs:
            return
        self.spill()
        f = self._file
        assert f is not None
        f.flush()
        total = self._written
        r = 0
        while r < RANGES:
            # ranges are grouped until a group holds about a chunk of hashes
            group_end, count = r, 0
            while group_end < RANGES and count < self.chunk:
                count += sum(starts[group_end + 1] - starts[group_end] for _, starts in self._runs)
                group_end += 1
            values = array("q")
            for first, starts in self._runs:
                lo, hi = starts[r], starts[group_end]
                if hi > lo:
                    f.seek((first + lo) * 8)
                    values.frombytes(f.read((hi - lo) * 8))
            if len(set(values)) != len(values):
                known: set[int] = set()
                told: set[int] = set()
                for h in values:
                    if h in known and h not in told:
                        told.add(h)
                        yield h
                    known.add(h)
            r = group_end
            total -= len(values)
        assert total == 0

    @contextlib.contextmanager
    def checking(self, report: Callable[[int], object]) -> Iterator[None]:
        """Around the making of the samples: when it ends without an error,
        ``report`` gets each hash written in two chunks (it raises for a sample id
        made twice and returns for two ids that only share a hash); the
        temporary file is closed in any case."""
        try:
            yield
            for twice in self.repeated():
                report(twice)
        finally:
            self.close()

    def close(self) -> None:
        """Drop the temporary file and the set (not a set given by the caller)."""
        if self._file is not None:
            self._file.close()
            self._file = None
        if self._own:
            self.recent.clear()


class WatchOne:
    """A stand-in for the set of hashes that remembers only ``target``: a build
    run again with it stops with the pipeline's own error (sample id, record,
    file and line) at the second sample whose id has that hash."""

    __slots__ = ("target", "count")

    def __init__(self, target: int) -> None:
        self.target = target
        self.count = 0

    def __contains__(self, h: object) -> bool:
        return h == self.target and self.count > 0

    def add(self, h: int) -> None:
        if h == self.target:
            self.count += 1


class NoCheck:
    """A stand-in for the set of hashes that remembers nothing: the split is
    read again without reporting any id as made twice."""

    __slots__ = ()

    def __contains__(self, h: object) -> bool:
        return False

    def add(self, h: int) -> None:
        pass
