"""PubTator reader (``pubtator``): title/abstract blocks with mention and relation lines.

Format
------
One block per document, blocks separated by one or more blank lines (a block
may also start right after the previous one, and the last block need not end
with a newline; CRLF line endings are accepted)::

    6794356|t|Tricuspid valve regurgitation and lithium carbonate toxicity ...
    6794356|a|A newborn with massive tricuspid regurgitation, ...
    6794356<TAB>0<TAB>29<TAB>Tricuspid valve regurgitation<TAB>Disease<TAB>D014262
    3115150<TAB>1584<TAB>1626<TAB>cardiovascular, and respiratory depression<TAB>Disease<TAB>D002318|D012131<TAB>cardiovascular depression|respiratory depression
    6794356<TAB>CID<TAB>D016651<TAB>D003490
    14510914<TAB>Positive_Correlation<TAB>c|DEL|1314_1328|<TAB>D003409<TAB>Novel

Records
-------
One :class:`~medinst_core.records.KBRecord` per block; ``id`` and
``document_id`` are the PMID.

* ``passages``: ``P0`` typed ``title`` at ``(0, len(title))`` and, when the
  block has an ``|a|`` line, ``P1`` typed ``abstract`` at
  ``(len(title) + 1, len(title) + 1 + len(abstract))``.  Offsets are
  document-absolute over ``title + " " + abstract``.
* ``entities``: one per mention line, ids ``"0"``, ``"1"``... in file order
  (the numbering of PubTator-generated BioC files).  The identifier column is
  split into ``normalized`` entries (see *Identifiers*).  Columns after the
  identifier are kept as attributes named by ``extra_columns``; a mention with
  an ``IndividualMentions`` column (the BC5CDR composite mentions) also gets
  ``("CompositeRole", "CompositeMention")``.
* ``concept_relations``: one per relation line (a line whose third column is
  not a number), ids ``R0``, ``R1``...; ``type`` is the second column
  (``CID``, ``Association``...), ``arg1_id``/``arg2_id`` the two concept ids
  exactly as written; later columns become attributes named by
  ``relation_columns`` (BioRED's ``Novel``/``No`` -> ``("novel", "Novel")``).
* ``relations`` (only with ``expand_relations``): every pair of distinct
  mentions whose identifiers, as written in the file (``OMIM:612446``, not
  ``612446``; or all of them joined as the mention line wrote them,
  ``D017180|D014693``), include the first and the second concept id, ids
  ``<relation id>.<n>``, same type and attributes.

Identifiers
-----------
An identifier column is split on ``id_separators``, except that tmVar-style variant ids
(``p|SUB|V|600|E``, ``c|DEL|1314_1328|``, the older ``c|DEL888|C``) are
never split on ``|``.  Values
in ``null_ids`` give no normalization.  With
``split_id_prefix`` a ``PREFIX:`` becomes the ``db_name``
(``OMIM:612446`` -> ``OMIM``/``612446``, ``RS#:113488022`` ->
``RS#``/``113488022``); otherwise the ``db_name`` is ``db_names[type]`` or
``db_name``.

Options
-------
``db_name`` (str, ``""``)
    db_name of identifiers without a prefix, e.g. ``"MESH"``.
``db_names`` (object)
    db_name per entity type, e.g. ``{"GeneOrGeneProduct": "NCBIGene"}``.
``id_separators`` (list of str, ``["|", ",", ";", "+"]``)
``type_id_separators`` (object: type -> list of str)
``null_ids`` (list of str, ``["-1", "-", ""]``)
``split_id_prefix`` (bool, ``true``)
``relation_columns`` (list of str, ``["novel"]``)
    attribute names of relation-line columns after the two ids; surplus
    columns are named ``column_<n>`` (1-based column number).
``extra_columns`` (list of str, ``["IndividualMentions"]``)
    attribute names of mention-line columns after the identifier column.
``expand_relations`` (bool, ``false``)
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    every mention text must equal ``title + " " + abstract`` at its offsets;
    ``"warn"`` counts a ``offset_mismatch`` warning and keeps the mention as
    annotated.
``duplicate_ids`` (``"error"`` | ``"skip"`` | ``"suffix"``, ``"error"``)
    a PMID seen twice in one split.
``type_separator`` (str, ``""``)
    when set, a type column listing several types joined by it (MedMentions'
    UMLS semantic types ``T116,T123``) gives one entity per type, with the
    same span and identifiers; entity ids are then numbered over the entities
    made (``"0"``, ``"1"``...).

The file is read line by line; memory use is one document.
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..default_plugins.readers import PUBTATOR_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..options import with_defaults
from ..records import KBRecord, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker, UniqueIds
from .construct import fast_constructor, make_entity
from .file_groups import FileGroups
from .files import decoding_error, open_text
from .ids import IdSplitter, expand_concept_relations


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        options = with_defaults(PUBTATOR_OPTIONS, options)
        self.ids = IdSplitter(options)
        self.check = OffsetChecker(options, diagnostics)
        self.unique = UniqueIds(options)
        self.relation_columns = list(options.get("relation_columns", ["novel"]))
        self.extra_columns = list(options.get("extra_columns", ["IndividualMentions"]))
        self.expand = bool(options.get("expand_relations", False))
        self.type_separator = options.get("type_separator") or ""


def read_pubtator(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read every ``data`` file of the split (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    for path in files.all("data"):
        yield from read_pubtator_file(path, settings)


_IDS = tuple(str(i) for i in range(2000))
_build_record = fast_constructor(KBRecord)
_build_passage = fast_constructor(Passage)
_build_relation = fast_constructor(Relation)


# complexity above the limit: the per-line hot loop, kept whole for speed (millions of mention lines)
def read_pubtator_file(path, settings: _Settings) -> Iterator[KBRecord]:  # noqa: C901
    """The records of one file.  The loop keeps the current document in local
    variables and builds each mention as its line is read: PubTator files are
    mostly mention lines, so this is the reader's hot path."""
    ids_cache = settings.ids._cache
    untyped = not settings.ids.type_separators and not settings.ids.db_names
    split_ids = settings.ids.split
    check = settings.check
    extra_names = settings.extra_columns
    make = make_entity
    pmid = None  # the current document: pmid, first line, title, abstract, text, entities, ids, relation lines
    first = 0
    title = abstract = text = ""
    text_length = 0
    has_abstract = False
    entities: list = []
    raw_ids: list = []
    relations: list = []
    f = open_text(path)
    with f:
        try:
            for lineno, line in enumerate(f, 1):
                if line[-1:] == "\n":
                    line = line[:-2] if line[-2:] == "\r\n" else line[:-1]
                if pmid is not None and line.startswith(pmid):
                    cols = line.split("\t")
                    n = len(cols)
                    if n >= 5 and cols[0] == pmid:
                        try:
                            start = int(cols[1])
                            end = int(cols[2])
                        except ValueError:
                            pass  # a relation line
                        else:
                            mention = cols[3]
                            etype = cols[4].strip()
                            k = len(entities)
                            if 0 <= start <= end <= text_length and text[start:end] == mention:
                                frag: tuple[str, ...] = (mention,)
                            else:
                                frag = _checked(check, text, start, end, mention, path, lineno, pmid, k, etype)
                            if n > 5:
                                hit = ids_cache.get(cols[5]) if untyped else None
                                ids, norms = hit if hit is not None else split_ids(cols[5], etype)
                            else:
                                ids, norms = (), ()
                            entities.append(
                                make(
                                    _IDS[k] if k < 2000 else str(k), etype, frag, ((start, end),), norms,
                                    _extra_attributes(cols, extra_names) if n > 6 else (),
                                )
                            )
                            raw_ids.append(ids)
                            continue
                # everything but the mention lines of the current document
                if not line or line.isspace():
                    if pmid is not None:
                        record = _build(pmid, first, title, abstract if has_abstract else None, entities, raw_ids, relations,
                                        path, settings)
                        if record is not None:
                            yield record
                        pmid = None
                    continue
                tab = line.find("\t")
                bar = line.find("|", 0, tab) if tab >= 0 else line.find("|")
                if bar > 0 and line[bar + 2 : bar + 3] == "|" and line[bar + 1] in "ta":
                    line_pmid = line[:bar].strip()
                    kind = line[bar + 1]
                    value = line[bar + 3 :]
                    if kind == "t":
                        if pmid is not None:
                            record = _build(pmid, first, title, abstract if has_abstract else None, entities, raw_ids,
                                            relations, path, settings)
                            if record is not None:
                                yield record
                        pmid, first, title, text, text_length = line_pmid, lineno, value, value, len(value)
                        abstract, has_abstract = "", False
                        entities, raw_ids, relations = [], [], []
                    else:
                        if pmid is None:
                            raise SourceError(
                                path, lineno, f"abstract line of {line_pmid} does not follow a title line ({line_pmid}|t|...)"
                            )
                        if line_pmid != pmid:
                            raise SourceError(path, lineno, f"abstract line of {line_pmid} follows the title of {pmid}")
                        if has_abstract:
                            raise SourceError(path, lineno, f"second abstract line for document {pmid}")
                        if entities or relations:
                            raise SourceError(path, lineno, f"abstract line of {pmid} after its annotation lines")
                        abstract, has_abstract = value, True
                        text = title + " " + value
                        text_length = len(text)
                    continue
                if tab < 0:
                    raise SourceError(
                        path, lineno,
                        f"expected a title line (PMID|t|text), an abstract line (PMID|a|text), a tab-separated "
                        f"annotation line or a blank line, found {line[:80]!r}",
                    )
                if pmid is None:
                    raise SourceError(path, lineno, f"annotation line before any title line (PMID|t|text): {line[:80]!r}")
                cols = line.split("\t")
                if cols[0].strip() != pmid:
                    raise SourceError(
                        path, lineno, f"annotation line of document {cols[0].strip()!r} inside the block of document {pmid!r}"
                    )
                if len(cols) >= 3 and (_is_offset(cols[1]) or cols[1].strip()[:1].isdigit()):
                    # a mention line (a relation line starts with its type): a
                    # malformed offset is an error, never a relation line
                    for k, name in ((1, "start"), (2, "end")):
                        if not _is_offset(cols[k]):
                            raise SourceError(path, lineno, f"mention {name} offset {cols[k][:40]!r} is not a number")
                        if len(cols[k].strip()) > 15:
                            raise SourceError(path, lineno, f"mention {name} offset {cols[k][:40]!r}... is too large")
                    if len(cols) < 5:
                        raise SourceError(
                            path, lineno, f"mention line has {len(cols)} columns; expected PMID, start, end, text, type[, id[, ...]]"
                        )
                    # a mention line with white space around its PMID column
                    start, end, mention, etype = int(cols[1]), int(cols[2]), cols[3], cols[4].strip()
                    frag = _checked(check, text, start, end, mention, path, lineno, pmid, len(entities), etype)
                    ids, norms = split_ids(cols[5], etype) if len(cols) > 5 else ((), ())
                    attributes = _extra_attributes(cols, extra_names) if len(cols) > 6 else ()
                    entities.append(make(str(len(entities)), etype, frag, ((start, end),), norms, attributes))
                    raw_ids.append(ids)
                    continue
                while len(cols) > 4 and not cols[-1].strip():
                    cols.pop()
                if len(cols) < 4:
                    raise SourceError(
                        path, lineno,
                        f"expected a mention line (PMID, start, end, text, type, id) or a relation line "
                        f"(PMID, type, id1, id2[, ...]), found {len(cols)} columns: {line[:80]!r}",
                    )
                relations.append((lineno, cols))
        except UnicodeDecodeError:
            raise decoding_error(path) from None
    if pmid is not None:
        record = _build(pmid, first, title, abstract if has_abstract else None, entities, raw_ids, relations,
                        path, settings)
        if record is not None:
            yield record


