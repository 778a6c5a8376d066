"""Reading PubMedQA's JSON files as distributed (``pubmedqa_json``).

PubMedQA ships each subset as one JSON object keyed by PMID::

    {"21645374": {"QUESTION": "...", "CONTEXTS": ["...", ...], "LABELS": [...],
                  "MESHES": [...], "final_decision": "yes", "LONG_ANSWER": "..."},
     ...}

``ori_pqal.json`` holds the 1,000 expert-labelled questions, ``ori_pqaa.json``
211,269 generated ones (several hundred megabytes).  This reader parses such
an object one entry at a time (the standard library's decoder over a buffered
stream), so memory holds one entry and an index of the PMIDs, not the file; it
can put the entries in the order of the official split, and it reads the
split files that PubMedQA's split script (and BigBIO) derive from the
original files, preferring the original when both are present.

The official order
------------------
``preprocess/split_dataset.py pqaa`` in the PubMedQA repository seeds
Python's ``random`` with 0, shuffles the list of PMIDs (file order) once and
writes the first 200,000 to ``pqaa_train_set.json`` and the remaining 11,269
to ``pqaa_dev_set.json``.  With ``official_order`` set, this reader yields
the entries in that shuffled order, so that the manifest's ``source.select``
position ranges ``[0, 200000)`` and ``[200000, 211269)`` are the official
train and dev sets, in the order of the files the script writes.  To do so it
makes one pass that indexes each entry's PMID and byte span, applies
``random.Random(seed).shuffle`` to the PMIDs, then reads the entries back one
by one from their spans.  The shuffle is deterministic across Python 3
versions; the same script's ``pqal`` branch reproduces the published
``test_ground_truth.json`` exactly, which the plugin's tests check.

BigBIO re-distributes the script's output, ``pqaa_train_set.json`` and
``pqaa_dev_set.json``; read one after the other (``official_order.sequence``)
they give the same sequence of entries, so either layout works.  When both
layouts are present the original file is used and the others are skipped with
a ``pubmedqa_both_layouts`` warning.

PQA-L split files
-----------------
The same script's ``pqal`` branch writes ``test_set.json`` and
``pqal_fold<i>/{train_set,dev_set}.json``; BigBIO distributes them as
``pqal_test_set.json`` and ``pqal_fold<i>/...``.  They hold the entries of
``ori_pqal.json`` (same PMIDs, same fields) in another order.  With
``original`` set (an fnmatch pattern, ``"ori_pqal.json"``), a split whose
files include one so named reads only that one and skips the others with a
``pubmedqa_both_layouts`` warning; without such a file the split files are
read, each in its own order.  The manifest's ``source.select`` lists of PMIDs
then pick the same questions from either layout.

Records
-------
Every entry goes through the core field mapping of the ``json`` reader
(``record``, ``fields``, ``where``... exactly as documented in
:mod:`medinst_core.readers.tabular`), with ``$key`` the PMID and ``$index``
the entry's position in its file; the default record id is the PMID.

Options
-------
the field-mapping options of the core ``jsonl`` reader, plus

``official_order`` (object, optional)
    ``{"seed": 0, "shuffle": "ori_pqaa.json", "sequence": ["pqaa_train_set.json", "pqaa_dev_set.json"]}``:
    files named like ``shuffle`` (an fnmatch pattern) are yielded in the
    order of the seeded shuffle of their PMIDs; files named in ``sequence``
    are yielded one after the other in that order (all of them are needed).
    Without it, every file is read in its own order.
``original`` (str, optional; not with ``official_order``)
    an fnmatch pattern of file names: when a split's files include such a
    file, only those are read (see "PQA-L split files").

Errors
------
Malformed JSON, a document that is not an object, an entry that is not an
object or a repeated PMID is a :class:`~medinst_core.errors.SourceError`
with the file and line; a missing file of ``sequence`` is an error naming it.
"""

from __future__ import annotations

