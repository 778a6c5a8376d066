"""One BRAT document's record, from the parsed lines of its annotation files
(the ``brat`` reader's document builder; see :mod:`medinst_core.readers.brat`
for the format and the options).  Everything here is the state of one
document: nothing is kept once its record is returned.
"""

from __future__ import annotations

from typing import Any

from ..errors import SourceError
from ..records import Argument, Coreference, Event, KBRecord, Normalization, Passage, Relation
from .brat_lines import lines_of, parse_line, read_optional, split_ref
from .construct import fast_constructor, make_entity, positional_constructor

_record = fast_constructor(KBRecord)
_passage = fast_constructor(Passage)
#: Event(id, type, trigger_text, trigger_offsets, arguments, attributes) from canonical values
_event = positional_constructor(Event)
#: Relation(id, type, arg1_id, arg2_id, normalized, attributes) from canonical values
_relation = positional_constructor(Relation)
#: Argument(role, ref_id)
_argument = positional_constructor(Argument)
#: the most Arguments kept for reuse (by their token, ``Theme:T1``) by a reading
ARGUMENTS_KEPT = 4096


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


# complexity above the limit: the per-line hot loop, with the usual T and E lines parsed inline
def _collect(doc: Any, text: str, suffixes: list[str], s: Any):  # noqa: C901
    """Pass 1: the parsed lines of the document's annotation files, repeated ids
    resolved, sorted by kind (each list in the order of first definition).  A
    one-span T whose annotated text is the text at its offsets is checked here
    (``spans``); any other T is left to :func:`read_document` (``pending``)."""
    defs: dict[str, tuple] = {}  # id -> parsed definition (for repeated ids and references)
    where: dict[str, tuple[Any, int]] = {}
    ts: list[tuple] = []
    es: list[tuple] = []
    rs: list[tuple] = []
    amn: list[tuple] = []
    spans: dict[str, tuple[tuple[str, ...], tuple[tuple[int, int], ...]]] = {}
    pending: list[tuple] = []
    corefs: list[tuple[str, ...]] = []
    notes: list[tuple[str, str, Any, int]] = []
    found: dict[str, Any] = {}
    events = s.events
    for suffix in suffixes:
        ann, data = doc.annotation(suffix)
        if data is None:
            continue
        found[suffix] = ann
        normalizations = s.normalizations
        lines, open_end = lines_of(data, ann, s.continued, s.line_cap)
        if open_end is not None:
            s.diagnostics.warn("brat.unterminated_line",
                               f"{ann}:{open_end}: the last line has no line end: the file may be cut short")
        for lineno, line in (lines if s.continued else enumerate(lines, 1)):
            c = line[:1]
            parsed: tuple | None = None
            if c == "T":  # the usual one-span T line, parsed here (parse_line does the rest)
                fields = line.split("\t")
                head = fields[1].split() if len(fields) == 3 else []  # a tab in the annotated text: parse_line
                if len(head) == 3:
                    ident, body, annotated = fields
                    a, b = head[1], head[2]
                    # ASCII digits only (int() takes other digits, signs, underscores)
                    if a.isdigit() and b.isdigit() and (body.isascii() or (a.isascii() and b.isascii())):
                        start, end = int(a), int(b)
                        if start <= end:
                            ident = ident.strip()
                            offsets = ((start, end),)
                            parsed = ("T", ident, head[0], offsets, annotated)
                            if ident not in defs:
                                defs[ident] = parsed
                                where[ident] = (ann, lineno)
                                ts.append(parsed)
                                if text[start:end] == annotated:
                                    spans[ident] = ((annotated,), offsets)
                                else:
                                    pending.append(parsed)
                                continue
            elif c == "E" and events:  # the arguments are split when the event is built
                tokens = line.split()  # the id, then Type:Trigger and ROLE:ID tokens
                if len(tokens) > 1 and line[len(tokens[0])] == "\t":
                    etype, sep, trig = tokens[1].rpartition(":")
                    if sep and etype and trig:
                        ident = tokens[0]
                        parsed = ("E", ident, etype, trig, tokens)
                        if ident not in defs:
                            defs[ident] = parsed
                            where[ident] = (ann, lineno)
                            es.append(parsed)
                            continue
            if parsed is None:
                if not line or line.isspace():
                    continue
                parsed = parse_line(line, ann, lineno, normalizations)
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
            if kind == "E" and not events:
                continue
            ident = parsed[1]
            first = defs.get(ident)
            if first is not None:
                if first != parsed:
                    p0, l0 = where[ident]
                    raise SourceError(ann, lineno, f"id {ident} is already defined differently at {_name(p0)}:{l0}")
                continue
            defs[ident] = parsed
            where[ident] = (ann, lineno)
            if kind == "T":
                ts.append(parsed)
                pending.append(parsed)
            elif kind == "E":
                es.append(parsed)
            elif kind == "R":
                rs.append(parsed)
            else:
                amn.append(parsed)
    if s.require and not found:
        raise SourceError(doc.source, None, f"no annotation file ({', '.join(doc.doc_id + x for x in suffixes)}) for it")
    if ".a1" in suffixes and ".a1" not in found:
        a2 = found.get(".a2")
        if a2 is None and ".a2" not in suffixes and ".a2" in s.all_suffixes:
            a2 = doc.annotation(".a2")[0]
        if a2 is not None:
            s.diagnostics.warn("brat.a2_without_a1", f"{a2}: document {doc.doc_id} has a .a2 file but no "
                               f".a1 file (its given entities): an incomplete copy of the corpus?")
    return defs, where, ts, es, rs, amn, spans, pending, corefs, notes


