"""BRAT / BioNLP shared-task standoff reader (``brat``).

Files
-----
Role ``data``: the text files (``*.txt``) of the split, given by folder or glob
in the manifest, e.g. ``["train/*.txt"]`` or ``["standoff/*.txt"]``.  Next to
each text file, every annotation file named ``<stem><suffix>`` for the
``suffixes`` option that exists
is read, in that order.

Annotation files kept in another folder than the texts (Verspoor-2013's
``corpus/`` and ``annotations/``) are listed among the ``data`` files (or in the
optional role ``annotations``): a text file takes the annotation files next to
it, else those of its base name found among the split's files.  An annotation
file whose text file is nowhere among them is an error.

Optional role ``texts``: a table of the documents' texts, one document a line,
``ID<TAB>text`` (SETH's ``corpus.txt``).  The documents are then the table's
rows in table order, the ``data`` files are their annotation files, paired by
base name (``<ID>.ann``); an annotation file whose base name is no row of the
table is an error, a row without annotation file is a document without
annotations.  Offsets count from the first character after the tab; the line
end is not part of the text.

Optional role ``list``: one or more files listing the documents of the split,
one name per line (AnEM's ``development/train-files.list``); a name may be a
stem (``PMID-10080451``), a file name or a relative path -- its stem is used.
Only the listed documents are read, in the order of the list; a listed name
with no text file is an error.

Records
-------
One :class:`~medinst_core.records.KBRecord` per document, in path order (or
list order); ``id`` and ``document_id`` are the file stem (an error if two
text files share a stem).  The whole text file is one passage ``P0`` of type
``passage_type``, read exactly (no newline
translation), so offsets are character offsets into the file.

Line types
----------
``T``  ``T1<TAB>Type s e[;s e...]<TAB>text`` -- an entity (fragments in the
       order written; the text of a discontinuous mention is its fragments
       joined by a space; the fragments are also taken as they are when the
       annotated text differs from them only in white space, as a few DDI
       mentions are written: ``alpha-adrenergic`` for ``alpha-`` +
       ``adrenergic``).  A T that is the trigger of an event is *not* an
       entity: it becomes the event's ``trigger_text``/``trigger_offsets``.
``E``  ``E1<TAB>Type:T3 Theme:T1 Cause:E2`` -- an event; an event may have no
       argument (``E1<TAB>Process:T3 `` with trailing white space).  Numbered
       roles are normalised by ``role_digits`` (``Theme2`` -> ``Theme``)
       and then ``role_map``.
``R``  ``R1<TAB>Type Arg1:T1 Arg2:T2`` (trailing tab or space accepted) -- a
       relation; role names other than ``Arg1``/``Arg2`` are kept as attributes
       ``arg1_role``/``arg2_role``.
``*``  ``*<TAB>Equiv T1 T2 ...`` -- a coreference chain (ids ``*1``, ``*2``...).
``A``/``M``  ``A1<TAB>Name REF [VALUE]`` -- an attribute ``(Name, VALUE)``, or
       ``(Name, "true")`` when binary, on the referenced entity, event or
       relation.
``N``  ``N1<TAB>Reference T1 DB:ID<TAB>text`` -- a normalization
       ``(DB, ID)`` of the referenced entity.  The Bacteria Biotope corpora
       write ``N1<TAB>OntoBiotope Annotation:T1 Referent:OBT:000001`` (the
       resource first, then role-named arguments): that is the normalization
       ``(OntoBiotope, OBT:000001)`` of T1 (option ``normalizations``).
``#``  notes: ignored, or with ``notes: "attribute"`` a ``("note", text)``
       attribute of the referenced annotation.

Ids repeated across annotation files (a ``.a2`` restating a ``.a1`` T line)
resolve to one annotation; a repeated id with a *different* definition is an
error.

Options
-------
``suffixes`` (list of str, ``[".a1", ".a2", ".ann", ".rel"]``)
``text_suffix`` (str, ``".txt"``)
``passage_type`` (str, ``"abstract"``)
``role_digits`` (``"strip"`` | ``"keep"``, ``"strip"``)
``role_map`` (object: role -> role)
``notes`` (``"ignore"`` | ``"attribute"``, ``"ignore"``)
``require_annotations`` (bool, ``false``)
    a text file without any annotation file is an error (otherwise it gives a
    record with no annotations).
``offset_check`` (``"error"`` | ``"warn"`` | ``"repair"``, ``"error"``)
    every T text must equal the text file at its offsets.  ``repair`` looks for
    the annotated text (without white space at its ends) at the offsets moved
    left and right by up to ``repair_window`` characters, nearest first (left
    before right), and moves the mention there: counted as the diagnostic
    ``brat.offset_repaired``.  A mention not found so keeps its offsets and the
    text there, counted as ``brat.offset_unrepaired``; both diagnostics name
    the file and line.
``repair_window`` (int, ``100``)
``normalizations`` (``"auto"`` | ``"reference"`` | ``"roles"``, ``"auto"``)
    ``reference``: ``N1<TAB>Reference T1 DB:ID``; ``roles``:
    ``N1<TAB>Resource Annotation:T1 Referent:ID`` (db_name = the resource,
    db_id = everything after ``Referent:``); ``auto`` takes ``roles`` for a
    line whose second field holds a colon.
``events`` (``"read"`` | ``"ignore"``, ``"read"``)
    ``ignore`` skips ``E`` lines (a corpus without events whose files hold a
    few argument-less ``E`` lines by mistake: their triggers stay entities).
``entity_types`` (list of str, ``[]``)
    when given, T annotations of other types are left out, and so is every
    relation, event argument and coreference member that refers to one (an
    event whose trigger is left out is left out too).
``continued_lines`` (bool, ``false``)
    a line without a tab continues the annotated text of the T line before it
    (a mention whose text spans a line break, written on several lines, as in
    CHIA); the pieces are joined by a newline.
``equiv_relations`` (str, ``""``)
    when given, every pair of members of an ``Equiv`` line also becomes a
    relation of this type (CHIA's OR).
``id_folders`` (int, ``0``)
    the names of this many parent folders are put before the base name to make
    a document id (``Annotator1/10079896``): for corpora that keep documents
    of the same name in several folders of one split.
``agreement_suffixes`` (list of str, ``[]``)
    a second annotator's files next to the first's (PDR's ``.ann2``): the
    record holds only what the annotations of ``suffixes`` and of these files
    agree on (see :mod:`medinst_core.readers.brat_agreement`).

Memory use is one document.

The module is long because the standoff format has many line kinds and the reader the
options several corpora need (offset repair, agreement of two annotators, continued lines);
splitting the document builder out is the next step.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..records import Argument, Coreference, Entity, Event, KBRecord, Normalization, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker
from .files import iter_lines, read_text

_TRAILING_DIGITS = re.compile(r"\d+$")


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        self.suffixes = list(options.get("suffixes", [".a1", ".a2", ".ann", ".rel"]))
        self.second = list(options.get("agreement_suffixes") or [])
        self.text_suffix = options.get("text_suffix", ".txt")
        self.passage_type = options.get("passage_type", "abstract")
        self.strip_digits = options.get("role_digits", "strip") == "strip"
        self.role_map = dict(options.get("role_map") or {})
        self.notes = options.get("notes", "ignore") == "attribute"
        self.require = bool(options.get("require_annotations", False))
        self.normalizations = options.get("normalizations", "auto")
        self.events = options.get("events", "read") == "read"
        self.entity_types = set(options.get("entity_types") or ())
        self.continued = bool(options.get("continued_lines", False))
        self.equiv_relations = options.get("equiv_relations") or ""
        self.id_folders = int(options.get("id_folders", 0))
        self.repair = options.get("offset_check", "error") == "repair"
        self.repair_window = int(options.get("repair_window", 100))
        self.diagnostics = diagnostics
        checker_options = {"offset_check": "warn"} if self.repair else options
        self.check = OffsetChecker(checker_options, diagnostics)

    @property
    def all_suffixes(self) -> list[str]:
        return self.suffixes + [x for x in self.second if x not in self.suffixes]

    def role(self, role: str) -> str:
        if self.strip_digits:
            base = _TRAILING_DIGITS.sub("", role)
            role = base or role
        return self.role_map.get(role, role)


class _Document:
    """One document of a split: where its text comes from and its annotation files."""

    __slots__ = ("doc_id", "source", "text", "annotations")

    def __init__(self, doc_id: str, source: Path, text: str | None, annotations: dict[str, Path]):
        self.doc_id = doc_id
        self.source = source  # the text file, or the annotation/table file
        self.text = text  # None: read the text file ``source``
        self.annotations = annotations  # suffix -> annotation file


def read_brat(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read the documents of the split (see the module documentation)."""
    s = _Settings(options, diagnostics)
    for doc in _documents(files, s):
        text = read_text(doc.source) if doc.text is None else doc.text
        if not s.second:
            yield _read_document(doc, text, s.suffixes, s)
            continue
        from .brat_agreement import agree

        first = _read_document(doc, text, s.suffixes, s)
        second = _read_document(doc, text, s.second, s)
        yield agree(first, second)