def _is_offset(text: str) -> bool:
    t = text.strip()
    return t.isdigit() and t.isascii()


def _checked(check: OffsetChecker, text: str, start: int, end: int, mention: str, path, lineno: int, pmid: str,
             k: int, etype: str) -> tuple[str, ...]:
    """The slow path of the offset check (a mismatch, or odd offsets)."""
    if start < 0 or end < 0:
        raise SourceError(path, lineno, f"negative mention offset {start} {end}")
    if end < start:
        raise SourceError(path, lineno, f"mention end {end} is before its start {start}")
    return check.fragments(text, ((start, end),), mention, path, lineno, pmid, f"mention {k} ({etype})")


def _extra_attributes(cols: list[str], names: list[str]) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for k, value in enumerate(cols[6:]):
        value = value.strip()
        if not value:
            continue
        name = names[k] if k < len(names) else f"column_{k + 7}"
        if name == "IndividualMentions":
            pairs.append(("CompositeRole", "CompositeMention"))
        pairs.append((name, value))
    return tuple(pairs)


def _one_entity_per_type(entities, raw_ids, separator: str):
    """A mention whose type column lists several types (MedMentions' ``T116,T123``)
    as one entity per type, numbered again in file order."""
    if not any(separator in e.type for e in entities):
        return entities, raw_ids
    out: list[Any] = []
    out_ids: list[Any] = []
    for e, ids in zip(entities, raw_ids):
        for etype in [t.strip() for t in e.type.split(separator) if t.strip()] or [e.type]:
            out.append(make_entity(str(len(out)), etype, e.text, e.offsets, e.normalized, e.attributes))
            out_ids.append(ids)
    return out, out_ids


