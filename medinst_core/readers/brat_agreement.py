"""What two annotators of one document agree on (the ``brat`` reader's
``agreement_suffixes`` option; PDR ships ``.ann`` and ``.ann2`` files).

Given the record read from the first annotator's files and the one read from
the second's (same text), :func:`agree` keeps:

* an **entity** of the first annotator when the second has an entity of the
  same type whose span shares at least one character with it (the first such
  entity, in file order, is its partner).  The agreed mention is the longer of
  the two (the first annotator's on a tie) and keeps the first annotator's id;
* a **relation** when the other annotator has one of the same type between
  the partners of its two arguments;
* an **event** when the other annotator has one of the same type whose
  trigger overlaps its trigger and whose arguments are the same roles on the
  partners of its arguments (every argument must be an agreed entity); the
  longer trigger is kept;
* a **coreference** chain when, reduced to its agreed members (at least two),
  it equals a chain of the other annotator reduced the same way.

This is the rule by which the BigBIO loader of PDR merges the two annotation
sets, which MedINST's PDR counts follow (that loader also needs both a Theme
and a Cause argument on an event; PDR's events have both).
"""

from __future__ import annotations

from typing import Any

from ..records import Argument, Coreference, Entity, Event, KBRecord, Relation

__all__ = ["agree"]


def _overlap(a: tuple[tuple[int, int], ...], b: tuple[tuple[int, int], ...]) -> bool:
    return any(s1 < e2 and s2 < e1 for s1, e1 in a for s2, e2 in b)


def _length(text: tuple[str, ...]) -> int:
    return sum(len(t) for t in text)


def _partners(first: KBRecord, second: KBRecord) -> tuple[list[Entity], dict[str, str], dict[str, str]]:
    merged: list[Entity] = []
    map1: dict[str, str] = {}
    map2: dict[str, str] = {}
    for e1 in first.entities:
        e2 = next((e for e in second.entities if e.type == e1.type and _overlap(e1.offsets, e.offsets)), None)
        if e2 is None:
            continue
        keep = e2 if _length(e2.text) > _length(e1.text) else e1
        merged.append(Entity(id=e1.id, type=e1.type, text=keep.text, offsets=keep.offsets,
                             normalized=keep.normalized, attributes=keep.attributes))
        map1[e1.id] = e1.id
        map2.setdefault(e2.id, e1.id)
    return merged, map1, map2


def _arguments(event: Event, mapping: dict[str, str]) -> tuple[tuple[str, str], ...] | None:
    args = []
    for arg in event.arguments:
        if arg.ref_id not in mapping:
            return None
        args.append((arg.role, mapping[arg.ref_id]))
    return tuple(sorted(args))


def _chains(record: KBRecord, mapping: dict[str, str]) -> list[frozenset[str]]:
    chains = []
    for chain in record.coreferences:
        members = frozenset(mapping[m] for m in chain.entity_ids if m in mapping)
        if len(members) >= 2:
            chains.append(members)
    return chains


def agree(first: KBRecord, second: KBRecord) -> KBRecord:
    """The annotations of ``first`` that ``second`` agrees with (see the module documentation)."""
    entities, map1, map2 = _partners(first, second)

    pairs2 = {(r.type, map2[r.arg1_id], map2[r.arg2_id]) for r in second.relations
              if r.arg1_id in map2 and r.arg2_id in map2}
    relations = [
        Relation(id=r.id, type=r.type, arg1_id=map1[r.arg1_id], arg2_id=map1[r.arg2_id], attributes=r.attributes)
        for r in first.relations
        if r.arg1_id in map1 and r.arg2_id in map1 and (r.type, map1[r.arg1_id], map1[r.arg2_id]) in pairs2
    ]

    events = []
    for ev1 in first.events:
        args1 = _arguments(ev1, map1)
        if not args1:
            continue
        for ev2 in second.events:
            if ev2.type != ev1.type or _arguments(ev2, map2) != args1:
                continue
            if not _overlap(ev1.trigger_offsets, ev2.trigger_offsets):
                continue
            keep = ev2 if _length(ev2.trigger_text) > _length(ev1.trigger_text) else ev1
            events.append(Event(id=ev1.id, type=ev1.type, trigger_text=keep.trigger_text,
                                trigger_offsets=keep.trigger_offsets,
                                arguments=[Argument(a.role, map1[a.ref_id]) for a in ev1.arguments],
                                attributes=ev1.attributes))
            break

    chains2 = set(_chains(second, map2))
    order = {e.id: n for n, e in enumerate(sorted(entities, key=lambda e: (e.start, e.end, e.id)))}
    coreferences: list[Any] = []
    seen: set[frozenset[str]] = set()
    for members in _chains(first, map1):
        if members in chains2 and members not in seen:
            seen.add(members)
            coreferences.append(Coreference(id=f"*{len(coreferences) + 1}",
                                            entity_ids=tuple(sorted(members, key=order.__getitem__))))

    return KBRecord(
        id=first.id,
        document_id=first.document_id,
        passages=first.passages,
        entities=entities,
        events=events,
        coreferences=coreferences,
        relations=relations,
        source=first.source,
    )