def _stem(name: str, s: _Settings) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in [s.text_suffix, *s.all_suffixes]:
        if suffix and base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def _doc_id(path: Path, stem: str, s: _Settings) -> str:
    if not s.id_folders:
        return stem
    folders = path.parent.parts[-s.id_folders:]
    return "/".join([*folders, stem])


def _annotation_index(paths, s: _Settings) -> dict[str, dict[str, Path]]:
    """doc id -> suffix -> annotation file, for annotation files kept apart from the texts."""
    index: dict[str, dict[str, Path]] = {}
    for path in paths:
        suffix = next((x for x in s.all_suffixes if path.name.endswith(x)), None)
        if suffix is None:
            continue
        doc_id = _doc_id(path, path.name[: -len(suffix)], s)
        found = index.setdefault(doc_id, {})
        if suffix in found and found[suffix] != path:
            raise SourceError(path, None, f"two annotation files {path.name} in this split: {found[suffix]} and {path}")
        found[suffix] = path
    return index


def _table_documents(files: SourceFiles, s: _Settings) -> list[_Document]:
    index = _annotation_index([*files.all("data"), *files.all("annotations")], s)
    docs: list[_Document] = []
    seen: dict[str, tuple[Path, int]] = {}
    for table in files.all("texts"):
        for lineno, line in iter_lines(table):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            doc_id, tab, text = line.partition("\t")
            doc_id = doc_id.strip()
            if not tab or not doc_id:
                raise SourceError(table, lineno, f"expected 'ID<TAB>text', found {line[:80]!r}")
            if doc_id in seen:
                p0, l0 = seen[doc_id]
                raise SourceError(table, lineno, f"document {doc_id!r} is already given at {p0.name}:{l0}")
            seen[doc_id] = (table, lineno)
            annotations = index.pop(doc_id, {})
            source = next(iter(annotations.values()), table)
            docs.append(_Document(doc_id, source, text, annotations))
    if index:
        doc_id, found = next(iter(index.items()))
        path = next(iter(found.values()))
        raise SourceError(path, None, f"annotation file of document {doc_id!r}, which no row of the text table names "
                          f"({len(index)} such document(s))")
    return docs


