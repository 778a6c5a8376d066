"""Harmonized records: what every reader produces and every formatter consumes.

There are six record kinds, mirroring the BigBIO schemas so that a formatter
never sees a native file format:

========  ======================================================================
kind      class
========  ======================================================================
``kb``    :class:`KBRecord` -- a document with passages, entities, events,
          coreference chains and relations (NER, NED, RE, EE, COREF tasks)
``qa``    :class:`QARecord` -- question, context, choices and answers
``te``    :class:`TERecord` -- premise, hypothesis and an entailment label
``pairs`` :class:`PairsRecord` -- two texts with a label or a score (STS, ...)
``text``  :class:`TextRecord` -- one text with zero or more labels
``t2t``   :class:`T2TRecord` -- a text and its counterpart (SUM, TRANSL)
========  ======================================================================

All records are frozen ``attrs`` classes with slots; collections are tuples so
records are hashable and cannot be mutated by a formatter.  Offsets are
``(start, end)`` character offsets (end exclusive) into the document's full
text -- the concatenation the reader documents, e.g. ``title + " " + abstract``
for PubTator.  ``record_to_dict`` / ``record_from_dict`` convert to and from the
JSON form described by ``schema/record.schema.json``.
"""

from __future__ import annotations

from typing import Any, ClassVar, Mapping, Union

import attrs

Offsets = tuple[tuple[int, int], ...]


def _tuple(value: Any) -> tuple:
    return tuple(value) if not isinstance(value, tuple) else value


def _offsets(value: Any) -> Offsets:
    return tuple((int(s), int(e)) for s, e in value)


#: how corpora write several identifiers of one mention in one column
#: (``D017180|D014693``); a relation may name them the same way
JOINED_ID_SEPARATORS = ("|", ",", ";")


@attrs.frozen(slots=True)
class Normalization:
    """A link from a mention to a knowledge-base concept, e.g. ``MESH``/``D003409``."""

    db_name: str
    db_id: str


def _norms(value: Any) -> tuple[Normalization, ...]:
    return tuple(n if isinstance(n, Normalization) else Normalization(**n) for n in value)


@attrs.frozen(slots=True)
class Passage:
    """A typed span of the document text (``title``, ``abstract``, a section...)."""

    id: str
    type: str
    text: str
    offsets: Offsets = attrs.field(converter=_offsets)


@attrs.frozen(slots=True)
class Entity:
    """A mention.  ``text`` and ``offsets`` have one item per fragment, so a
    discontinuous mention (BRAT ``s e;s e``) has several.  ``attributes`` holds
    BRAT A/M annotations and reader-specific extras as ``(name, value)`` pairs;
    a binary attribute has the value ``"true"``."""

    id: str
    type: str
    text: tuple[str, ...] = attrs.field(converter=_tuple)
    offsets: Offsets = attrs.field(converter=_offsets)
    normalized: tuple[Normalization, ...] = attrs.field(default=(), converter=_norms)
    attributes: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=lambda v: tuple((str(a), str(b)) for a, b in v)
    )

    @property
    def start(self) -> int:
        return min(s for s, _ in self.offsets)

    @property
    def end(self) -> int:
        return max(e for _, e in self.offsets)

    @property
    def surface(self) -> str:
        """The mention text with fragments joined by a space."""
        return " ".join(self.text)


@attrs.frozen(slots=True)
class Argument:
    """An event argument: a role (``Theme``, ``Cause``...) and the id of an entity or event."""

    role: str
    ref_id: str


def _args(value: Any) -> tuple[Argument, ...]:
    return tuple(a if isinstance(a, Argument) else Argument(**a) for a in value)


@attrs.frozen(slots=True)
class Event:
    """An event with its trigger span and arguments (which may point to other events)."""

    id: str
    type: str
    trigger_text: tuple[str, ...] = attrs.field(converter=_tuple)
    trigger_offsets: Offsets = attrs.field(converter=_offsets)
    arguments: tuple[Argument, ...] = attrs.field(default=(), converter=_args)
    attributes: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=lambda v: tuple((str(a), str(b)) for a, b in v)
    )


@attrs.frozen(slots=True)
class Coreference:
    """A chain of entity ids that refer to the same thing."""

    id: str
    entity_ids: tuple[str, ...] = attrs.field(converter=_tuple)


@attrs.frozen(slots=True)
class Relation:
    """A binary relation.  In ``KBRecord.relations`` the arguments are entity
    ids; in ``KBRecord.concept_relations`` they are concept ids (``db_id``
    values such as ``D008750``), as in PubTator/BioC document-level relations."""

    id: str
    type: str
    arg1_id: str
    arg2_id: str
    normalized: tuple[Normalization, ...] = attrs.field(default=(), converter=_norms)
    attributes: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=lambda v: tuple((str(a), str(b)) for a, b in v)
    )


# named converters (the type checker's attrs support needs named functions)


def _passages(value: Any) -> tuple[Passage, ...]:
    return tuple(v if isinstance(v, Passage) else Passage(**v) for v in value)


def _entities(value: Any) -> tuple[Entity, ...]:
    return tuple(v if isinstance(v, Entity) else Entity(**v) for v in value)


