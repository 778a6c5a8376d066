"""Checks the readers apply to what they read, as their options ask:

* :class:`OffsetChecker` -- the ``offset_check: "error" | "warn"`` option (a
  mention's annotated text against the document text at its offsets), and
  :func:`split_fragments` for discontinuous mentions;
* :class:`UniqueIds` -- the ``duplicate_ids`` option (document ids that occur twice).
"""

from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from ..default_plugins.readers import _DUPLICATE_IDS, _OFFSET_CHECK
from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError

OFFSET_MISMATCH = "offset_mismatch"


class OffsetChecker:
    """Applies the ``offset_check`` option: a mention whose annotated text is
    not the document text at its offsets is an error (``"error"``, default)
    or a counted ``offset_mismatch`` warning (``"warn"``)."""

    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        mode = options.get("offset_check", _OFFSET_CHECK["default"])
        if mode not in ("error", "warn"):
            raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {mode!r}")
        self.warn = mode == "warn"
        self.diagnostics = diagnostics

    def mismatch(self, path, line: int | None, doc_id: str, what: str, expected: str, found: str) -> None:
        """Report that ``what`` is annotated as ``expected`` but the text there is ``found``."""
        message = f"document {doc_id}: {what} is annotated as {expected!r} but the text at its offsets is {found!r}"
        if self.warn:
            where = f"{path}:{line}" if line is not None else str(path)
            self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {message}")
            return
        raise SourceError(path, line, message)

    def fragments(
        self,
        text: str,
        offsets: Sequence[tuple[int, int]],
        annotated: str,
        path,
        line: int | None,
        doc_id: str,
        what: str,
    ) -> tuple[str, ...]:
        """The text of each fragment; checks the fragments (joined by a space)
        against the annotated text.  Out-of-range offsets are a mismatch too.
        Returns the annotated text split into fragments when the check is
        only a warning and fails."""
        n = len(text)
        frags = []
        for s, e in offsets:
            if s < 0 or e < s or e > n:
                msg = f"document {doc_id}: {what} has offsets {s}-{e} outside the text (length {n})"
                if self.warn:
                    where = f"{path}:{line}" if line is not None else str(path)
                    self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {msg}")
                    return split_fragments(annotated, offsets)
                raise SourceError(path, line, msg)
            frags.append(text[s:e])
        found = frags[0] if len(frags) == 1 else " ".join(frags)
        if found != annotated:
            self.mismatch(path, line, doc_id, what, annotated, found)
            return split_fragments(annotated, offsets)
        return tuple(frags)


