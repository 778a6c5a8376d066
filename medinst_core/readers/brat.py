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

Memory use is one document: the documents are found as the split's files are
walked (a text file, or an annotation file whose text file is next to it,
starts a document where it comes first), each is read and its record returned
before the next is looked for, and the names already seen are kept as digests
(:class:`~medinst_core.readers.checks.IdDigests`), so two text files of one
name are still an error.  What is indexed whole is only what must be looked
up by name: annotation files listed among the split's files (instead of being
found next to their texts), a text table's annotation files, a document list's
documents.  A document's files are
each read in one call (an annotation file that does not exist is found so,
with no separate existence check); the lines are parsed by
:mod:`medinst_core.readers.brat_lines` and the record built by
:mod:`medinst_core.readers.brat_build`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..records import KBRecord
from ..sources import SourceFiles
from .brat_build import read_document
from .brat_lines import read_optional, text_of
from .checks import IdDigests, OffsetChecker
from .file_groups import BratGroups
from .files import iter_lines, line_cap, read_bytes, read_text

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
        self._roles: dict[str, str] = {}
        #: event argument token (``Theme:T1``) -> its Argument, shared by the events
        #: (of any document) that have it; emptied when it reaches ARGUMENTS_KEPT
        self.arguments: dict[str, Any] = {}
        self.line_cap = line_cap()

    @property
    def all_suffixes(self) -> list[str]:
        return self.suffixes + [x for x in self.second if x not in self.suffixes]

    def role(self, role: str) -> str:
        known = self._roles.get(role)
        if known is not None:
            return known
        name = role
        if self.strip_digits:
            base = _TRAILING_DIGITS.sub("", name)
            name = base or name
        name = self.role_map.get(name, name)
        self._roles[role] = name
        return name


#: the annotation files found elsewhere of a document that has none (shared, never changed)
_NONE_ELSEWHERE: Mapping[str, Path] = MappingProxyType({})


class _Document:
    """One document of a split: where its text comes from and its annotation files."""

    __slots__ = ("doc_id", "source", "location", "text", "base", "found")

    def __init__(self, doc_id: str, source: Path, text: str | None, base: str | None, found: Mapping[str, Path]):
        self.doc_id = doc_id
        self.source = source  # the text file, or the annotation/table file
        # str() of a Path is kept in the Path: a split's files are a PathList, whose
        # Paths are made as they are read and dropped with their document
        self.location = str(source)
        self.text = text  # None: read the text file ``source``
        self.base = base  # the path of the files next to the text file, without suffix (None: none)
        self.found = found  # suffix -> annotation file kept elsewhere

    def annotation(self, suffix: str) -> tuple[Any, bytes | None]:
        """(path, bytes) of the annotation file of ``suffix``: the one next to the
        text file, else the one found elsewhere; (None, None) when there is none."""
        if self.base is not None:
            beside = self.base + suffix
            data = read_optional(beside)
            if data is not None:
                return beside, data
        path = self.found.get(suffix)
        if path is None:
            return None, None
        return path, read_bytes(path)


