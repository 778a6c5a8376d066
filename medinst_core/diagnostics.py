"""Counted warnings for problems a manifest chose to tolerate.

A reader that finds, say, an entity whose text differs from the document text
at its offsets raises a :class:`~medinst_core.errors.SourceError` by default.
A manifest may downgrade such a check for corpora known to contain a few bad
offsets (``source.options.offset_check: "warn"``); the reader then calls
:meth:`Diagnostics.warn` and the build summary reports how many there were.
"""

from __future__ import annotations

from collections import Counter


class Diagnostics:
    """Counts warnings by code and keeps the first few messages of each."""

    keep = 5

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.examples: dict[str, list[str]] = {}

    def warn(self, code: str, message: str) -> None:
        self.counts[code] += 1
        examples = self.examples.setdefault(code, [])
        if len(examples) < self.keep:
            examples.append(message)

    def __bool__(self) -> bool:
        return bool(self.counts)

    def as_dict(self) -> dict[str, dict]:
        return {
            code: {"count": self.counts[code], "examples": self.examples.get(code, [])}
            for code in sorted(self.counts)
        }
