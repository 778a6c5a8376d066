"""A split's ``source.select`` entry: keep the records named by an id list
(given inline as ``ids``, or as ``id_list``, a file role of the split whose
files list the ids) or a position ``range`` of them."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostics
from .errors import MissingFilesError, SourceError
from .readers.files import iter_lines
from .sources import SourceFiles


def read_id_lists(paths: Sequence[Path]) -> list[str]:
    """The ids listed in ``paths``: one per line, surrounding white space
    dropped, blank lines and ``#`` comment lines ignored (files in the order
    given, repeated ids once).  A file that lists no id is an error naming it."""
    ids: dict[str, None] = {}
    for path in paths:
        seen_any = False
        for _lineno, line in iter_lines(path):
            value = line.strip()
            if not value or value.startswith("#"):
                continue
            seen_any = True
            ids.setdefault(value, None)
        if not seen_any:
            raise SourceError(path, None, "the id list holds no id (expected one document id per line)")
    return list(ids)


def resolve_selection(selection: Mapping[str, Any] | None, files: SourceFiles) -> Mapping[str, Any] | None:
    """A split's ``source.select`` entry with an ``id_list`` (the name of one of
    the split's file roles, whose files list the ids to keep) turned into an
    ``ids`` selection; other entries are returned as they are."""
    if not selection or "id_list" not in selection:
        return selection
    role = selection["id_list"]
    paths = files.all(role)
    if not paths:
        raise MissingFilesError(f"no id-list file for the role {role!r} named by source.select (id_list)")
    return {"ids": read_id_lists(paths), "from": [str(p) for p in paths]}


def select_records(
    records: Iterable[Any], selection: Mapping[str, Any] | None, diagnostics: Diagnostics | None = None
) -> Iterator[Any]:
    """Apply a manifest's ``source.select`` entry of one split (ids or a position
    range; an ``id_list`` entry is first read by :func:`resolve_selection`).
    Listed ids that no record has are counted as the diagnostic
    ``select.unmatched_ids`` once the records are read."""
    if not selection:
        yield from records
    elif "ids" in selection:
        wanted = set(selection["ids"])
        found: set[str] = set()
        for record in records:
            if record.id in wanted:
                found.add(record.id)
                yield record
            else:
                doc = getattr(record, "document_id", None)
                if doc is not None and doc in wanted:
                    found.add(doc)
                    yield record
        if diagnostics is not None and len(found) < len(wanted):
            where = f" (listed in {', '.join(selection['from'])})" if selection.get("from") else ""
            for missing in [i for i in selection["ids"] if i not in found]:
                diagnostics.warn("select.unmatched_ids", f"id {missing!r}{where} is not among the records read")
    else:
        start, stop = selection["range"]
        yield from itertools.islice(records, start, stop)


def select_counted(
    records: Iterable[Any], selection: Mapping[str, Any], diagnostics: Diagnostics | None, read: list
) -> Iterator[Any]:
    """:func:`select_records`, counting in ``read`` (``[records read, whether
    the reader ended]``) the records read before the selection."""

    def counted() -> Iterator[Any]:
        for record in records:
            read[0] += 1
            yield record
        read[1] = True

    return select_records(counted(), selection, diagnostics)
