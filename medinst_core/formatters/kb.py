"""Formatters for knowledge-base records (NER, NED, RE, EE, COREF, abbreviations).

The options' defaults and descriptions are declared once, in the formatters'
schemas (``medinst_core/default_plugins/formatters.py``); the pipeline fills
the defaults in, so the functions here find every option they read.

General rules (every formatter here):

* The ``input`` is the document text, ``record.text`` (the passages placed at
  their offsets), unless a formatter says otherwise.
* An empty ``output`` means "nothing to annotate".  Formatters never drop a
  record themselves: the build pipeline applies the task's ``empty_output``
  policy (``drop``, ``keep``, or ``{"emit": "<declared answer>"}``) to every
  draft whose output is ``""``.
* Mentions are listed in text order: by start offset, then end offset, then
  type, then id, so overlapping and nested mentions have one fixed order and
  every mention is listed (overlaps are not resolved away).  A discontinuous
  mention is rendered as its fragments joined by a single space.
* The output is a deterministic function of the record and the options.
* A mention whose text holds an unbalanced ``[`` or ``]`` is written as the
  source has it and counted as the diagnostic ``brackets.unbalanced`` (the
  bracket parser would misread that output).
* Brackets are meant to be parsed back with
  :func:`medinst_core.metrics.parsing.outer_brackets`; the parts inside a
  bracket are each wrapped in ``<...>`` (after the mention, for NER/NED), so a
  multi-word mention or relation name stays recoverable.  This reads the
  notation of MedINST's conventions literally: NER is written
  ``[mention <Type>]`` (a bare mention, then the type in angle brackets), so
  the ``<...>`` of ``[<entity1> <relation> <entity2>]`` and
  ``[<event type> <trigger> <theme>]`` are written too; ``re`` and ``ee``
  offer ``angle_brackets: false`` for ``[entity1 relation entity2]``.
  MedINST's metrics drop punctuation before comparing, so ``<`` and ``>``
  never change a score.

``ner_entities``
    ``[mention <Type>]`` per mention, space separated.  Options:

    ``types`` (map native type -> name shown)
        when given, mentions of types not in the map are left out;
    ``exclude_types`` (list)
        types left out;
    ``include`` (``"all"`` default, or ``"normalized"``)
        ``normalized`` keeps only mentions with at least one normalisation;
    ``dedupe`` (bool, default false)
        one bracket per distinct ``(mention, type)`` (first occurrence kept).
``ner_bio``
    every word followed by ``[B]``, ``[I]`` or ``[O]`` (untyped, as MedINST).
    Uses the reader's ``tokens``/``tags`` when present (CoNLL/IOB; IOBES/BILOU
    ``S``/``U`` become ``B``, ``E``/``L`` become ``I``); otherwise tokenises the
    text with ``tokenizer``:

    ``"wordpunct"``
        runs of word characters, and every other non-space character alone
        (regex ``\\w+|[^\\w\\s]``): ``"IL-2."`` gives ``IL``, ``-``, ``2``, ``.``;
    ``"whitespace"``
        runs of non-space characters (``\\S+``).

    A token is inside a mention when it shares at least one character with
    one of the mention's fragments; the first such token is ``B``, the others
    ``I``.  A token already tagged by an earlier mention (text order) keeps its
    tag, and the later mention's remaining tokens continue it as ``I``: two
    overlapping mentions become one span (their union), a nested mention
    disappears into the one that contains it.  Options: ``typed`` (default
    false: ``[B-Type]`` / ``[I-Type]`` with the shown type name), ``types`` /
    ``exclude_types`` as above (tokens of left-out mentions are ``O``; untyped
    source tags such as a bare ``B`` are always kept).  The
    input is the tokens joined by single spaces (the words being tagged).
``ned``
    ``[mention <db_name/db_id>]`` per normalised mention (mentions without a
    normalisation are left out).  Options:

    ``multi`` (``"separate"`` default, or ``"join"``)
        a mention with several ids gives one bracket per id, or one bracket
        with the ids joined by ``joiner``;
    ``id_format`` (``"db_name/db_id"`` default, ``"db_name:db_id"``, ``"db_id"``)
        how an id is written (a link without ``db_name`` is written ``db_id``);
    ``databases`` (map db_name -> name shown)
        when given, links to other databases are left out;
    ``id_systems`` (map db_name -> identifier system)
        the ids of these databases (db_name as read, before ``databases``
        renames it) are written in the system's canonical form:
        ``ncbi_gene``, ``ncbi_taxon``, ``mesh``, ``dbsnp``, ``uniprot``,
        ``cellosaurus``, ``umls``, ``obo`` (see
        :mod:`medinst_core.formatters.identifiers`), e.g. ``RSID:2075789``
        -> ``rs2075789``, ``11998(Tax:10090)`` -> ``11998``;
    ``types`` / ``exclude_types``
        filter mentions as above.

    Repeated ids of one mention are written once.
``abbreviation``
    MeDAL-style disambiguation: the input shows the text, a newline, then
    ``abbreviation_prefix`` and the
    abbreviation; the output is the expansion text.

    * ``kb`` record: every entity is an abbreviation at its offsets; its
      expansion is its ``expansion`` attribute, else the ``db_id`` of its first
      normalisation.  One sample per entity, key = entity id (no expansion
      gives ``""``).
    * ``qa`` record (what the core csv reader builds for MeDAL):
      ``question`` is the abbreviation, ``context`` the text, ``answers[0]``
      the expansion; one sample, no key.
``re``
    ``[<arg1> <relation> <arg2>]`` per relation (``angle_brackets: false``
    writes ``[arg1 relation arg2]``).  Options:

    ``level`` (``"auto"`` default, ``"mention"``, ``"concept"``)
        ``mention`` renders ``record.relations`` (arguments are entity ids);
        ``concept`` renders ``record.concept_relations`` (arguments are concept
        ids, e.g. PubTator CID lines), each concept shown by its first mention
        in text order (a concept is matched on ``db_id``,
        ``db_name:db_id``, or a mention's db_ids joined by ``|``, ``,`` or
        ``;``); ``auto`` is ``concept`` when the record has concept
        relations, else ``mention``.  A relation whose argument cannot be
        shown (an event, a concept never mentioned) is left out and counted as
        the diagnostic ``re.unresolved_argument``;
    ``relations`` (map native type -> words shown)
        when given, relations of other types are left out;
    ``symmetric`` (list of native types)
        ``(a, b)`` and ``(b, a)`` of these types are one relation, written
        with its arguments in text order.

    Brackets that read the same (case-insensitively) are written once; they
    are ordered by the text order of their first argument, then the second.
``ee``
    ``[<event type> <trigger> <theme>]`` per (event, theme); events in the
    text order of their trigger (then type, then id), themes in argument order.
    Options: ``theme_roles`` names the roles treated as
    themes; ``event_themes``: ``"trigger"`` (a theme that is an event
    is shown by that event's trigger) or ``"skip"`` (only entity themes count,
    as MedINST's EE sets); ``no_theme``: an event left without a theme is
    dropped (``"skip"``, default) or written ``[<type> <trigger>]``
    (``"trigger"``); ``types`` maps (and filters) event types;
    ``angle_brackets`` as for ``re``.
``coref``
    samples anchored on mentions of coreference chains (key = the anchor's
    entity id; chains with fewer than two known mentions are ignored; an
    entity in several chains is anchored once, on its first chain).  The input
    is the text followed by ``entity_prefix`` and
    the anchor mention; the output lists the other mentions of the chain in
    text order, ``[mention]`` each.  ``anchors``: ``"each"`` (every
    mention of a chain is an anchor once) or ``"first"`` (one sample per chain,
    anchored on its first mention in the text, as MedINST's COREF sets).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from operator import attrgetter
from typing import Any

from ..errors import SourceError
from ..records import JOINED_ID_SEPARATORS, Entity, Event, KBRecord, QARecord
from ..samples import Draft
from .identifiers import canonical_id

__all__ = ["abbreviation", "coref", "ee", "ned", "ner_bio", "ner_entities", "re_", "TOKENIZERS"]


def _order(entity: Entity) -> tuple:
    offsets = entity.offsets
    if len(offsets) == 1:  # most mentions: no min/max over the pieces
        start, end = offsets[0]
        return (start, end, entity.type, entity.id)
    return (entity.start, entity.end, entity.type, entity.id)


_OFFSETS = attrgetter("offsets")
#: the sort key of entities that all have one fragment: ``((start, end),)``
#: orders as ``(start, end)``, so it sorts exactly as :func:`_order`, in C
_SIMPLE_ORDER = attrgetter("offsets", "type", "id")


def in_text_order(entities: Iterable[Entity]) -> list[Entity]:
    """``sorted(entities, key=_order)``: when every entity has a single
    fragment (most records) the key is taken by :func:`operator.attrgetter`
    instead of a Python function per entity; the result is the same list."""
    entities = list(entities)
    if len(entities) < 2:
        return entities
    if set(map(len, map(_OFFSETS, entities))) == {1}:
        try:
            return sorted(entities, key=_SIMPLE_ORDER)
        except TypeError:  # offsets of mixed sequence types (lists and tuples): the plain key compares them
            pass
    return sorted(entities, key=_order)


def _keep(type_: str, options: Mapping[str, Any]) -> str | None:
    """The name shown for a type, or None when the options leave it out."""
    if type_ in options["exclude_types"]:
        return None
    types = options["types"]
    if types:
        return types.get(type_)
    return type_


def _mention(entity: Entity) -> str:
    text = entity.text
    if len(text) == 1:
        return text[0].strip()
    return " ".join(t.strip() for t in text if t.strip())


def _warn(diagnostics, code: str, message: str) -> None:
    if diagnostics is not None:
        diagnostics.warn(code, message)


def _joined(items: list[str], record: KBRecord, diagnostics) -> str:
    """The brackets joined by spaces; a bracket whose text holds an unbalanced
    ``[`` or ``]`` (a mention such as ``[hSug1``) is kept as the source has it,
    but counted as ``brackets.unbalanced``: MedINST's parser would misread it."""
    joined = " ".join(items)
    if joined.count("[") == joined.count("]") == len(items):
        return joined  # one of each per bracket: all balanced, nothing to look at
    for item in items:
        if item.count("[") != item.count("]"):
            _warn(diagnostics, "brackets.unbalanced",
                  f"record {record.id}: {item!r} has an unbalanced square bracket; bracket parsing will misread it")
    return joined


def ner_entities(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    normalized_only = options["include"] == "normalized"
    renaming = bool(options["types"] or options["exclude_types"])
    if not normalized_only and not renaming:
        # the common case: every mention with its own type, no call per mention
        items = [
            f"[{e.text[0].strip() if len(e.text) == 1 else _mention(e)} <{e.type}>]"
            for e in in_text_order(record.entities)
        ]
    else:
        items = []
        for entity in in_text_order(record.entities):
            if normalized_only and not entity.normalized:
                continue
            name = _keep(entity.type, options) if renaming else entity.type
            if name is None:
                continue
            items.append(f"[{_mention(entity)} <{name}>]")
    if options["dedupe"]:
        items = list(dict.fromkeys(items))
    yield Draft(input=record.text, output=_joined(items, record, diagnostics))


#: the tokenisations ``ner_bio`` offers when a record has no tokens of its own
TOKENIZERS = {"whitespace": re.compile(r"\S+"), "wordpunct": re.compile(r"\w+|[^\w\s]")}


def _bio_tag(tag: str) -> tuple[str, str]:
    """``(B|I|O, native type)`` of an IOB/IOBES/BILOU tag."""
    tag = tag.strip()
    if not tag or tag.upper() == "O":
        return "O", ""
    prefix, _, label = tag.partition("-")
    prefix = prefix.upper()
    if prefix in ("B", "S", "U"):
        return "B", label
    if prefix in ("I", "E", "L"):
        return "I", label
    raise ValueError(f"unknown tag {tag!r} (expected O, or B/I/E/S/L/U with an optional -Type)")


def _show_tag(shown: dict[str, str], tag: str, typed: bool, filtering: bool, options: Mapping[str, Any]) -> str:
    base, native = _bio_tag(tag)
    name: str | None = native
    if base != "O" and native and (filtering or typed):
        name = _keep(native, options)
        if name is None:
            base = "O"
    shown[tag] = result = f"{base}-{name}" if typed and base != "O" and name else base
    return result


def ner_bio(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    typed = bool(options["typed"])
    filtering = bool(options["types"] or options["exclude_types"])
    if record.tokens:
        if len(record.tags) != len(record.tokens):
            raise SourceError(record.source or None, None,
                              f"record {record.id}: {len(record.tokens)} tokens but {len(record.tags)} tags")
        tokens: Sequence[str] = record.tokens
        shown: dict[str, str] = {}  # a sentence repeats few distinct tags
        try:
            tags = [shown[tag] if tag in shown else _show_tag(shown, tag, typed, filtering, options) for tag in record.tags]
        except ValueError as exc:
            raise SourceError(record.source or None, None, f"record {record.id}: {exc}") from None
    else:
        text = record.text
        pattern = TOKENIZERS[options["tokenizer"]]
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
        tokens = [text[s:e] for s, e in spans]
        tags = ["O"] * len(spans)
        starts = [s for s, _ in spans]
        for entity in in_text_order(record.entities):
            name = _keep(entity.type, options)
            if name is None:
                continue
            suffix = f"-{name}" if typed else ""
            inside = set()
            for s, e in entity.offsets:
                # tokens that share a character with [s, e)
                i = max(bisect.bisect_right(starts, s) - 1, 0)
                while i < len(spans) and spans[i][0] < e:
                    if spans[i][1] > s:
                        inside.add(i)
                    i += 1
            first = True
            for i in sorted(inside):
                if tags[i] == "O":  # an earlier (text-order) mention keeps its tokens
                    tags[i] = ("B" if first else "I") + suffix
                first = False
    output = " ".join([f"{tok} [{tag}]" for tok, tag in zip(tokens, tags)])
    yield Draft(input=" ".join(tokens), output=output)


#: the separator between db_name and db_id of each ``id_format`` (None: the db_id alone)
_ID_FORMATS = {
    "db_name/db_id": "/",
    "db_name:db_id": ":",
    "db_id": None,
}


def ned(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    sep = _ID_FORMATS[options.get("id_format", "db_name/db_id")]
    join = options.get("multi", "separate") == "join"
    joiner = options.get("joiner", "|")
    databases = options.get("databases")
    systems = options.get("id_systems")
    items = []
    filtering = bool(options.get("types") or options.get("exclude_types"))
    for entity in in_text_order(record.entities):
        if not entity.normalized or (filtering and _keep(entity.type, options) is None):
            continue
        ids = []
        for norm in entity.normalized:
            db = norm.db_name
            db_id = norm.db_id
            if systems and db in systems:
                db_id, shaped = canonical_id(systems[db], db_id)
                if not shaped:
                    _warn(diagnostics, "ned.unexpected_id",
                          f"record {record.id}: {norm.db_name} id {norm.db_id!r} is not a {systems[db]} identifier")
            if databases:
                db = databases.get(db)
                if db is None:
                    continue
            ids.append(f"{db}{sep}{db_id}" if sep and db else db_id)
        if len(ids) > 1:
            ids = list(dict.fromkeys(ids))
        elif not ids:
            continue
        text = entity.text
        mention = text[0].strip() if len(text) == 1 else _mention(entity)
        if join:
            items.append(f"[{mention} <{joiner.join(ids)}>]")
        else:
            items.extend(f"[{mention} <{i}>]" for i in ids)
    yield Draft(input=record.text, output=_joined(items, record, diagnostics))


def abbreviation(record: KBRecord | QARecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    label = options["abbreviation_prefix"]
    if isinstance(record, QARecord):
        answer = record.answers[0] if record.answers else ""
        yield Draft(input=f"{record.context}\n{label}{record.question}", output=answer)
        return
    text = record.text
    for entity in in_text_order(record.entities):
        expansion = next((v for k, v in entity.attributes if k == "expansion"), None)
        if expansion is None and entity.normalized:
            expansion = entity.normalized[0].db_id
        yield Draft(input=f"{text}\n{label}{_mention(entity)}", output=expansion or "", key=entity.id)


def _first_mentions(record: KBRecord) -> dict[str, Entity]:
    """concept id (``db_id`` and ``db_name:db_id``) -> its first mention in the text."""
    first: dict[str, Entity] = {}
    for entity in in_text_order(record.entities):
        for norm in entity.normalized:
            first.setdefault(norm.db_id, entity)
            if norm.db_name:
                first.setdefault(f"{norm.db_name}:{norm.db_id}", entity)
        if len(entity.normalized) > 1:
            # a relation may name the identifiers of one mention together,
            # as the mention line wrote them (D017180|D014693)
            for sep in JOINED_ID_SEPARATORS:
                first.setdefault(sep.join(n.db_id for n in entity.normalized), entity)
    return first


def _bracket(parts: list[str], angle: bool) -> str:
    return "[" + " ".join(f"<{p}>" if angle else p for p in parts) + "]"


def re_(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    level = options["level"]
    if level == "auto":
        level = "concept" if record.concept_relations else "mention"
    verbal = options["relations"]
    symmetric = set(options["symmetric"])
    angle = options["angle_brackets"]
    if level == "concept":
        table, source = _first_mentions(record), record.concept_relations
    else:
        table, source = {e.id: e for e in record.entities}, record.relations
    found: dict[tuple, tuple] = {}
    for rel in source:
        name = verbal.get(rel.type) if verbal else rel.type
        if name is None:
            continue
        a, b = table.get(rel.arg1_id), table.get(rel.arg2_id)
        if a is None or b is None:
            missing = rel.arg1_id if a is None else rel.arg2_id
            _warn(diagnostics, "re.unresolved_argument",
                  f"record {record.id}: {level} relation {rel.id} ({rel.type}) has argument {missing!r} "
                  f"that is not {'a mentioned concept' if level == 'concept' else 'an entity'}; left out")
            continue
        if rel.type in symmetric and _order(b) < _order(a):
            a, b = b, a
        ma, mb = _mention(a), _mention(b)
        key = (ma.lower(), name, mb.lower())
        if key not in found:
            found[key] = (_order(a), _order(b), _bracket([ma, name, mb], angle))
    items = [v[2] for v in sorted(found.values())]
    yield Draft(input=record.text, output=_joined(items, record, diagnostics))


def _trigger(event: Event) -> str:
    return " ".join(t.strip() for t in event.trigger_text if t.strip())


def _event_order(event: Event) -> tuple:
    return (min((s for s, _ in event.trigger_offsets), default=0), event.type, event.id)


def ee(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    theme_roles = set(options["theme_roles"])
    no_theme = options["no_theme"]
    event_themes = options["event_themes"] == "trigger"
    angle = options["angle_brackets"]
    types = options["types"]
    entities = {e.id: _mention(e) for e in record.entities}
    triggers = {e.id: _trigger(e) for e in record.events}
    items: list[str] = []
    for event in sorted(record.events, key=_event_order):
        name = types.get(event.type) if types else event.type
        if name is None:
            continue
        trigger = triggers[event.id]
        themes = []
        for arg in event.arguments:
            if arg.role not in theme_roles:
                continue
            if arg.ref_id in entities:
                themes.append(entities[arg.ref_id])
            elif arg.ref_id in triggers:
                if event_themes:
                    themes.append(triggers[arg.ref_id])
            else:
                _warn(diagnostics, "ee.unresolved_theme",
                      f"record {record.id}: event {event.id} has theme {arg.ref_id!r}, not an entity or event; left out")
        if themes:
            items.extend(_bracket([name, trigger, theme], angle) for theme in themes)
        elif no_theme == "trigger":
            items.append(_bracket([name, trigger], angle))
    yield Draft(input=record.text, output=_joined(items, record, diagnostics))


def coref(record: KBRecord, options: Mapping[str, Any], diagnostics=None) -> Iterator[Draft]:
    prefix = options["entity_prefix"]
    first_only = options["anchors"] == "first"
    by_id = {e.id: e for e in record.entities}
    text = record.text
    done: set[str] = set()
    for chain in record.coreferences:
        members = sorted({by_id[i] for i in chain.entity_ids if i in by_id}, key=_order)
        if len(members) < 2:
            continue
        for anchor in members[:1] if first_only else members:
            if anchor.id in done:
                continue
            done.add(anchor.id)
            others = [f"[{_mention(m)}]" for m in members if m.id != anchor.id]
            yield Draft(input=f"{text}{prefix}{_mention(anchor)}", output=_joined(others, record, diagnostics), key=anchor.id)