def _name(p) -> str:
    return str(p).replace("\\", "/").rsplit("/", 1)[-1]


def _drop_types(defs: dict[str, tuple], corefs: list, types: set[str]) -> tuple[set[str], list]:
    """Entity types left out, and what refers to them."""
    dropped = {i for i, d in defs.items() if d[0] == "T" and d[2] not in types}
    changed = True
    while changed:  # events whose trigger is dropped are dropped; then what refers to them
        changed = False
        for ident, d in defs.items():
            if ident in dropped:
                continue
            if (d[0] == "E" and d[3] in dropped) or (d[0] == "R" and (d[3][1] in dropped or d[4][1] in dropped)):
                dropped.add(ident)
                changed = True
    for ident in dropped:
        del defs[ident]
    corefs = [m for m in (tuple(x for x in c if x not in dropped) for c in corefs) if len(m) >= 2]
    return dropped, corefs


def _fragments(text, ident, etype, offsets, annotated, p, ln, stem, s):
    """The text of each fragment of a T annotation (and its offsets, moved when repaired)."""
    if annotated is None:
        annotated = " ".join(text[a:b] for a, b in offsets)
    if len(offsets) > 1 and _same_but_spaces(text, offsets, annotated):
        # fragments written without the space between them ('alpha-' + 'adrenergic' as 'alpha-adrenergic')
        return tuple(text[a:b] for a, b in offsets), offsets
    if s.repair and " ".join(text[a:b] for a, b in offsets) != annotated:
        moved = _repair(text, offsets, annotated, s.repair_window)
        what = f"document {stem}: {ident} ({etype}) annotated as {annotated!r} at {offsets}"
        if moved is not None:
            s.diagnostics.warn("brat.offset_repaired", f"{p}:{ln}: {what} is found at {moved}")
            return tuple(text[a:b] for a, b in moved), moved
        if all(0 <= a <= b <= len(text) for a, b in offsets):
            s.diagnostics.warn("brat.offset_unrepaired",
                               f"{p}:{ln}: {what} is not found within {s.repair_window} characters; "
                               f"the text at its offsets is kept")
            return tuple(text[a:b] for a, b in offsets), offsets
    return s.check.fragments(text, offsets, annotated, p, ln, stem, f"{ident} ({etype})"), offsets