def split_fragments(annotated: str, offsets: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Best effort split of an annotated text into one piece per fragment
    (used only when a mismatch was tolerated)."""
    if len(offsets) == 1:
        return (annotated,)
    pieces: list[str] = []
    pos = 0
    for i, (s, e) in enumerate(offsets):
        if i == len(offsets) - 1:
            pieces.append(annotated[pos:])
        else:
            pieces.append(annotated[pos : pos + max(e - s, 0)])
            pos += max(e - s, 0) + 1
    return tuple(pieces)


class IdDigests:
    """A set of ids that stays small for millions of ids.

    The first :attr:`EXACT` ids are kept as strings (a plain set: fast, and
    exact).  Beyond that every id is kept as an 8-byte digest (Python's 64-bit
    string hash) in open-addressing tables of machine words: 11-21 bytes an
    id instead of the 80 or so of a set of strings, so that a split of
    millions of documents keeps a flat memory.  Two different ids share a
    digest with probability about n^2 / 2^65 (3e-8 for a million ids): such a
    pair would be reported as a duplicate; string hashes are salted per
    process, so it would not recur in the next run.  The exact set stops at
    10,000 ids (about 1 MiB): at 100,000 it made the peak memory of a build
    grow by 10 MiB between 10,000 and 100,000 documents.

    The digests are spread over :attr:`PARTS` tables by their low bits, each
    doubling on its own: while one doubles, only it is held twice (one table
    of a million ids held 8 MiB twice at that moment, a third of the peak)."""

    EXACT = 10_000
    PARTS = 64  # a digest's low 6 bits pick its table (h & 63), the rest its slot (h >> 6): literals in the loops
    __slots__ = ("_strings", "_tables", "_masks", "_sizes")

    def __init__(self) -> None:
        self._strings: set[str] | None = set()
        self._tables: list[array] = []
        self._masks: list[int] = []
        self._sizes: list[int] = []

    def add(self, item: str) -> bool:
        """Add ``item``; False when it (or, among digests, an id with its digest) was there."""
        strings = self._strings
        if strings is not None:
            if item in strings:
                return False
            strings.add(item)
            if len(strings) >= self.EXACT:
                self._spill()
            return True
        return self._insert((hash(item) & 0xFFFFFFFFFFFFFFFF) or 1)

    def __contains__(self, item: str) -> bool:
        if self._strings is not None:
            return item in self._strings
        h = (hash(item) & 0xFFFFFFFFFFFFFFFF) or 1  # never 0: 0 marks an empty slot
        part = h & 63
        table, mask = self._tables[part], self._masks[part]
        i = (h >> 6) & mask
        while True:
            slot = table[i]
            if slot == 0:
                return False
            if slot == h:
                return True
            i = (i + 1) & mask

    def __len__(self) -> int:
        return len(self._strings) if self._strings is not None else sum(self._sizes)

    def _spill(self) -> None:
        strings, self._strings = self._strings or set(), None
        size = 64
        while size * 3 * self.PARTS < len(strings) * 8:  # load at most 3/8 after the spill
            size *= 2
        self._tables = [array("Q", bytes(8 * size)) for _ in range(self.PARTS)]
        self._masks = [size - 1] * self.PARTS
        self._sizes = [0] * self.PARTS
        for item in strings:
            self._insert((hash(item) & 0xFFFFFFFFFFFFFFFF) or 1)

    def _insert(self, h: int) -> bool:
        part = h & 63
        table, mask = self._tables[part], self._masks[part]
        i = (h >> 6) & mask
        while True:
            slot = table[i]
            if slot == 0:
                break
            if slot == h:
                return False
            i = (i + 1) & mask
        table[i] = h
        size = self._sizes[part] = self._sizes[part] + 1
        if size * 4 > mask * 3:  # load above 3/4: double
            self._grow(part)
        return True

    def _grow(self, part: int) -> None:
        old = self._tables[part]
        mask = 2 * (self._masks[part] + 1) - 1
        table = array("Q", bytes(8 * (mask + 1)))
        for h in old:
            if h:
                i = (h >> 6) & mask
                while table[i]:
                    i = (i + 1) & mask
                table[i] = h
        self._tables[part], self._masks[part] = table, mask


class UniqueIds:
    """Applies ``duplicate_ids`` (``error`` | ``skip`` | ``suffix``) to document ids.

    ``error`` and ``skip`` only need to know whether an id was seen: the ids
    are kept as digests (:class:`IdDigests`).  ``suffix`` counts the
    occurrences of each id, in a dictionary."""

    def __init__(self, options: Mapping[str, Any]):
        mode = options.get("duplicate_ids", _DUPLICATE_IDS["default"])
        if mode not in ("error", "skip", "suffix"):
            raise ManifestError(
                None, "/source/options/duplicate_ids", f"expected 'error', 'skip' or 'suffix', found {mode!r}"
            )
        self.mode = mode
        self.seen: dict[str, int] = {}
        self.digests = IdDigests() if mode != "suffix" else None

    def take(self, doc_id: str, path, line: int | None) -> str | None:
        """The id to use, or ``None`` when the document is to be skipped."""
        if self.digests is not None:
            if self.digests.add(doc_id):
                return doc_id
            if self.mode == "skip":
                return None
            raise SourceError(
                path, line, f"document id {doc_id!r} occurs twice in this split (option duplicate_ids: skip or suffix)"
            )
        n = self.seen.get(doc_id)
        if n is None:
            self.seen[doc_id] = 1
            return doc_id
        while True:
            n += 1
            candidate = f"{doc_id}_{n}"
            if candidate not in self.seen:
                self.seen[doc_id] = n
                self.seen[candidate] = 1
                return candidate