def _text_documents(files: SourceFiles, s: _Settings) -> tuple[dict[str, _Document], list[str]]:
    """The documents of the text files among the split's files; each takes the
    annotation files next to it, else those of its base name found elsewhere
    among the split's files (another folder, as Verspoor-2013's annotations/)."""
    data = files.all("data")
    apart = [p for p in data if not p.name.endswith(s.text_suffix)] + list(files.all("annotations"))
    index = _annotation_index(apart, s)
    texts: dict[str, Path] = {}
    order: list[str] = []
    for path in data:
        name = path.name
        if name.endswith(s.text_suffix):
            txt = path
            stem = name[: -len(s.text_suffix)]
        elif any(name.endswith(x) for x in s.all_suffixes):
            stem = _stem(name, s)
            txt = path.with_name(stem + s.text_suffix)
            if not txt.is_file():
                continue  # paired by base name below, or reported
        else:
            continue
        doc_id = _doc_id(txt, stem, s)
        if doc_id in texts:
            if texts[doc_id] != txt:
                raise SourceError(txt, None, f"two documents named {doc_id!r} in this split: {texts[doc_id]} and {txt}")
            continue
        texts[doc_id] = txt
        order.append(doc_id)
    by_id: dict[str, _Document] = {}
    for doc_id in order:
        txt = texts[doc_id]
        stem = txt.name[: -len(s.text_suffix)]
        found = index.pop(doc_id, {})
        annotations = {}
        for suffix in s.all_suffixes:
            beside = txt.with_name(stem + suffix)
            if beside.is_file():
                annotations[suffix] = beside
            elif suffix in found:
                annotations[suffix] = found[suffix]
        by_id[doc_id] = _Document(doc_id, txt, None, annotations)
    if index:
        doc_id, found = next(iter(index.items()))
        path = next(iter(found.values()))
        raise SourceError(path, None, f"annotation file without its text file {doc_id}{s.text_suffix} "
                          f"({len(index)} such document(s) in this split)")
    return by_id, order


