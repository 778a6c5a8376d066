"""Formatters for knowledge-base records (NER, NED, RE, EE, COREF).

Every formatter yields :class:`~medinst_core.samples.Draft` objects whose
``input`` is the document text (``record.text``: the passages, placed at their
offsets) and whose ``output`` follows MedINST's conventions.  An empty output
means "nothing to annotate": the task's ``empty_output`` policy decides
whether such a sample is dropped, kept, or given a declared answer.

Mentions are always listed in text order: by start offset, then end offset,
then type, then id, so overlapping and nested mentions have a fixed order.  A
discontinuous mention is rendered as its fragments joined by a space.

``ner_entities``
    ``[mention <Type>]`` per mention, space separated.  Options: ``types`` (map
    native type -> name shown; when given, mentions of other types are left
    out), ``exclude_types`` (types left out), ``dedupe`` (one bracket per
    distinct (mention, type), default false).
``ner_bio``
    every word followed by ``[B]``, ``[I]`` or ``[O]`` (untyped, as MedINST).
    Uses the reader's tokens and tags when present (CoNLL/IOB; IOBES/BILOU tags
    are mapped to B/I); otherwise tokenises the text (``tokenizer``:
    ``whitespace`` or ``wordpunct``) and tags tokens from entity offsets.
    ``typed: true`` writes ``[B-Type]``.  ``types`` filters as above.
``ned``
    ``[mention <db_name/db_id>]`` per normalised mention; a mention with
    several ids gives one bracket per id (``multi: "separate"``) or one
    bracket with the ids joined by ``|`` (``multi: "join"``).  ``id_format``:
    ``db_name/db_id`` (default) or ``db_id``; ``types`` filters mentions;
    ``databases`` maps database names to the names shown, and when given,
    links to other databases are left out.
``abbreviation``
    MeDAL-style disambiguation.  From a ``kb`` record: each entity is an
    abbreviation and its expansion is its first normalisation's ``db_id`` (or
    its ``expansion`` attribute); one sample per abbreviation (key = entity
    id).  From a ``qa`` record: ``question`` is the abbreviation, ``context``
    the text, ``answers[0]`` the expansion.  The input shows the text and the
    abbreviation; the output is the expansion.
``re``
    ``[<arg1> <relation> <arg2>]`` per relation.  ``level``: ``mention`` (the
    record's relations between entities), ``concept`` (document-level
    relations between concept ids, each concept shown by its first mention in
    the text) or ``auto`` (concept relations when the record has them).
    ``relations`` maps native relation types to the words shown (others are
    left out when given); ``symmetric`` lists types whose (a, b) and (b, a)
    are one relation.  Duplicates are removed; brackets follow the text order
    of their first argument.
``ee``
    ``[<event type> <trigger> <theme>]`` per (event, theme).  A theme that is
    an event is shown by its trigger.  ``theme_roles`` (default ``["Theme"]``)
    names the roles treated as themes; an event without one is left out
    (``no_theme: "skip"``, default) or shown as ``[<type> <trigger>]``
    (``no_theme: "trigger"``).  ``event_themes``: ``trigger`` (default: a
    theme that is an event is shown by its trigger) or ``skip`` (only entity
    themes count, as MedINST's EE sets).  ``types`` maps/filters event types.
``coref``
    samples anchored on mentions of coreference chains (key = the anchor's
    entity id): the input is the text followed by ``entity_prefix`` and the
    anchor mention; the output lists the other mentions of the chain in text
    order, ``[mention]`` each.  ``anchors``: ``each`` (default: every mention
    of a chain is an anchor once) or ``first`` (one sample per chain, anchored
    on its first mention in the text, as MedINST's COREF sets).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..errors import SourceError
from ..records import Entity, KBRecord, QARecord
from ..samples import Draft


def _order(entity: Entity) -> tuple:
    return (entity.start, entity.end, entity.type, entity.id)


def _keep(type_: str, options: Mapping[str, Any]) -> str | None:
    """The name shown for a type, or None when the options leave it out."""
    if type_ in options.get("exclude_types", ()):
        return None
    types = options.get("types")
    if types:
        return types.get(type_)
    return type_


def _mention(entity: Entity) -> str:
    return " ".join(t.strip() for t in entity.text if t.strip())


def ner_entities(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    items = []
    for entity in sorted(record.entities, key=_order):
        name = _keep(entity.type, options)
        if name is None:
            continue
        items.append(f"[{_mention(entity)} <{name}>]")
    if options.get("dedupe"):
        items = list(dict.fromkeys(items))
    yield Draft(input=record.text, output=" ".join(items))


_TOKEN = {"whitespace": re.compile(r"\S+"), "wordpunct": re.compile(r"\w+|[^\w\s]")}


def _bio_tag(tag: str, typed: bool) -> str:
    tag = tag.strip()
    if not tag or tag.upper() == "O":
        return "O"
    prefix, _, label = tag.partition("-")
    prefix = prefix.upper()
    if prefix in ("B", "S", "U"):
        base = "B"
    elif prefix in ("I", "E", "L"):
        base = "I"
    else:
        raise ValueError(f"unknown tag {tag!r}")
    return f"{base}-{label}" if typed and label else base


def ner_bio(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    typed = bool(options.get("typed", False))
    if record.tokens:
        tokens = list(record.tokens)
        try:
            tags = [_bio_tag(t, typed) for t in record.tags]
        except ValueError as exc:
            raise SourceError(record.source or record.id, None, f"record {record.id}: {exc}") from None
        if options.get("types") or options.get("exclude_types"):
            tags = [t if t == "O" or _keep(orig.partition("-")[2], options) is not None else "O"
                    for t, orig in zip(tags, record.tags)]
    else:
        text = record.text
        pattern = _TOKEN[options.get("tokenizer", "wordpunct")]
        spans = [(m.start(), m.end(), m.group()) for m in pattern.finditer(text)]
        tokens = [s[2] for s in spans]
        tags = ["O"] * len(spans)
        for entity in sorted(record.entities, key=_order):
            name = _keep(entity.type, options)
            if name is None:
                continue
            first = True
            for i, (start, end, _) in enumerate(spans):
                if any(start < e and end > s for s, e in entity.offsets):
                    if tags[i] == "O":  # an earlier (text-order) mention keeps its tokens
                        tags[i] = ("B" if first else "I") + (f"-{name}" if typed else "")
                    first = False
    if not tokens:
        yield Draft(input="", output="")
        return
    output = " ".join(f"{tok} [{tag}]" for tok, tag in zip(tokens, tags))
    yield Draft(input=" ".join(tokens), output=output)


def ned(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    id_only = options.get("id_format", "db_name/db_id") == "db_id"
    join = options.get("multi", "separate") == "join"
    databases = options.get("databases")
    items = []
    for entity in sorted(record.entities, key=_order):
        if _keep(entity.type, options) is None:
            continue
        norms = [(databases.get(n.db_name) if databases else n.db_name, n.db_id) for n in entity.normalized]
        norms = [(db, i) for db, i in norms if not databases or db is not None]
        ids = list(dict.fromkeys(i if id_only or not db else f"{db}/{i}" for db, i in norms))
        if not ids:
            continue
        mention = _mention(entity)
        if join:
            items.append(f"[{mention} <{'|'.join(ids)}>]")
        else:
            items.extend(f"[{mention} <{i}>]" for i in ids)
    yield Draft(input=record.text, output=" ".join(items))


def abbreviation(record: KBRecord | QARecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    label = options.get("abbreviation_prefix", "Abbreviation: ")
    if isinstance(record, QARecord):
        answer = record.answers[0] if record.answers else ""
        yield Draft(input=f"{record.context}\n{label}{record.question}", output=answer)
        return
    for entity in sorted(record.entities, key=_order):
        expansion = next((v for k, v in entity.attributes if k == "expansion"), None)
        if expansion is None and entity.normalized:
            expansion = entity.normalized[0].db_id
        yield Draft(input=f"{record.text}\n{label}{_mention(entity)}", output=expansion or "", key=entity.id)


def _first_mentions(record: KBRecord) -> dict[str, Entity]:
    """concept id -> its first mention in the text."""
    first: dict[str, Entity] = {}
    for entity in sorted(record.entities, key=_order):
        for norm in entity.normalized:
            for key in (norm.db_id, f"{norm.db_name}:{norm.db_id}" if norm.db_name else norm.db_id):
                first.setdefault(key, entity)
    return first


def re_(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    level = options.get("level", "auto")
    if level == "auto":
        level = "concept" if record.concept_relations else "mention"
    verbal = options.get("relations")
    symmetric = set(options.get("symmetric", ()))
    by_id = {e.id: e for e in record.entities}
    concept = _first_mentions(record) if level == "concept" else {}
    found: dict[tuple, tuple] = {}
    source = record.concept_relations if level == "concept" else record.relations
    for rel in source:
        name = verbal.get(rel.type) if verbal else rel.type
        if name is None:
            continue
        table = concept if level == "concept" else by_id
        a, b = table.get(rel.arg1_id), table.get(rel.arg2_id)
        if a is None or b is None:
            continue
        if rel.type in symmetric and _order(b) < _order(a):
            a, b = b, a
        key = (_mention(a).lower(), name, _mention(b).lower())
        if key not in found:
            found[key] = (_order(a), _order(b), f"[<{_mention(a)}> <{name}> <{_mention(b)}>]")
    items = [v[2] for v in sorted(found.values())]
    yield Draft(input=record.text, output=" ".join(items))


def ee(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    theme_roles = set(options.get("theme_roles", ["Theme"]))
    no_theme = options.get("no_theme", "skip")
    entities = {e.id: _mention(e) for e in record.entities}
    events = {e.id: e for e in record.events}
    types = options.get("types")
    items = []
    for event in sorted(record.events, key=lambda e: (min((s for s, _ in e.trigger_offsets), default=0), e.type, e.id)):
        name = types.get(event.type) if types else event.type
        if name is None:
            continue
        trigger = " ".join(event.trigger_text)
        themes = []
        for arg in event.arguments:
            if arg.role in theme_roles:
                if arg.ref_id in entities:
                    themes.append(entities[arg.ref_id])
                elif arg.ref_id in events and options.get("event_themes", "trigger") == "trigger":
                    themes.append(" ".join(events[arg.ref_id].trigger_text))
        if themes:
            items.extend(f"[<{name}> <{trigger}> <{theme}>]" for theme in themes)
        elif no_theme == "trigger":
            items.append(f"[<{name}> <{trigger}>]")
    yield Draft(input=record.text, output=" ".join(items))


def coref(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    prefix = options.get("entity_prefix", "\nEntity: ")
    by_id = {e.id: e for e in record.entities}
    done: set[str] = set()
    for chain in record.coreferences:
        members = sorted((by_id[i] for i in chain.entity_ids if i in by_id), key=_order)
        if len(members) < 2:
            continue
        for anchor in members[:1] if options.get("anchors", "each") == "first" else members:
            if anchor.id in done:
                continue
            done.add(anchor.id)
            others = [f"[{_mention(m)}]" for m in members if m.id != anchor.id]
            yield Draft(input=f"{record.text}{prefix}{_mention(anchor)}", output=" ".join(others), key=anchor.id)
