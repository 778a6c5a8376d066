"""Phrase-normalisation tables (``phrase_table``): one row = a phrase and the concept(s) it names.

Concept-normalisation datasets such as AskAPatient and TwADR-L are tables of
phrases, each with the knowledge-base concept it denotes
(``cui\\tconcept name\\tphrase``).  This reader maps each row, by the same
declarative field specs as the ``csv``/``tsv``/``json``/``jsonl`` readers (see
:mod:`medinst_core.readers.tabular`: paths, ``const``, ``template``,
``split``, ``map``, ``strip``...), to a :class:`~medinst_core.records.KBRecord`
whose text is the phrase and whose one entity spans the whole phrase, linked
to the concept(s), so that the ``ned`` formatter writes
``[phrase <db_name/db_id>]`` and ``ner_entities`` ``[phrase <type>]``.

Files
-----
Role ``data``: one or more files of ``format`` (``tsv`` default, ``csv``,
``json``, ``jsonl``), read as the tabular readers read them (``header``,
``columns``, ``delimiter``, ``quoting``, ``encoding`` for csv/tsv; ``items``
for json), streamed.

Fields
------
``text`` (required)
    the phrase.  A row whose phrase is empty (after the spec's own
    transforms) is skipped and counted as ``phrase_table.empty_phrase``.
``db_id`` (required)
    the concept id, or a list of ids (one link each; empty ids dropped).
``db_name`` (default ``""``)
    the database name of every link, e.g. ``{"const": "SIDER 4"}``.
``type`` (default ``{"const": "phrase"}``)
    the entity type.
``id``, ``document_id``
    as for the tabular readers: by default the row's position over the files
    of the split (``0``, ``1``...), ``document_id`` = ``id``.

``where`` keeps only the rows that meet its conditions (tabular syntax);
``unique_ids`` (default on) makes a declared id seen twice in a split an
error.  ``passage_type`` (default ``"phrase"``) names the one passage.

Example (AskAPatient, ``AskAPatient.fold-0.train.txt``, ISO-8859-1)::

    {"format": "tsv", "header": false, "columns": ["cui", "concept", "phrase"],
     "encoding": "latin-1",
     "fields": {"text": {"path": "phrase", "strip": true}, "db_id": {"path": "cui", "strip": true},
                "db_name": {"const": "SNOMED-CT|AMT"}}}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import Entity, KBRecord, Normalization, Passage
from ..sources import SourceFiles
from .tabular import MISSING, MapError, _compile_where, _iter_items, _scalar_text, compile_spec

EMPTY_PHRASE = "phrase_table.empty_phrase"
_FORMATS = ("tsv", "csv", "json", "jsonl")
_FIELDS = ("id", "document_id", "text", "db_id", "db_name", "type")


def _text(value: Any, field: str) -> str:
    if isinstance(value, (list, dict)):
        raise MapError(f"field {field!r} expects a single value, found a {type(value).__name__} (add \"join\")")
    return _scalar_text(value)


class _Mapping:
    def __init__(self, options: Mapping[str, Any]):
        fields = options.get("fields")
        if not isinstance(fields, Mapping):
            raise ManifestError(None, "/source/options/fields", "expected an object mapping record fields to specs")
        unknown = sorted(set(fields) - set(_FIELDS))
        if unknown:
            raise ManifestError(None, f"/source/options/fields/{unknown[0]}",
                                f"phrase_table records have no field {unknown[0]!r}; known: {', '.join(_FIELDS)}")
        for name in ("text", "db_id"):
            if name not in fields:
                raise ManifestError(None, "/source/options/fields", f"phrase_table needs the field {name!r}")
        self.specs = {name: compile_spec(spec, f"/fields/{name}") for name, spec in fields.items()}
        self.where = _compile_where(options.get("where"))
        self.unique = bool(options.get("unique_ids", True))
        self.passage_type = options.get("passage_type", "phrase")
        self.seen: set[str] = set()

    def get(self, name: str, ctx: dict, default: Any = MISSING) -> Any:
        spec = self.specs.get(name)
        value = MISSING if spec is None else spec(ctx)
        return default if value is MISSING else value

    def record(self, ctx: dict, position: int, source: str, diagnostics: Diagnostics) -> KBRecord | None:
        if self.where is not None and not self.where(ctx):
            return None
        declared = self.get("id", ctx)
        rid = str(position) if declared is MISSING else _text(declared, "id")
        if declared is not MISSING and self.unique:
            if rid in self.seen:
                raise MapError(f"record id {rid!r} occurs twice in this split")
            self.seen.add(rid)
        text = self.get("text", ctx)
        if text is MISSING:
            raise MapError("field 'text' is missing: no phrase")
        text = _text(text, "text")
        if not text.strip():
            diagnostics.warn(EMPTY_PHRASE, f"{source}: empty phrase skipped")
            return None
        ids = self.get("db_id", ctx)
        if ids is MISSING:
            raise MapError("field 'db_id' is missing: no concept id")
        ids = [_text(i, "db_id").strip() for i in (ids if isinstance(ids, list) else [ids])]
        db_name = _text(self.get("db_name", ctx, ""), "db_name")
        etype = _text(self.get("type", ctx, "phrase"), "type")
        doc_id = _text(self.get("document_id", ctx, rid), "document_id")
        links = [Normalization(db_name=db_name, db_id=i) for i in dict.fromkeys(ids) if i]
        span = ((0, len(text)),)
        return KBRecord(
            id=rid, document_id=doc_id,
            passages=[Passage(id=f"{rid}_p", type=self.passage_type, text=text, offsets=span)],
            entities=[Entity(id=f"{rid}_e", type=etype, text=(text,), offsets=span, normalized=links)],
            source=source,
        )


def read_phrase_table(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Rows of phrases and their concepts as one-entity kb records (see the module documentation)."""
    fmt = options.get("format", "tsv")
    if fmt not in _FORMATS:
        raise ManifestError(None, "/source/options/format", f"expected one of {', '.join(_FORMATS)}, found {fmt!r}")
    mapping = _Mapping(options)
    position = 0
    for path in files.all("data"):
        for ctx, locator in _iter_items(path, fmt, options):
            line = ctx.get("$line")
            source = f"{path}:{line}" if line is not None else f"{path}:{locator}"
            try:
                record = mapping.record(ctx, position, source, diagnostics)
            except MapError as exc:
                raise SourceError(path, line, str(exc) if line is not None else f"{locator}: {exc}") from None
            position += 1
            if record is not None:
                yield record