def _documents(files: SourceFiles, s: _Settings) -> list[_Document]:
    if files.all("texts"):
        docs = _table_documents(files, s)
        by_id = {d.doc_id: d for d in docs}
        order = [d.doc_id for d in docs]
    else:
        by_id, order = _text_documents(files, s)
    lists = files.all("list")
    if not lists:
        return [by_id[d] for d in order]
    chosen: list[_Document] = []
    seen: set[str] = set()
    for list_path in lists:
        for lineno, line in iter_lines(list_path):
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            stem = _stem(name, s)
            if stem in seen:
                continue
            if stem not in by_id:
                raise SourceError(
                    list_path, lineno,
                    f"document {stem!r} is listed but no text file {stem}{s.text_suffix} is among the split's data files",
                )
            seen.add(stem)
            chosen.append(by_id[stem])
    return chosen


def _ref_ok(ref: str) -> bool:
    return bool(ref) and not any(c.isspace() for c in ref)


def read_brat_document(txt: Path, stem: str, s: _Settings) -> KBRecord:
    """One document: its text file and whichever annotation files exist next to it."""
    annotations = {x: txt.with_name(stem + x) for x in s.suffixes}
    doc = _Document(stem, txt, None, {x: p for x, p in annotations.items() if p.is_file()})
    return _read_document(doc, read_text(txt), s.suffixes, s)


def _complete_lines(ann: Path, s: _Settings) -> Iterator[tuple[int, str]]:
    """The lines of an annotation file; a last line without a line end (a file
    that may be cut short: brat ends every line) is counted as
    ``brat.unterminated_line``."""
    open_end = yield from iter_lines(ann)
    if open_end is not None:
        s.diagnostics.warn("brat.unterminated_line",
                           f"{ann}:{open_end}: the last line has no line end: the file may be cut short")


