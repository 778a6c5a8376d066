"""Checks the readers apply to what they read, as their options ask:

* :class:`OffsetChecker` -- the ``offset_check: "error" | "warn"`` option (a
  mention's annotated text against the document text at its offsets), and
  :func:`split_fragments` for discontinuous mentions;
* :class:`UniqueIds` -- the ``duplicate_ids`` option (document ids that occur twice).
"""

from __future__ import annotations

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


class UniqueIds:
    """Applies ``duplicate_ids`` (``error`` | ``skip`` | ``suffix``) to document ids."""

    def __init__(self, options: Mapping[str, Any]):
        mode = options.get("duplicate_ids", _DUPLICATE_IDS["default"])
        if mode not in ("error", "skip", "suffix"):
            raise ManifestError(
                None, "/source/options/duplicate_ids", f"expected 'error', 'skip' or 'suffix', found {mode!r}"
            )
        self.mode = mode
        self.seen: dict[str, int] = {}

    def take(self, doc_id: str, path, line: int | None) -> str | None:
        """The id to use, or ``None`` when the document is to be skipped."""
        n = self.seen.get(doc_id)
        if n is None:
            self.seen[doc_id] = 1
            return doc_id
        if self.mode == "error":
            raise SourceError(
                path, line, f"document id {doc_id!r} occurs twice in this split (option duplicate_ids: skip or suffix)"
            )
        if self.mode == "skip":
            return None
        while True:
            n += 1
            candidate = f"{doc_id}_{n}"
            if candidate not in self.seen:
                self.seen[doc_id] = n
                self.seen[candidate] = 1
                return candidate