def _build(pmid, first, title, abstract, entities, raw_ids, relation_lines, path, s: _Settings) -> KBRecord | None:
    doc_id = s.unique.take(pmid, path, first)
    if doc_id is None:
        return None
    passages = [_build_passage(id="P0", type="title", text=title, offsets=((0, len(title)),))]
    if abstract is not None:
        start = len(title) + 1
        passages.append(_build_passage(id="P1", type="abstract", text=abstract, offsets=((start, start + len(abstract)),)))
    concept_relations: list[Relation] = []
    rel_names = s.relation_columns
    for i, (lineno, cols) in enumerate(relation_lines):
        attributes = tuple(
            (rel_names[k] if k < len(rel_names) else f"column_{k + 5}", value.strip()) for k, value in enumerate(cols[4:])
        )
        rtype, a1, a2 = cols[1].strip(), cols[2].strip(), cols[3].strip()
        if not rtype or not a1 or not a2:
            raise SourceError(path, lineno, "relation line with an empty type or concept id")
        concept_relations.append(_build_relation(id=f"R{i}", type=rtype, arg1_id=a1, arg2_id=a2, attributes=attributes))
    if s.type_separator:
        entities, raw_ids = _one_entity_per_type(entities, raw_ids, s.type_separator)
    relations = tuple(expand_concept_relations(entities, raw_ids, concept_relations)) if s.expand else ()
    return _build_record(
        id=doc_id,
        document_id=pmid,
        passages=tuple(passages),
        entities=tuple(entities),
        relations=relations,
        concept_relations=tuple(concept_relations),
        source=f"{path}:{first}",
    )


# a split of many files is built by several processes in groups of files
# (every record comes from one block of one file; see .file_groups)
read_pubtator.file_groups = FileGroups()  # type: ignore[attr-defined]