def _annotation_lines(ann: Path, s: _Settings) -> Iterator[tuple[int, str]]:
    """The lines of an annotation file; with ``continued_lines`` a line without a
    tab is joined (after a newline) to the T line before it."""
    if not s.continued:
        yield from _complete_lines(ann, s)
        return
    pending: tuple[int, str] | None = None
    for lineno, line in _complete_lines(ann, s):
        if pending is not None and line.strip() and "\t" not in line and pending[1].startswith("T"):
            pending = (pending[0], pending[1].rstrip("\r\n") + "\n" + line.rstrip("\r\n"))
            continue
        if pending is not None:
            yield pending
        pending = (lineno, line)
    if pending is not None:
        yield pending


def _same_but_spaces(text: str, offsets: tuple[tuple[int, int], ...], annotated: str) -> bool:
    """The fragments read the annotated text but for white space (DDI writes some discontinuous
    mentions without the space between their fragments, or with a fragment starting at a space)."""
    if not all(0 <= a <= b <= len(text) for a, b in offsets):
        return False
    return "".join("".join(text[a:b] for a, b in offsets).split()) == "".join(annotated.split())


def _repair(text: str, offsets: tuple[tuple[int, int], ...], annotated: str, window: int):
    """Offsets moved by the smallest shift (left first) at which the text reads
    ``annotated`` (without white space at its ends), or None."""
    n = len(text)
    if len(offsets) == 1:
        clean = annotated.strip()
        if not clean:
            return None
        start = offsets[0][0]
        for i in range(window + 1):
            for p in ((start - i, start + i) if i else (start,)):
                if 0 <= p and p + len(clean) <= n and text[p:p + len(clean)] == clean:
                    return ((p, p + len(clean)),)
        return None
    for i in range(window + 1):
        for d in ((-i, i) if i else (0,)):
            moved = tuple((a + d, b + d) for a, b in offsets)
            if all(0 <= a <= b <= n for a, b in moved) and " ".join(text[a:b] for a, b in moved) == annotated:
                return moved
    return None


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def _read_document(doc: _Document, text: str, suffixes: list[str], s: _Settings) -> KBRecord:  # noqa: C901
    """One document from the annotation files of ``suffixes``."""
    stem = doc.doc_id
    txt = doc.source
    defs: dict[str, tuple] = {}  # id -> parsed definition (for repeated ids)
    where: dict[str, tuple[Path, int]] = {}
    order: list[str] = []
    corefs: list[tuple[str, ...]] = []
    attrs_of: dict[str, list[tuple[str, str]]] = {}
    norms_of: dict[str, list[Normalization]] = {}
    notes: list[tuple[str, str, Path, int]] = []
    found_any = False
    for suffix in suffixes:
        ann = doc.annotations.get(suffix)
        if ann is None:
            continue
        found_any = True
        for lineno, line in _annotation_lines(ann, s):
            if not line.strip():
                continue
            parsed = _parse_line(line, ann, lineno, s.normalizations)
            kind = parsed[0]
            if kind == "*":
                members = parsed[2]
                if members not in corefs:
                    corefs.append(members)
                continue
            if kind == "#":
                if s.notes:
                    notes.append((parsed[2], parsed[3], ann, lineno))
                continue
            if kind == "E" and not s.events:
                continue
            ident = parsed[1]
            if ident in defs:
                if defs[ident] != parsed:
                    p0, l0 = where[ident]
                    raise SourceError(ann, lineno, f"id {ident} is already defined differently at {p0.name}:{l0}")
                continue
            defs[ident] = parsed
            where[ident] = (ann, lineno)
            order.append(ident)
    if s.require and not found_any:
        raise SourceError(txt, None, f"no annotation file ({', '.join(stem + x for x in suffixes)}) for it")
    if ".a2" in doc.annotations and ".a1" in suffixes and ".a1" not in doc.annotations:
        s.diagnostics.warn("brat.a2_without_a1", f"{doc.annotations['.a2']}: document {stem} has a .a2 file but no "
                           f".a1 file (its given entities): an incomplete copy of the corpus?")

    # entity types left out, and what refers to them
    dropped: set[str] = set()
    if s.entity_types:
        dropped = {i for i in order if defs[i][0] == "T" and defs[i][2] not in s.entity_types}
        changed = True
        while changed:  # events whose trigger is dropped are dropped; then what refers to them
            changed = False
            for ident in order:
                d = defs[ident]
                if ident in dropped:
                    continue
                if (d[0] == "E" and d[3] in dropped) or (d[0] == "R" and (d[3][1] in dropped or d[4][1] in dropped)):
                    dropped.add(ident)
                    changed = True
        order = [i for i in order if i not in dropped]
        corefs = [m for m in (tuple(x for x in c if x not in dropped) for c in corefs) if len(m) >= 2]

    # triggers: T ids used as the trigger of an event
    triggers: dict[str, list[str]] = {}
    for ident in order:
        d = defs[ident]
        if d[0] == "E":
            trig = d[3]
            if trig not in defs or defs[trig][0] != "T":
                p, ln = where[ident]
                raise SourceError(p, ln, f"event {ident} has trigger {trig}, which is not a T annotation of {stem}")
            triggers.setdefault(trig, []).append(ident)

    # attributes, normalizations, notes
    def target(ref: str, p: Path, ln: int, what: str) -> list[str]:
        if ref in triggers:
            return triggers[ref]
        if ref in dropped:
            return []
        if ref not in defs:
            raise SourceError(p, ln, f"{what} refers to {ref}, which is not defined in {stem}")
        return [ref]

    for ident in order:
        d = defs[ident]
        if d[0] in "AM":
            _, _, name, ref, value = d
            p, ln = where[ident]
            for t in target(ref, p, ln, f"attribute {ident}"):
                attrs_of.setdefault(t, []).append((name, value))
        elif d[0] == "N":
            _, _, ref, db_name, db_id = d
            p, ln = where[ident]
            for t in target(ref, p, ln, f"normalization {ident}"):
                norms_of.setdefault(t, []).append(Normalization(db_name, db_id))
    for ref, note, p, ln in notes:
        for t in target(ref, p, ln, "note"):
            attrs_of.setdefault(t, []).append(("note", note))

    # spans
    spans: dict[str, tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}
    for ident in order:
        d = defs[ident]
        if d[0] != "T":
            continue
        _, _, etype, offsets, annotated = d
        p, ln = where[ident]
        if annotated is None:
            if not all(b <= len(text) for _, b in offsets):  # a text file cut short: never a silent cut mention
                s.check.fragments(text, offsets, "", p, ln, stem, f"{ident} ({etype})")
            annotated = " ".join(text[a:b] for a, b in offsets)
        if len(offsets) == 1 and text[offsets[0][0]:offsets[0][1]] == annotated:
            frags: tuple[str, ...] = (annotated,)
        elif len(offsets) > 1 and _same_but_spaces(text, offsets, annotated):
            # fragments written without the space between them ('alpha-' + 'adrenergic' as 'alpha-adrenergic')
            frags = tuple(text[a:b] for a, b in offsets)
        elif s.repair and " ".join(text[a:b] for a, b in offsets) != annotated:
            moved = _repair(text, offsets, annotated, s.repair_window)
            what = f"document {stem}: {ident} ({etype}) annotated as {annotated!r} at {offsets}"
            if moved is not None:
                s.diagnostics.warn("brat.offset_repaired", f"{p}:{ln}: {what} is found at {moved}")
                offsets = moved
                frags = tuple(text[a:b] for a, b in offsets)
            elif all(0 <= a <= b <= len(text) for a, b in offsets):
                s.diagnostics.warn("brat.offset_unrepaired",
                                   f"{p}:{ln}: {what} is not found within {s.repair_window} characters; "
                                   f"the text at its offsets is kept")
                frags = tuple(text[a:b] for a, b in offsets)
            else:
                frags = s.check.fragments(text, offsets, annotated, p, ln, stem, f"{ident} ({etype})")
        else:
            frags = s.check.fragments(text, offsets, annotated, p, ln, stem, f"{ident} ({etype})")
        spans[ident] = (frags, offsets)

    entities: list[Entity] = []
    events: list[Event] = []
    relations: list[Relation] = []
    for ident in order:
        d = defs[ident]
        kind = d[0]
        if kind == "T":
            if ident in triggers:
                continue
            frags, offsets = spans[ident]
            entities.append(Entity(id=ident, type=d[2], text=frags, offsets=offsets,
                                   normalized=norms_of.get(ident, ()), attributes=attrs_of.get(ident, ())))
        elif kind == "E":
            _, _, etype, trig, args = d
            p, ln = where[ident]
            arguments = []
            for role, ref in args:
                if ref in dropped:
                    continue
                if ref not in defs:
                    raise SourceError(p, ln, f"event {ident} argument {role}:{ref} refers to an undefined id")
                arguments.append(Argument(s.role(role), ref))
            frags, offsets = spans[trig]
            events.append(Event(id=ident, type=etype, trigger_text=frags, trigger_offsets=offsets,
                                arguments=arguments, attributes=attrs_of.get(ident, ())))
        elif kind == "R":
            _, _, rtype, (r1, a1), (r2, a2) = d
            p, ln = where[ident]
            for ref in (a1, a2):
                if ref not in defs:
                    raise SourceError(p, ln, f"relation {ident} refers to {ref}, which is not defined in {stem}")
            attributes = []
            if r1 != "Arg1":
                attributes.append(("arg1_role", r1))
            if r2 != "Arg2":
                attributes.append(("arg2_role", r2))
            attributes.extend(attrs_of.get(ident, ()))
            relations.append(Relation(id=ident, type=rtype, arg1_id=a1, arg2_id=a2, attributes=attributes))
    coreferences = []
    for n, members in enumerate(corefs, 1):
        for m in members:
            if m not in defs:
                raise SourceError(txt, None, f"coreference {' '.join(members)} refers to {m}, which is not defined in {stem}")
        coreferences.append(Coreference(id=f"*{n}", entity_ids=members))
        if s.equiv_relations:
            for i, a in enumerate(members[:-1]):
                for j, b in enumerate(members[i + 1:], i + 1):
                    relations.append(Relation(id=f"*{n}-{i + 1}-{j + 1}", type=s.equiv_relations, arg1_id=a, arg2_id=b))
    return KBRecord(
        id=stem,
        document_id=stem,
        passages=(Passage(id="P0", type=s.passage_type, text=text, offsets=((0, len(text)),)),),
        entities=entities,
        events=events,
        coreferences=coreferences,
        relations=relations,
        source=str(txt),
    )