import fnmatch
import io
import json
import random
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    FieldMapping,
    JsonItem,
    SourceError,
    SourceFiles,
    iter_json_items,
    open_binary,
)


def iter_entries(path: Path, chunk: int | None = None, *, spans: bool = False) -> Iterator[JsonItem]:
    """The entries ``(PMID, value, line, start, end)`` of a PubMedQA JSON file,
    streamed by the core (``start``/``end``: the value's bytes in the file)."""
    return iter_json_items(path, containers="{", expected="a JSON object keyed by PMID", chunk=chunk)


def official_order(path: Path, seed: int) -> Iterator[JsonItem]:
    """The entries of ``path`` in the order of ``random.Random(seed).shuffle`` of its PMIDs."""
    index: dict[str, tuple[int, int, int]] = {}
    for entry in iter_entries(path, spans=True):
        if entry.key in index:
            raise SourceError(path, entry.line, f"the PMID {entry.key!r} occurs twice")
        index[entry.key] = (entry.start, entry.end, entry.line)
    order = list(index)
    random.Random(seed).shuffle(order)
    f = open_binary(path)
    with f:
        # a plain file is read again entry by entry at the offsets; a gzipped one
        # (offsets in the decompressed data) cannot be, so its values are held
        held = None if isinstance(f, io.BufferedReader) else {item.key: item.value for item in iter_entries(path)}
        for key in order:
            start, end, line = index[key]
            if held is not None:
                yield JsonItem(key, held[key], line, start, end)
                continue
            f.seek(start)
            try:
                value = json.loads(f.read(end - start))
            except (ValueError, UnicodeDecodeError):
                raise SourceError(path, line, f"the entry {key!r} changed while it was being read") from None
            yield JsonItem(key, value, line, start, end)


def read_pubmedqa(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    mapping = FieldMapping({k: v for k, v in options.items() if k not in ("official_order", "original")}, files)
    paths = list(files.all("data"))
    order = options.get("official_order")
    original = options.get("original")
    if original and not order:
        originals = [p for p in paths if fnmatch.fnmatch(p.name, original)]
        if originals:
            for path in paths:
                if path not in originals:
                    diagnostics.warn("pubmedqa_both_layouts", f"{path} skipped: {originals[0].name} is read instead")
            paths = originals
    if not order:
        for path in paths:
            yield from _records(path, iter_entries(path), mapping)
        return
    pattern = order.get("shuffle", "ori_pqaa.json")
    sequence = list(order.get("sequence", []))
    shuffled = [p for p in paths if fnmatch.fnmatch(p.name, pattern)]
    in_sequence = {p.name: p for p in paths if p.name in sequence}
    others = [p for p in paths if p not in shuffled and p.name not in in_sequence]
    if others:
        raise SourceError(others[0], None, f"is neither {pattern!r} nor one of {sequence} (option official_order)")
    if shuffled:
        for _name, path in sorted(in_sequence.items()):
            diagnostics.warn("pubmedqa_both_layouts", f"{path} skipped: {shuffled[0].name} is read instead")
        for path in shuffled:
            yield from _records(path, official_order(path, int(order.get("seed", 0))), mapping)
        return
    missing = [name for name in sequence if name not in in_sequence]
    if missing:
        found = ", ".join(str(p) for p in in_sequence.values())
        raise SourceError(files.root, None, f"{found} needs {', '.join(missing)} too: the official order is "
                          f"{' then '.join(sequence)} (or the original {pattern})")
    for name in sequence:
        path = in_sequence[name]
        yield from _records(path, iter_entries(path), mapping)


def _records(path: Path, entries: Iterator[JsonItem], mapping: FieldMapping) -> Iterator[Any]:
    for index, (key, value, line, _start, _end) in enumerate(entries):
        if not isinstance(value, dict):
            raise SourceError(path, line, f"the entry {key!r} is a {type(value).__name__}, expected an object")
        ctx = {"$": value, "$index": index, "$key": key}
        yield from mapping.records(ctx, key, path, line, f"[{key!r}]", keyed=True)
