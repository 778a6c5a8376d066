"""Reader ``chemprot_tsv``: the three TSV files of the BioCreative ChemProt and
DrugProt corpora (abstracts, entities, relations), joined on the PMID.

Files (roles)
-------------
``abstracts``
    ``PMID<TAB>title<TAB>abstract``, one abstract a line, no header
    (ChemProt ``chemprot_training_abstracts.tsv``, DrugProt
    ``drugprot_training_abstracs.tsv``).
``entities``
    ``PMID<TAB>T1<TAB>type<TAB>start<TAB>end<TAB>text``: types ``CHEMICAL``,
    ``GENE-Y``, ``GENE-N`` (DrugProt: ``GENE`` too); offsets into the title,
    one separator character and the abstract, end exclusive.
``relations`` (optional)
    either ChemProt's six columns
    ``PMID<TAB>CPR:n<TAB>Y |N <TAB>LABEL<TAB>Arg1:T1<TAB>Arg2:T2`` (the group,
    the flag of the groups the shared task evaluated, with a trailing space in
    the official files, and the fine-grained label), or four columns
    ``PMID<TAB>TYPE<TAB>Arg1:T1<TAB>Arg2:T2`` (DrugProt's relation files,
    ChemProt's ``*_gold_standard.tsv``).  Without a relations file (a test
    release of entities only) every record has no relation.

Records
-------
One :class:`~medinst_core.records.KBRecord` per line of the abstracts file,
in its order: ``id`` and ``document_id`` the PMID; passages ``title`` at
``(0, len(title))`` and ``abstract`` one character after it (so the text
shows a space between them); the entities of the PMID in file order (id
``T1``...), whose text must equal the text at their offsets; its relations in
file order (ids ``R1``, ``R2``... per document), arg1/arg2 the ``Arg1``/``Arg2``
entities.

Options
-------
``relation_type`` (``"group"`` | ``"label"``, ``"group"``)
    the relation's type for six-column files: the group (``CPR:4``) or the
    fine-grained label (``INHIBITOR``); four-column files have one type.
``groups`` (list of str, ``[]``)
    when not empty, only relations of these groups (column 2) are kept, e.g.
    the five the ChemProt task evaluated, ``CPR:3``, ``4``, ``5``, ``6``, ``9``.
``evaluated_only`` (bool, false)
    keep only the relations flagged ``Y`` (six-column files).
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    a mention whose text differs from the text at its offsets.

Errors
------
A line with the wrong number of columns, a non-numeric offset, a PMID given
twice in the abstracts file, a repeated entity id, a relation naming an
unknown entity, or entity or relation lines of a PMID the abstracts file
lacks raise :class:`~medinst_core.errors.SourceError` with file and line.

Memory
------
The entities and relations files are read first and kept by PMID (they are
the annotations of the abstracts: tens of thousands of short lines); the
abstracts are then streamed one line at a time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import Entity, KBRecord, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker
from .files import iter_lines


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def read_chemprot_tsv(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:  # noqa: C901
    """The abstracts with their entities and relations (see the module documentation)."""
    relation_type = options.get("relation_type", "group")
    if relation_type not in ("group", "label"):
        raise ManifestError(None, "/source/options/relation_type", f"expected 'group' or 'label', found {relation_type!r}")
    groups = frozenset(options.get("groups") or ())
    evaluated_only = bool(options.get("evaluated_only", False))
    checker = OffsetChecker(options, diagnostics)

    entities_path = files.one("entities")
    entities: dict[str, list[tuple[int, str, str, int, int, str]]] = {}
    for lineno, line in iter_lines(entities_path):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 6:
            raise SourceError(entities_path, lineno, f"expected 6 tab-separated columns "
                              f"(PMID, id, type, start, end, text), found {len(cols)}")
        pmid, eid, etype, start, end, text = cols
        if not (start.isascii() and start.isdigit() and end.isascii() and end.isdigit()):
            raise SourceError(entities_path, lineno, f"expected numeric start and end offsets, found {start!r} and {end!r}")
        entities.setdefault(pmid.strip(), []).append((lineno, eid.strip(), etype.strip(), int(start), int(end), text))

    relations: dict[str, list[tuple[int, str, str, str]]] = {}
    relations_path = files.optional("relations")
    if relations_path is not None:
        for lineno, line in iter_lines(relations_path):
            if not line.strip():
                continue
            cols = [c.strip() for c in line.split("\t")]
            if len(cols) == 6:
                pmid, group, flag, label, arg1, arg2 = cols
                if evaluated_only and flag != "Y":
                    continue
                rtype = group if relation_type == "group" else label
            elif len(cols) == 4:
                pmid, group, arg1, arg2 = cols
                rtype = group
            else:
                raise SourceError(relations_path, lineno, "expected 6 tab-separated columns (PMID, group, Y/N, label, "
                                  f"Arg1:T.., Arg2:T..) or 4 (PMID, type, Arg1:T.., Arg2:T..), found {len(cols)}")
            if groups and group not in groups:
                continue
            if not (arg1.startswith("Arg1:") and arg2.startswith("Arg2:")):
                raise SourceError(relations_path, lineno, f"expected arguments 'Arg1:<id>' and 'Arg2:<id>', "
                                  f"found {arg1!r} and {arg2!r}")
            relations.setdefault(pmid, []).append((lineno, rtype, arg1[5:], arg2[5:]))

    abstracts_path = files.one("abstracts")
    seen: set[str] = set()
    for lineno, line in iter_lines(abstracts_path):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            raise SourceError(abstracts_path, lineno, f"expected 3 tab-separated columns (PMID, title, abstract), "
                              f"found {len(cols)}")
        pmid, title, abstract = cols
        pmid = pmid.strip()
        if pmid in seen:
            raise SourceError(abstracts_path, lineno, f"PMID {pmid} is given twice")
        seen.add(pmid)
        yield _record(pmid, title, abstract, entities.pop(pmid, []), relations.pop(pmid, []),
                      entities_path, relations_path, checker, f"{abstracts_path}:{lineno}")

    leftovers: tuple[tuple[Any, dict[str, list[Any]]], ...] = ((entities_path, entities), (relations_path, relations))
    for path, left in leftovers:
        if left:
            pmid, rows = next(iter(left.items()))
            raise SourceError(path, rows[0][0], f"PMID {pmid} is not in the abstracts file {abstracts_path.name}"
                              + (f" ({len(left)} PMIDs are not)" if len(left) > 1 else ""))


def _record(pmid, title, abstract, entity_rows, relation_rows, entities_path, relations_path, checker, source) -> KBRecord:
    text = f"{title} {abstract}"
    ents = []
    ids: set[str] = set()
    for lineno, eid, etype, start, end, mention in entity_rows:
        if eid in ids:
            raise SourceError(entities_path, lineno, f"entity id {eid} is used twice in document {pmid}")
        ids.add(eid)
        fragments = checker.fragments(text, ((start, end),), mention, entities_path, lineno, pmid, f"entity {eid}")
        ents.append(Entity(id=eid, type=etype, text=fragments, offsets=((start, end),)))
    rels = []
    for k, (lineno, rtype, arg1, arg2) in enumerate(relation_rows, 1):
        for ref in (arg1, arg2):
            if ref not in ids:
                raise SourceError(relations_path, lineno, f"relation of document {pmid} names {ref}, which is not "
                                  "one of its entities")
        rels.append(Relation(id=f"R{k}", type=rtype, arg1_id=arg1, arg2_id=arg2))
    return KBRecord(
        id=pmid,
        document_id=pmid,
        passages=(Passage(id="title", type="title", text=title, offsets=((0, len(title)),)),
                  Passage(id="abstract", type="abstract", text=abstract,
                          offsets=((len(title) + 1, len(title) + 1 + len(abstract)),))),
        entities=ents,
        relations=rels,
        source=source,
    )