def _split_ref(token: str, p: Path, ln: int, what: str) -> tuple[str, str]:
    role, sep, ref = token.rpartition(":")
    if not sep or not role or not _ref_ok(ref):
        raise SourceError(p, ln, f"expected ROLE:ID in {what}, found {token!r}")
    return role, ref


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def _parse_line(line: str, p: Path, ln: int, normalizations: str = "auto") -> tuple:  # noqa: C901
    """A standoff line as a comparable tuple: (kind, id, ...)."""
    ident, tab, rest = line.partition("\t")
    ident = ident.strip()
    if not tab or not ident:
        raise SourceError(p, ln, f"expected an id, a tab and an annotation, found {line[:80]!r}")
    kind = ident[0]
    if kind == "T":
        body, sep, annotated = rest.partition("\t")
        head = body.split(None, 1)
        if len(head) != 2:
            raise SourceError(p, ln, f"expected 'Type start end[;start end...]' in {ident}, found {body!r}")
        etype, span_text = head
        offsets = []
        for piece in span_text.split(";"):
            nums = piece.split()
            if len(nums) != 2 or not all(n.isdigit() and n.isascii() for n in nums):
                raise SourceError(p, ln, f"expected 'start end' offsets in {ident}, found {piece.strip()!r}")
            a, b = int(nums[0]), int(nums[1])
            if b < a:
                raise SourceError(p, ln, f"{ident} has a span {a} {b} that ends before it starts")
            offsets.append((a, b))
        return ("T", ident, etype, tuple(offsets), annotated if sep else None)
    if kind == "E":
        tokens = rest.split()
        if not tokens:
            raise SourceError(p, ln, f"event {ident} has no Type:Trigger")
        etype, trig = _split_ref(tokens[0], p, ln, f"event {ident}")
        args = tuple(_split_ref(t, p, ln, f"event {ident}") for t in tokens[1:])
        return ("E", ident, etype, trig, args)
    if kind == "R":
        tokens = rest.split()
        if len(tokens) != 3:
            raise SourceError(p, ln, f"expected 'Type Arg1:ID Arg2:ID' in relation {ident}, found {rest.strip()!r}")
        return ("R", ident, tokens[0], _split_ref(tokens[1], p, ln, f"relation {ident}"),
                _split_ref(tokens[2], p, ln, f"relation {ident}"))
    if kind == "*":
        tokens = rest.split()
        if len(tokens) < 2:
            raise SourceError(p, ln, f"expected 'Equiv ID ID...' in {ident}, found {rest.strip()!r}")
        return ("*", ident, tuple(tokens[1:]))
    if kind in "AM":
        tokens = rest.split()
        if len(tokens) not in (2, 3):
            raise SourceError(p, ln, f"expected 'Name ID [VALUE]' in attribute {ident}, found {rest.strip()!r}")
        return (kind, ident, tokens[0], tokens[1], tokens[2] if len(tokens) == 3 else "true")
    if kind == "N":
        body, _, _text = rest.partition("\t")
        tokens = body.split()
        if normalizations == "roles" or (normalizations == "auto" and len(tokens) == 3 and ":" in tokens[1]):
            return _role_normalization(ident, tokens, p, ln)
        if len(tokens) != 3:
            raise SourceError(p, ln, f"expected 'Reference ID DB:ID' in normalization {ident}, found {body.strip()!r}")
        db_name, sep, db_id = tokens[2].partition(":")
        if not sep:
            db_name, db_id = "", tokens[2]
        return ("N", ident, tokens[1], db_name, db_id)
    if kind == "#":
        body, _, note = rest.partition("\t")
        tokens = body.split()
        if len(tokens) < 2:
            raise SourceError(p, ln, f"expected 'Type ID<TAB>text' in note {ident}, found {rest.strip()!r}")
        return ("#", ident, tokens[1], note.strip())
    raise SourceError(p, ln, f"unknown annotation line type {kind!r} (expected T, E, R, *, A, M, N or #): {line[:80]!r}")


def _role_normalization(ident: str, tokens: list[str], p: Path, ln: int) -> tuple:
    """``N1<TAB>OntoBiotope Annotation:T1 Referent:OBT:000001`` (Bacteria Biotope)."""
    if len(tokens) != 3:
        raise SourceError(p, ln, f"expected 'Resource Annotation:ID Referent:ID' in normalization {ident}, "
                          f"found {' '.join(tokens)!r}")
    refs = {}
    for token in tokens[1:]:
        role, sep, value = token.partition(":")
        if not sep or not value or role not in ("Annotation", "Referent"):
            raise SourceError(p, ln, f"expected Annotation:ID and Referent:ID in normalization {ident}, found {token!r}")
        refs[role] = value
    if len(refs) != 2:
        raise SourceError(p, ln, f"expected Annotation:ID and Referent:ID in normalization {ident}, "
                          f"found {' '.join(tokens[1:])!r}")
    if not _ref_ok(refs["Annotation"]):
        raise SourceError(p, ln, f"normalization {ident} names no annotation id: {refs['Annotation']!r}")
    return ("N", ident, refs["Annotation"], tokens[0], refs["Referent"])
