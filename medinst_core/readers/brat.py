"""BRAT / BioNLP shared-task standoff reader (``brat``).

Files
-----
Role ``data``: the text files (``*.txt``) of the split, given by folder or glob
in the manifest, e.g. ``["train/*.txt"]`` or ``["standoff/*.txt"]``.  Next to
each text file, every annotation file named ``<stem><suffix>`` for the
``suffixes`` option that exists
is read, in that order.

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
       joined by a space).  A T that is the trigger of an event is *not* an
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
       ``(DB, ID)`` of the referenced entity.
``#``  notes: ignored, or with ``notes: "attribute"`` a ``("note", text)``
       attribute of the referenced annotation.

Ids repeated across annotation files (a ``.a2`` restating a ``.a1`` T line)
resolve to one annotation; a repeated id with a *different* definition is an
error.

The options, with their defaults and descriptions, are declared once, in
the reader's schema in ``medinst_core/default_plugins/readers.py``
(``medinst tasks show TASK`` prints them).

Memory use is one document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..default_plugins.readers import BRAT_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..options import with_defaults
from ..records import Argument, Coreference, Entity, Event, KBRecord, Normalization, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker
from .files import iter_lines, read_text

_TRAILING_DIGITS = re.compile(r"\d+$")


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        options = with_defaults(BRAT_OPTIONS, options)
        self.suffixes = list(options["suffixes"])
        self.text_suffix = options["text_suffix"]
        self.passage_type = options["passage_type"]
        self.strip_digits = options["role_digits"] == "strip"
        self.role_map = dict(options["role_map"] or {})
        self.notes = options["notes"] == "attribute"
        self.require = bool(options["require_annotations"])
        self.check = OffsetChecker(options, diagnostics)

    def role(self, role: str) -> str:
        if self.strip_digits:
            base = _TRAILING_DIGITS.sub("", role)
            role = base or role
        return self.role_map.get(role, role)


def read_brat(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read the documents of the split (see the module documentation)."""
    s = _Settings(options, diagnostics)
    for stem, txt in _documents(files, s):
        yield read_brat_document(txt, stem, s)


def _stem(name: str, s: _Settings) -> str:
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    for suffix in [s.text_suffix, *s.suffixes]:
        if suffix and base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def _documents(files: SourceFiles, s: _Settings) -> list[tuple[str, Path]]:
    by_stem: dict[str, Path] = {}
    order: list[str] = []
    for path in files.all("data"):
        name = path.name
        if name.endswith(s.text_suffix):
            stem = name[: -len(s.text_suffix)]
        elif any(name.endswith(x) for x in s.suffixes):
            stem = _stem(name, s)
        else:
            continue
        txt = path.with_name(stem + s.text_suffix)
        if stem in by_stem:
            if by_stem[stem] != txt:
                raise SourceError(txt, None, f"two documents named {stem!r} in this split: {by_stem[stem]} and {txt}")
            continue
        if not txt.is_file():
            raise SourceError(path, None, f"annotation file without its text file {txt.name}")
        by_stem[stem] = txt
        order.append(stem)
    lists = files.all("list")
    if not lists:
        return [(stem, by_stem[stem]) for stem in order]
    chosen: list[tuple[str, Path]] = []
    seen: set[str] = set()
    for list_path in lists:
        for lineno, line in iter_lines(list_path):
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            stem = _stem(name, s)
            if stem in seen:
                continue
            if stem not in by_stem:
                raise SourceError(
                    list_path, lineno,
                    f"document {stem!r} is listed but no text file {stem}{s.text_suffix} is among the split's data files",
                )
            seen.add(stem)
            chosen.append((stem, by_stem[stem]))
    return chosen


def _ref_ok(ref: str) -> bool:
    return bool(ref) and not any(c.isspace() for c in ref)


# complexity above the limit: the per-document hot loop over annotation lines, kept whole for speed
def read_brat_document(txt: Path, stem: str, s: _Settings) -> KBRecord:  # noqa: C901
    """One document: its text file and whichever annotation files exist."""
    text = read_text(txt)
    defs: dict[str, tuple] = {}  # id -> parsed definition (for repeated ids)
    where: dict[str, tuple[Path, int]] = {}
    order: list[str] = []
    corefs: list[tuple[str, ...]] = []
    attrs_of: dict[str, list[tuple[str, str]]] = {}
    norms_of: dict[str, list[Normalization]] = {}
    notes: list[tuple[str, str, Path, int]] = []
    found_any = False
    for suffix in s.suffixes:
        ann = txt.with_name(stem + suffix)
        if not ann.is_file():
            continue
        found_any = True
        for lineno, line in iter_lines(ann):
            if not line.strip():
                continue
            parsed = _parse_line(line, ann, lineno)
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
        raise SourceError(txt, None, f"no annotation file ({', '.join(stem + x for x in s.suffixes)}) next to it")

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
            annotated = " ".join(text[a:b] for a, b in offsets)
        if len(offsets) == 1 and text[offsets[0][0]:offsets[0][1]] == annotated:
            frags: tuple[str, ...] = (annotated,)
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


# complexity above the limit: one branch per standoff line kind (T, E, R, *, A/M, N, #)
def _parse_line(line: str, p: Path, ln: int) -> tuple:  # noqa: C901
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