# complexity above the limit: the per-document hot loop; one function keeps the reader fast
def read_document(doc: Any, text: str, suffixes: list[str], s: Any) -> KBRecord:  # noqa: C901
    """One document from the annotation files of ``suffixes``."""
    stem = doc.doc_id
    defs, where, ts, es, rs, amn, spans, pending, corefs, notes = _collect(doc, text, suffixes, s)
    dropped: set[str] = set()
    if s.entity_types:
        dropped, corefs = _drop_types(defs, corefs, s.entity_types)
        if dropped:
            for d in es:  # a dropped event's arguments are still checked
                if d[1] in dropped:
                    p, ln = where[d[1]]
                    for t in d[4][2:]:
                        split_ref(t, p, ln, "event", d[1])
            ts, es, rs, amn, pending = ([d for d in x if d[1] not in dropped] for x in (ts, es, rs, amn, pending))

    # the T annotations not checked yet (several spans, no annotated text, another text)
    for d in pending:
        ident = d[1]
        offsets = d[3]
        annotated = d[4]
        if annotated is None and not all(b <= len(text) for _, b in offsets):
            # no annotated text and offsets past the end: a text file cut short is never a silent cut mention
            p, ln = where[ident]
            s.check.fragments(text, offsets, "", p, ln, stem, f"{ident} ({d[2]})")
        if len(offsets) == 1:
            a, b = offsets[0]
            if annotated is None:
                annotated = text[a:b]  # no annotated text: the text at the (possibly clamped) offsets
            if text[a:b] == annotated:
                spans[ident] = ((annotated,), offsets)
                continue
        p, ln = where[ident]
        spans[ident] = _fragments(text, ident, d[2], offsets, annotated, p, ln, stem, s)

    # triggers: T ids used as the trigger of an event
    triggers: dict[str, list[str]] = {}
    for d in es:
        trig = d[3]
        if trig not in spans:  # spans holds every T annotation now
            p, ln = where[d[1]]
            raise SourceError(p, ln, f"event {d[1]} has trigger {trig}, which is not a T annotation of {stem}")
        known = triggers.get(trig)
        if known is None:
            triggers[trig] = [d[1]]
        else:
            known.append(d[1])

    # attributes, normalizations, notes
    attrs_of: dict[str, list[tuple[str, str]]] = {}
    norms_of: dict[str, list[Normalization]] = {}

    def target(ref: str, p, ln: int, what: str) -> list[str]:
        if ref in triggers:
            return triggers[ref]
        if ref in dropped:
            return []
        if ref not in defs:
            raise SourceError(p, ln, f"{what} refers to {ref}, which is not defined in {stem}")
        return [ref]

    for d in amn:
        ident = d[1]
        p, ln = where[ident]
        if d[0] == "N":
            for t in target(d[2], p, ln, f"normalization {ident}"):
                norms_of.setdefault(t, []).append(Normalization(d[3], d[4]))
        else:
            for t in target(d[3], p, ln, f"attribute {ident}"):
                attrs_of.setdefault(t, []).append((d[2], d[4]))
    for ref, note, p, ln in notes:
        for t in target(ref, p, ln, "note"):
            attrs_of.setdefault(t, []).append(("note", note))

    entities = []
    for d in ts:
        ident = d[1]
        if ident in triggers:
            continue
        frags, offsets = spans[ident]
        if attrs_of or norms_of:
            norms = norms_of.get(ident)
            attributes = attrs_of.get(ident)
            entities.append(make_entity(ident, d[2], frags, offsets, tuple(norms) if norms else (),
                                        tuple(attributes) if attributes else ()))
        else:
            entities.append(make_entity(ident, d[2], frags, offsets))
    events = []
    known_arguments = s.arguments
    for d in es:
        ident = d[1]
        tokens = d[4]
        if len(tokens) > 2:
            arguments = []
            for t in tokens[2:]:
                arg = known_arguments.get(t)
                if arg is None:
                    p, ln = where[ident]  # a token not seen before
                    r, ref = split_ref(t, p, ln, "event", ident)
                    if ref not in defs:
                        if ref in dropped:
                            continue
                        raise SourceError(p, ln, f"event {ident} argument {r}:{ref} refers to an undefined id")
                    arg = _argument(s.role(r), ref)
                    if len(known_arguments) >= ARGUMENTS_KEPT:
                        known_arguments.clear()
                    known_arguments[t] = arg
                elif arg.ref_id not in defs:
                    if arg.ref_id in dropped:
                        continue
                    p, ln = where[ident]
                    raise SourceError(p, ln, f"event {ident} argument {t} refers to an undefined id")
                arguments.append(arg)
            args = tuple(arguments)
        else:
            args = ()
        frags, offsets = spans[d[3]]
        attributes = attrs_of.get(ident) if attrs_of else None
        events.append(_event(ident, d[2], frags, offsets, args, tuple(attributes) if attributes else ()))
    relations: list[Relation] = []
    for d in rs:
        ident = d[1]
        _, _, rtype, (r1, a1), (r2, a2) = d
        for ref in (a1, a2):
            if ref not in defs:
                p, ln = where[ident]
                raise SourceError(p, ln, f"relation {ident} refers to {ref}, which is not defined in {stem}")
        rel_attributes = []
        if r1 != "Arg1":
            rel_attributes.append(("arg1_role", r1))
        if r2 != "Arg2":
            rel_attributes.append(("arg2_role", r2))
        rel_attributes.extend(attrs_of.get(ident, ()))
        relations.append(_relation(ident, rtype, a1, a2, (), tuple(rel_attributes)))
    coreferences = []
    for n, members in enumerate(corefs, 1):
        for m in members:
            if m not in defs:
                raise SourceError(doc.source, None,
                                  f"coreference {' '.join(members)} refers to {m}, which is not defined in {stem}")
        coreferences.append(Coreference(id=f"*{n}", entity_ids=members))
        if s.equiv_relations:
            for i, a in enumerate(members[:-1]):
                for j, b in enumerate(members[i + 1:], i + 1):
                    relations.append(_relation(f"*{n}-{i + 1}-{j + 1}", s.equiv_relations, a, b, (), ()))
    return _record(
        id=stem,
        document_id=stem,
        passages=(_passage(id="P0", type=s.passage_type, text=text, offsets=((0, len(text)),)),),
        entities=tuple(entities),
        events=tuple(events),
        coreferences=tuple(coreferences),
        relations=tuple(relations),
        source=doc.location,
    )


__all__ = ["read_document", "read_optional"]