def _events(value: Any) -> tuple[Event, ...]:
    return tuple(v if isinstance(v, Event) else Event(**v) for v in value)


def _coreferences(value: Any) -> tuple[Coreference, ...]:
    return tuple(v if isinstance(v, Coreference) else Coreference(**v) for v in value)


def _relations(value: Any) -> tuple[Relation, ...]:
    return tuple(v if isinstance(v, Relation) else Relation(**v) for v in value)


@attrs.frozen(slots=True)
class KBRecord:
    """A knowledge-base style document.

    ``tokens``/``tags`` are filled by token-level readers (CoNLL/IOB) and keep
    the original tokenisation and tag sequence for BIO-style tasks; other
    readers leave them empty.  ``source`` locates the record in its native file
    (``path:line``) for error messages.
    """

    kind: ClassVar[str] = "kb"
    id: str
    document_id: str
    passages: tuple[Passage, ...] = attrs.field(default=(), converter=_passages)
    entities: tuple[Entity, ...] = attrs.field(default=(), converter=_entities)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_events)
    coreferences: tuple[Coreference, ...] = attrs.field(default=(), converter=_coreferences)
    relations: tuple[Relation, ...] = attrs.field(default=(), converter=_relations)
    concept_relations: tuple[Relation, ...] = attrs.field(default=(), converter=_relations)
    tokens: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    tags: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    source: str = ""

    @property
    def text(self) -> str:
        """The full document text rebuilt from the passages (gaps filled with spaces)."""
        passages = self.passages
        keys = [p.offsets[0][0] if p.offsets else 0 for p in passages]
        if keys != sorted(keys):  # most readers give the passages in text order already
            passages = tuple(sorted(passages, key=lambda p: p.offsets[0][0] if p.offsets else 0))
        if len(passages) == 1 and keys[0] <= 0:
            return passages[0].text
        parts: list[str] = []
        pos = 0
        for p in passages:
            start = p.offsets[0][0] if p.offsets else pos
            if start > pos:
                parts.append(" " * (start - pos))
                pos = start
            parts.append(p.text)
            pos += len(p.text)
        return "".join(parts)


@attrs.frozen(slots=True)
class QARecord:
    """A question.  ``type`` is one of ``yesno``, ``multiple_choice``,
    ``factoid``, ``list``, ``summary``.  For multiple choice ``choices`` keeps
    the options in their native order and ``choice_labels`` their native
    letters (``A``..), when the source has them.  ``answers`` holds the gold
    answer(s); for factoid questions each answer may list synonyms separated
    into ``answer_synonyms``."""

    kind: ClassVar[str] = "qa"
    id: str
    question: str
    type: str
    context: str = ""
    question_id: str = ""
    document_id: str = ""
    choices: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    choice_labels: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    answers: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    answer_synonyms: tuple[tuple[str, ...], ...] = attrs.field(
        default=(), converter=lambda v: tuple(tuple(x) for x in v)
    )
    source: str = ""


@attrs.frozen(slots=True)
class TERecord:
    """A textual-entailment pair with its native label (mapped by the formatter)."""

    kind: ClassVar[str] = "te"
    id: str
    premise: str
    hypothesis: str
    label: str
    source: str = ""


@attrs.frozen(slots=True)
class PairsRecord:
    """Two texts with a categorical ``label`` and/or a numeric ``score``."""

    kind: ClassVar[str] = "pairs"
    id: str
    text_1: str
    text_2: str
    label: str | None = None
    score: float | None = None
    document_id: str = ""
    source: str = ""


@attrs.frozen(slots=True)
class TextRecord:
    """One text with zero or more labels (multi-label allowed)."""

    kind: ClassVar[str] = "text"
    id: str
    text: str
    labels: tuple[str, ...] = attrs.field(default=(), converter=_tuple)
    document_id: str = ""
    source: str = ""


@attrs.frozen(slots=True)
class T2TRecord:
    """A text and its counterpart (summary, translation...), with language codes."""

    kind: ClassVar[str] = "t2t"
    id: str
    text_1: str
    text_2: str
    text_1_lang: str = ""
    text_2_lang: str = ""
    text_1_name: str = ""
    text_2_name: str = ""
    document_id: str = ""
    source: str = ""


Record = Union[KBRecord, QARecord, TERecord, PairsRecord, TextRecord, T2TRecord]

RECORD_CLASSES: dict[str, type] = {
    cls.kind: cls for cls in (KBRecord, QARecord, TERecord, PairsRecord, TextRecord, T2TRecord)
}


def _plain(value: Any) -> Any:
    if attrs.has(type(value)):
        return {f.name: _plain(getattr(value, f.name)) for f in attrs.fields(type(value))}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def record_to_dict(record: Record) -> dict[str, Any]:
    """The JSON form of a record (``schema/record.schema.json``), with its ``kind``."""
    data = _plain(record)
    data["kind"] = record.kind
    return data


def record_from_dict(data: Mapping[str, Any]) -> Record:
    """Rebuild a record from :func:`record_to_dict` output."""
    data = dict(data)
    cls = RECORD_CLASSES[data.pop("kind")]
    if cls is QARecord and "answer_synonyms" in data:
        data["answer_synonyms"] = [tuple(x) for x in data["answer_synonyms"]]
    return cls(**data)
