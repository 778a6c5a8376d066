"""Reading Multi-XScience as distributed (``multi_xscience``).

Files
-----
``train.json``, ``val.json``, ``test.json`` -- or, as the repository ships
them, gzipped: ``train.json.gz`` ... (the core readers decompress gzip data
on the fly; no extra is needed).  An unpacked copy beside its ``.gz`` file
(``gunzip -k``) is skipped with a ``multi_xscience_unpacked_copy`` warning.
Each file is one JSON array of papers::

    {"aid": "1234.5678", "mid": "...", "abstract": "...",
     "related_work": "... @cite_1 ... @cite_2 ...",
     "ref_abstract": {"@cite_1": {"mid": "...", "abstract": "..."}, ...}}

The array is streamed one paper at a time by the core
:func:`~medinst_core.plugin_api.iter_json_items` (the splitter of the
core ``json`` reader), so memory does not grow with the file.  Malformed
JSON, an element that is not an object, or a missing or mistyped field is a
:class:`~medinst_core.errors.SourceError` naming the file, the line and the
element's position.

Why not the core ``json`` reader
--------------------------------
Its field mapping reads the papers, but cannot say what this reader does with
them: label each cited abstract with its key and leave out the empty ones,
put the ``Cited abstracts:`` heading only before a non-empty list, suffix a
repeated ``aid`` with a warning, and insist on string fields.

Records
-------
One :class:`~medinst_core.records.T2TRecord` per paper: ``id`` and
``document_id`` the ``aid`` (a repeated ``aid`` gets ``_<n>`` appended and a
``duplicate_aid`` warning), ``text_2`` the related-work section, ``text_1``
the paper's abstract followed by the cited papers' abstracts::

    Abstract: <abstract>

    Cited abstracts:
    @cite_1: <abstract of @cite_1>
    @cite_2: <abstract of @cite_2>

in the order of ``ref_abstract``, each labelled with the key the related-work
text uses to cite it.  Cited papers whose abstract is empty are left out
unless ``keep_empty_references`` is set.

Options
-------
``keep_empty_references`` (bool, default ``false``)
``cite_keys`` (bool, default ``true``) -- label each cited abstract with its key
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import SourceError, T2TRecord, iter_json_items

DUPLICATE_AID = "duplicate_aid"
UNPACKED_COPY = "multi_xscience_unpacked_copy"


def _without_unpacked_copies(paths, diagnostics) -> list[Path]:
    """The files to read: ``train.json`` is skipped when ``train.json.gz`` sits beside it (``gunzip -k``
    leaves both; reading both would give every paper twice)."""
    present = set(paths)
    kept = []
    for path in paths:
        packed = path.with_name(path.name + ".gz")
        if not path.name.endswith(".gz") and packed in present:
            if diagnostics is not None:
                diagnostics.warn(UNPACKED_COPY, f"{path} skipped: {packed.name} beside it is read instead")
            continue
        kept.append(path)
    return kept


def _text(item: Mapping, key: str, path: Path, line: int, index: int, what: str = "") -> str:
    value = item.get(key)
    if not isinstance(value, str):
        found = "nothing" if value is None else type(value).__name__
        raise SourceError(path, line, f"paper {index}{what}: expected a string {key!r}, found {found}")
    return value


def read_multi_xscience(files, options: Mapping[str, Any], diagnostics) -> Iterator[T2TRecord]:
    """Read the papers of one split (see the module documentation)."""
    keep_empty = bool(options.get("keep_empty_references", False))
    cite_keys = bool(options.get("cite_keys", True))
    seen: dict[str, int] = {}
    for path in _without_unpacked_copies(files.all("data"), diagnostics):
        for index, item, line, _start, _end in iter_json_items(path, expected="a JSON array of papers", containers="["):
            if not isinstance(item, dict):
                raise SourceError(path, line, f"paper {index}: expected an object, found {type(item).__name__}")
            aid = item.get("aid")
            if isinstance(aid, (int, float)) and not isinstance(aid, bool):
                aid = str(aid)
            if not isinstance(aid, str) or not aid:
                raise SourceError(path, line, f"paper {index}: expected a non-empty 'aid', found {aid!r}")
            abstract = _text(item, "abstract", path, line, index)
            related = _text(item, "related_work", path, line, index)
            refs = item.get("ref_abstract", {})
            if not isinstance(refs, dict):
                raise SourceError(
                    path, line, f"paper {index} ({aid}): expected 'ref_abstract' to be an object, found {type(refs).__name__}"
                )
            cited = []
            for key, ref in refs.items():
                if not isinstance(ref, dict):
                    raise SourceError(path, line, f"paper {index} ({aid}): expected {key!r} of 'ref_abstract' to be an object")
                text = _text(ref, "abstract", path, line, index, f" ({aid}), reference {key}").strip()
                if text or keep_empty:
                    cited.append(f"{key}: {text}" if cite_keys else text)
            text_1 = f"Abstract: {abstract.strip()}"
            if cited:
                text_1 += "\n\nCited abstracts:\n" + "\n".join(cited)
            record_id = aid
            if aid in seen:
                seen[aid] += 1
                record_id = f"{aid}_{seen[aid]}"
                if diagnostics is not None:
                    diagnostics.warn(DUPLICATE_AID, f"{path}:{line}: paper {index}: aid {aid} seen before; id {record_id}")
            else:
                seen[aid] = 0
            yield T2TRecord(
                id=record_id,
                text_1=text_1,
                text_2=related.strip(),
                text_1_lang="en",
                text_2_lang="en",
                text_1_name="abstracts",
                text_2_name="related_work",
                document_id=aid,
                source=f"{path}:{line}",
            )
