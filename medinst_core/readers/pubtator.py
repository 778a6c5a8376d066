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
  ``612446``), include the first and the second concept id, ids
  ``<relation id>.<n>``, same type and attributes.

Identifiers
-----------
An identifier column is split on ``id_separators`` (default ``| , ; +``; per
entity type with ``type_id_separators``), except that tmVar-style variant ids
(``p|SUB|V|600|E``, ``c|DEL|1314_1328|``) are never split on ``|``.  Values
in ``null_ids`` (default ``-1``, ``-`` and empty) give no normalization.  With
``split_id_prefix`` (default on) a ``PREFIX:`` becomes the ``db_name``
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

The file is read line by line; memory use is one document.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..records import Entity, KBRecord, Passage, Relation
from ..sources import SourceFiles
from ._common import IdSplitter, OffsetChecker, UniqueIds, expand_concept_relations, iter_lines


class _Doc:
    __slots__ = ("pmid", "line", "title", "abstract", "mentions", "relations")

    def __init__(self, pmid: str, line: int, title: str):
        self.pmid = pmid
        self.line = line
        self.title = title
        self.abstract: str | None = None
        self.mentions: list[tuple[int, list[str]]] = []
        self.relations: list[tuple[int, list[str]]] = []


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        self.ids = IdSplitter(options)
        self.check = OffsetChecker(options, diagnostics)
        self.unique = UniqueIds(options)
        self.relation_columns = list(options.get("relation_columns", ["novel"]))
        self.extra_columns = list(options.get("extra_columns", ["IndividualMentions"]))
        self.expand = bool(options.get("expand_relations", False))


def read_pubtator(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read every ``data`` file of the split (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    for path in files.all("data"):
        yield from read_pubtator_file(path, settings)


def read_pubtator_file(path, settings: _Settings) -> Iterator[KBRecord]:
    doc: _Doc | None = None
    for lineno, line in iter_lines(path):
        if not line or line.isspace():
            if doc is not None:
                record = _build(doc, path, settings)
                if record is not None:
                    yield record
                doc = None
            continue
        bar = line.find("|")
        tab = line.find("\t")
        if bar > 0 and (tab < 0 or bar < tab) and line[bar + 2 : bar + 3] == "|" and line[bar + 1] in "ta":
            pmid = line[:bar].strip()
            kind = line[bar + 1]
            text = line[bar + 3 :]
            if kind == "t":
                if doc is not None:
                    record = _build(doc, path, settings)
                    if record is not None:
                        yield record
                doc = _Doc(pmid, lineno, text)
            else:
                if doc is None:
                    raise SourceError(path, lineno, f"abstract line of {pmid} does not follow a title line ({pmid}|t|...)")
                if doc.pmid != pmid:
                    raise SourceError(path, lineno, f"abstract line of {pmid} follows the title of {doc.pmid}")
                if doc.abstract is not None:
                    raise SourceError(path, lineno, f"second abstract line for document {pmid}")
                if doc.mentions or doc.relations:
                    raise SourceError(path, lineno, f"abstract line of {pmid} after its annotation lines")
                doc.abstract = text
            continue
        if tab < 0:
            raise SourceError(
                path, lineno,
                f"expected a title line (PMID|t|text), an abstract line (PMID|a|text), a tab-separated "
                f"annotation line or a blank line, found {line[:80]!r}",
            )
        cols = line.split("\t")
        if doc is None:
            raise SourceError(path, lineno, f"annotation line before any title line (PMID|t|text): {line[:80]!r}")
        if cols[0].strip() != doc.pmid:
            raise SourceError(
                path, lineno, f"annotation line of document {cols[0].strip()!r} inside the block of document {doc.pmid!r}"
            )
        if len(cols) >= 3 and cols[1].isdigit() and cols[1].isascii() and cols[2].isdigit() and cols[2].isascii():
            if len(cols) < 5:
                raise SourceError(
                    path, lineno,
                    f"mention line has {len(cols)} columns; expected PMID, start, end, text, type[, id[, ...]]",
                )
            doc.mentions.append((lineno, cols))
        else:
            while len(cols) > 4 and not cols[-1].strip():
                cols.pop()
            if len(cols) < 4:
                raise SourceError(
                    path, lineno,
                    f"expected a mention line (PMID, start, end, text, type, id) or a relation line "
                    f"(PMID, type, id1, id2[, ...]), found {len(cols)} columns: {line[:80]!r}",
                )
            doc.relations.append((lineno, cols))
    if doc is not None:
        record = _build(doc, path, settings)
        if record is not None:
            yield record


def _build(doc: _Doc, path, s: _Settings) -> KBRecord | None:
    doc_id = s.unique.take(doc.pmid, path, doc.line)
    if doc_id is None:
        return None
    title = doc.title
    passages = [Passage(id="P0", type="title", text=title, offsets=((0, len(title)),))]
    if doc.abstract is not None:
        start = len(title) + 1
        text = title + " " + doc.abstract
        passages.append(Passage(id="P1", type="abstract", text=doc.abstract, offsets=((start, start + len(doc.abstract)),)))
    else:
        text = title
    entities: list[Entity] = []
    raw_ids: list[tuple[str, ...]] = []
    extra_names = s.extra_columns
    for i, (lineno, cols) in enumerate(doc.mentions):
        start, end = int(cols[1]), int(cols[2])
        mention = cols[3]
        etype = cols[4].strip()
        if start <= end <= len(text) and text[start:end] == mention:
            frag = (mention,)
        else:
            if end < start:
                raise SourceError(path, lineno, f"mention end {end} is before its start {start}")
            frag = s.check.fragments(text, ((start, end),), mention, path, lineno, doc.pmid, f"mention {i} ({etype})")
        if len(cols) > 5:
            ids, norms = s.ids.split(cols[5], etype)
        else:
            ids, norms = (), ()
        attributes: list[tuple[str, str]] = []
        for k, value in enumerate(cols[6:]):
            value = value.strip()
            if not value:
                continue
            name = extra_names[k] if k < len(extra_names) else f"column_{k + 7}"
            if name == "IndividualMentions":
                attributes.append(("CompositeRole", "CompositeMention"))
            attributes.append((name, value))
        entities.append(
            Entity(id=str(i), type=etype, text=frag, offsets=((start, end),), normalized=norms, attributes=attributes)
        )
        raw_ids.append(ids)
    concept_relations: list[Relation] = []
    rel_names = s.relation_columns
    for i, (lineno, cols) in enumerate(doc.relations):
        attributes = []
        for k, value in enumerate(cols[4:]):
            name = rel_names[k] if k < len(rel_names) else f"column_{k + 5}"
            attributes.append((name, value.strip()))
        rtype, a1, a2 = cols[1].strip(), cols[2].strip(), cols[3].strip()
        if not rtype or not a1 or not a2:
            raise SourceError(path, lineno, "relation line with an empty type or concept id")
        concept_relations.append(Relation(id=f"R{i}", type=rtype, arg1_id=a1, arg2_id=a2, attributes=attributes))
    relations = expand_concept_relations(entities, raw_ids, concept_relations) if s.expand else ()
    return KBRecord(
        id=doc_id,
        document_id=doc.pmid,
        passages=passages,
        entities=entities,
        relations=relations,
        concept_relations=concept_relations,
        source=f"{path}:{doc.line}",
    )