def read_brat(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read the documents of the split (see the module documentation)."""
    s = _Settings(options, diagnostics)
    for doc in _documents(files, s):
        if doc.text is not None:
            text = doc.text
        else:
            data = read_optional(doc.location)
            text = read_text(doc.source) if data is None else text_of(data, doc.source)  # None: read_text says why
        if not s.second:
            yield read_document(doc, text, s.suffixes, s)
            continue
        from .brat_agreement import agree

        first = read_document(doc, text, s.suffixes, s)
        second = read_document(doc, text, s.second, s)
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


def _table_documents(files: SourceFiles, s: _Settings) -> Iterator[_Document]:
    """The rows of the text table, as they are read."""
    index = _annotation_index([*files.all("data"), *files.all("annotations")], s)
    seen = IdDigests()
    for table in files.all("texts"):
        for lineno, line in iter_lines(table):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            doc_id, tab, text = line.partition("\t")
            doc_id = doc_id.strip()
            if not tab or not doc_id:
                raise SourceError(table, lineno, f"expected 'ID<TAB>text', found {line[:80]!r}")
            if not seen.add(doc_id):
                p0, l0 = _first_row(files, doc_id)
                raise SourceError(table, lineno, f"document {doc_id!r} is already given at {p0.name}:{l0}")
            annotations = index.pop(doc_id, {})
            source = next(iter(annotations.values()), table)
            yield _Document(doc_id, source, text, None, annotations)
    if index:
        doc_id, found = next(iter(index.items()))
        path = next(iter(found.values()))
        raise SourceError(path, None, f"annotation file of document {doc_id!r}, which no row of the text table names "
                          f"({len(index)} such document(s))")


def _first_row(files: SourceFiles, doc_id: str) -> tuple[Path, int]:
    """Where the text table first gives ``doc_id`` (looked up again only for the error)."""
    for table in files.all("texts"):
        for lineno, line in iter_lines(table):
            if line.partition("\t")[0].strip() == doc_id:
                return table, lineno
    raise AssertionError(doc_id)  # pragma: no cover - only called for an id already read


def _text_documents(files: SourceFiles, s: _Settings) -> Iterator[_Document]:
    """The documents of the text files among the split's files, in the order of
    their first file; each takes the annotation files next to it, else those of
    its base name found elsewhere among the split's files (another folder, as
    Verspoor-2013's annotations/).  Streamed: only the names seen are kept."""
    data = files.all("data")
    text_suffix = s.text_suffix
    all_suffixes = s.all_suffixes
    id_folders = s.id_folders
    apart = [p for p in data if not p.name.endswith(text_suffix)] + list(files.all("annotations"))
    index = _annotation_index(apart, s) if apart else {}
    ids = IdDigests()
    texts = IdDigests()
    for path in data:
        name = path.name
        if name.endswith(text_suffix):
            txt = path
            stem = name[: -len(text_suffix)]
        elif any(name.endswith(x) for x in all_suffixes):
            stem = _stem(name, s)
            txt = path.with_name(stem + text_suffix)
            if not txt.is_file():
                continue  # paired by base name below, or reported
        else:
            continue
        doc_id = _doc_id(txt, stem, s) if id_folders else stem
        if not ids.add(doc_id):
            if str(txt.parent / txt.name) in texts:
                continue  # another file of a document already read
            first = _first_text(data, doc_id, s)
            if first is not None and first != txt:
                raise SourceError(txt, None, f"two documents named {doc_id!r} in this split: {first} and {txt}")
            continue  # pragma: no cover - two ids sharing a digest
        if apart:
            texts.add(str(txt.parent / txt.name))
        found = index.pop(doc_id, _NONE_ELSEWHERE) if index else _NONE_ELSEWHERE
        doc = _Document(doc_id, txt, None, None, found)
        doc.base = doc.location[: len(doc.location) - len(text_suffix)]
        yield doc
    if index:
        doc_id, found = next(iter(index.items()))
        path = next(iter(found.values()))
        raise SourceError(path, None, f"annotation file without its text file {doc_id}{s.text_suffix} "
                          f"({len(index)} such document(s) in this split)")


def _first_text(data, doc_id: str, s: _Settings) -> Path | None:
    """The first text file of the split's files whose document is ``doc_id`` (for the error)."""
    for path in data:
        name = path.name
        if name.endswith(s.text_suffix):
            txt, stem = path, name[: -len(s.text_suffix)]
        elif any(name.endswith(x) for x in s.all_suffixes):
            stem = _stem(name, s)
            txt = path.with_name(stem + s.text_suffix)
            if not txt.is_file():
                continue
        else:
            continue
        if _doc_id(txt, stem, s) == doc_id:
            return txt
    return None


def _documents(files: SourceFiles, s: _Settings) -> Iterator[_Document]:
    docs = _table_documents(files, s) if files.all("texts") else _text_documents(files, s)
    lists = files.all("list")
    if not lists:
        yield from docs
        return
    # a document list: the documents are looked up by name, so they are indexed
    by_id = {d.doc_id: d for d in docs}
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
            yield by_id[stem]


# a split of many documents is built by several processes in groups of files,
# a document's text and annotation files always in one group (see .file_groups)
read_brat.file_groups = BratGroups()  # type: ignore[attr-defined]


def read_brat_document(txt: Path, stem: str, s: _Settings) -> KBRecord:
    """One document: its text file and whichever annotation files exist next to it."""
    whole = str(txt)
    doc = _Document(stem, txt, None, whole[: len(whole) - len(txt.name)] + stem, {})
    return read_document(doc, read_text(txt), s.suffixes, s)
