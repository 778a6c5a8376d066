"""Reader ``ppi_xml``: the unified protein-protein interaction XML format.

The format is the one the PPI benchmark corpora (BioInfer, AIMed, HPRD50,
IEPA, LLL) are commonly distributed in, e.g. ``BioInfer-train.xml`` and
``HPRD50-test.xml`` of the ppi-dataset collection, and that the CPI and
miRNA corpora adopted (with ``<pair>`` elements)::

    <corpus source="BioInfer">
      <document id="BioInfer.d1" origId="8001585" set="train">
        <sentence id="BioInfer.d1.s0" origId="4" charOffset="0-101" text="A binary complex of ...">
          <entity id="BioInfer.d1.s0.e0" charOffset="26-34" text="profilin" type="Individual_protein"/>
          <entity id="BioInfer.d1.s0.e2" charOffset="65-71,82-87" text="muscle actin" type="Individual_protein"/>
          <interaction id="BioInfer.d1.s0.i0" e1="BioInfer.d1.s0.e0" e2="BioInfer.d1.s0.e2" type="PPI"/>
        </sentence>
      </document>
    </corpus>

Files
-----
Role ``data``: one or more XML files; each is read in turn.  The root element
is ``<corpus>``, or ``<document>`` for a file holding one document (the DDI
corpus 2013 XML release: ``DrugBank/Abarelix_ddi.xml``).

Records
-------
With ``unit: "sentence"`` (default), one :class:`~medinst_core.records.KBRecord`
per ``<sentence>``, in file order: ``id`` the sentence id, ``document_id`` the
id of its ``<document>``, one passage ``P0`` of type ``sentence`` holding the
sentence text at offsets ``(0, len(text))``.

With ``unit: "document"``, one record per ``<document>``: ``id`` and
``document_id`` the document id, the text its sentences joined by one
space (one passage of type ``sentence`` per sentence with text, whose
id is the sentence id, at its place in that text; a sentence with an empty
``text`` has no place in it), the entities and relations
of all its sentences with their offsets moved to the document text.  (The
``charOffset`` of a ``<sentence>`` is not used: HPRD50 and IEPA place
sentences one character apart, as the joined text does; CPI's sentences have
none.)  A document without sentences gives a record with an empty text.

* ``entities``: one per ``<entity>``, its id, ``type`` and one offset pair per
  comma- (or, as the DDI corpus writes them, semicolon-) separated
  ``start-end`` piece of ``charOffset`` (offsets into the
  sentence text; a discontinuous mention has several pieces).  The text of the
  pieces, joined by a space, must equal the ``text`` attribute.
* ``relations``: one per ``<interaction>`` (``e1``, ``e2``, ``type``; a missing
  type is ``interaction_type``), and one per ``<pair>`` whose ``interaction``
  attribute (option ``pair_attribute``; the DDI corpus: ``ddi``) is ``True``
  (the variant of the format that lists every candidate pair); ``e1``/``e2``
  must be entities of the same sentence.
* other elements (tokenisations, parses) are ignored.

A sentence with no entity still gives a record (with no entities).

Options
-------
``unit`` (``"sentence"`` | ``"document"``, ``"sentence"``)
    one record per sentence or per document (see above).
``offset_end`` (``"exclusive"`` | ``"inclusive"``, ``"exclusive"``)
    whether the end of a ``start-end`` piece is the position after its last
    character (the PPI benchmark files, CPI) or that of its last character
    (the miRNA corpus).
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    a mention whose ``text`` differs from the sentence text at its offsets, or
    whose offsets lie outside the sentence, is an error, or a counted
    ``offset_mismatch`` warning (the mention then keeps the annotated text, at
    its offsets brought inside the sentence).
``interaction_type`` (str, ``"PPI"``)
    the relation type of an ``<interaction>`` or ``<pair>`` without ``type``.
``pair_attribute`` (str, ``"interaction"``)
    the ``<pair>`` attribute whose true value marks a related pair (the DDI
    corpus 2013 writes ``<pair e1=.. e2=.. ddi="true" type="effect"/>``).
``entity_type`` (str or null, null)
    the type of every entity, for corpora whose entities have no ``type``
    (IEPA) or use it for something else (HPRD50's HPRD ids); null reads the
    ``type`` attribute, which is then required.
``skip_entity_types`` (list of str, ``[]``)
    entities of these (native) types are left out, and so are the relations
    that name them (counted as the diagnostic ``ppi_xml.skipped_relation``):
    the miRNA corpus's document-indexing annotations (``MeSH_Indexing_Chemical``,
    ``OTHER``).
``duplicate_ids`` (``"error"`` | ``"skip"`` | ``"suffix"``, ``"error"``)
    a record id (sentence or document id) seen before in the split: an error,
    the later record skipped (a repository that keeps copies of the same file
    in several folders, found sorted by path), or renamed ``<id>_2``...
``id_attribute`` (str or null, null)
    the entity attribute holding database identifiers (HPRD50: ``type``; CPI:
    ``origId``), split on ``id_separator`` (default ``","``) into
    normalisations with ``db_name`` (default ``""``), or the name
    ``db_names`` gives the entity's native type.

Errors
------
Malformed XML, a missing required attribute, offsets outside the sentence, a
repeated entity id, or an interaction naming an unknown entity raise
:class:`~medinst_core.errors.SourceError` with the file and line.

Safety and memory
-----------------
The file is parsed with expat, fed in 1 MiB chunks, and each record is
handed on as soon as it is complete, so memory use is one document plus one
chunk.  A document type declaration that declares entities (``<!ENTITY``, the
mechanism of entity-expansion and external-entity attacks) is refused;
external DTDs are never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

import attrs

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import Entity, KBRecord, Normalization, Passage, Relation
from ..sources import SourceFiles
from .checks import UniqueIds

CHUNK = 1 << 20

_TRUE = {"true", "1", "yes"}


def _choice(options: Mapping[str, Any], name: str, values: tuple[str, ...]) -> str:
    value = options.get(name, values[0])
    if value not in values:
        expected = " or ".join(repr(v) for v in values)
        raise ManifestError(None, f"/source/options/{name}", f"expected {expected}, found {value!r}")
    return value


def _string(options: Mapping[str, Any], name: str, default: str | None, *, empty: bool = False) -> str | None:
    value = options.get(name, default)
    if value is None and default is None:
        return None
    if not isinstance(value, str) or (not value and not empty):
        raise ManifestError(None, f"/source/options/{name}", f"expected a non-empty string, found {value!r}")
    return value


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics | None):
        self.end_shift = 1 if _choice(options, "offset_end", ("exclusive", "inclusive")) == "inclusive" else 0
        self.warn = _choice(options, "offset_check", ("error", "warn")) == "warn"
        self.interaction_type = _string(options, "interaction_type", "PPI")
        self.pair_attribute = _string(options, "pair_attribute", "interaction")
        self.document = _choice(options, "unit", ("sentence", "document")) == "document"
        self.entity_type = _string(options, "entity_type", None)
        self.skip_types = frozenset(options.get("skip_entity_types") or ())
        self.id_attribute = _string(options, "id_attribute", None)
        self.id_separator = _string(options, "id_separator", ",")
        self.db_name = _string(options, "db_name", "", empty=True)
        self.db_names = dict(options.get("db_names") or {})
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()


def read_ppi_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """The sentences (or documents) of every ``data`` file (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    unique = UniqueIds(options)
    for path in files.all("data"):
        for record in iter_records(path, settings):
            rid = unique.take(record.id, path, None)
            if rid is None:
                diagnostics.warn("ppi_xml.duplicate_skipped", f"{path}: record {record.id} seen before, skipped")
                continue
            yield record if rid == record.id else attrs.evolve(record, id=rid)


class _Sentence:
    __slots__ = ("id", "doc_id", "text", "line", "entities", "ids", "skipped", "relations")

    def __init__(self, sid: str, doc_id: str, text: str, line: int):
        self.id = sid
        self.doc_id = doc_id
        self.text = text
        self.line = line
        self.entities: list[Entity] = []
        self.ids: set[str] = set()
        self.skipped: set[str] = set()
        self.relations: list[tuple[str, Any, str, str, int]] = []  # id, type, e1, e2, line


def _refuse_entities(*_args) -> None:
    raise _Refused()


class _Refused(Exception):
    pass


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def iter_records(path: str | Path, settings: _Settings) -> Iterator[KBRecord]:  # noqa: C901
    """The records of one file, streamed."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.buffer_text = True

    done: list[KBRecord] = []
    # shift: 1 when the root element is a <document> (the DDI corpus: one document a file), so that
    # depths compare as under a <corpus> root
    state: dict[str, Any] = {"depth": 0, "shift": 0, "doc": None, "sentence": None, "sentences": []}

    def line() -> int:
        return parser.CurrentLineNumber

    def need(attrs: Mapping[str, str], name: str, element: str) -> str:
        value = attrs.get(name)
        if value is None or not value.strip():
            raise SourceError(path, line(), f"<{element}> without a {name!r} attribute")
        return value

    def root(name: str) -> bool:
        """Check the root element; True when it is a <corpus> (nothing more to do)."""
        if name == "document":
            state["shift"] = 1
            return False
        if name != "corpus":
            raise SourceError(path, line(), f"expected a <corpus> root element (unified PPI XML; or <document> for "
                              f"a file of one document), found <{name}>")
        return True

    def start(name: str, attrs: dict[str, str]) -> None:
        state["depth"] += 1
        if state["depth"] == 1 and root(name):
            return
        sentence: _Sentence | None = state["sentence"]
        if name == "document":
            if state["doc"] is not None:
                raise SourceError(path, line(), "a <document> inside another <document>")
            state["doc"] = need(attrs, "id", "document")
        elif name == "sentence":
            if state["doc"] is None:
                raise SourceError(path, line(), "a <sentence> outside any <document>")
            if sentence is not None:
                raise SourceError(path, line(), f"a <sentence> inside sentence {sentence.id}")
            sid = need(attrs, "id", "sentence")
            text = attrs.get("text")
            if text is None:
                raise SourceError(path, line(), f"sentence {sid} has no 'text' attribute")
            state["sentence"] = _Sentence(sid, state["doc"], text, line())
        elif name == "entity":
            if sentence is None:
                raise SourceError(path, line(), "an <entity> outside any <sentence>")
            entity = _entity(attrs, sentence, path, line(), settings)
            if entity is not None:
                sentence.entities.append(entity)
                sentence.ids.add(entity.id)
        elif name in ("interaction", "pair"):
            if sentence is None:
                raise SourceError(path, line(), f"an <{name}> outside any <sentence>")
            if name == "pair" and attrs.get(settings.pair_attribute or "interaction", "").strip().lower() not in _TRUE:
                return  # a candidate pair that does not interact
            rid = need(attrs, "id", name)
            e1 = need(attrs, "e1", name)
            e2 = need(attrs, "e2", name)
            rtype = (attrs.get("type") or "").strip() or settings.interaction_type
            sentence.relations.append((rid, rtype, e1, e2, line()))

    def end(name: str) -> None:
        state["depth"] -= 1
        depth = state["depth"] + state["shift"]
        if name == "sentence" and depth == 2:
            if settings.document:
                state["sentences"].append(state["sentence"])
            else:
                done.append(_record(state["sentence"], path, settings))
            state["sentence"] = None
        elif name == "document" and depth == 1:
            if settings.document:
                done.append(_document(state["doc"], state["sentences"], path, settings))
                state["sentences"] = []
            state["doc"] = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end

    try:
        f = open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    with f:
        try:
            while True:
                try:
                    chunk = f.read(CHUNK)
                except OSError as exc:
                    raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
                parser.Parse(chunk, not chunk)
                if done:
                    yield from done
                    done.clear()
                if not chunk:
                    break
        except expat.ExpatError as exc:
            raise SourceError(path, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})") from None
        except _Refused:
            raise SourceError(
                path, parser.CurrentLineNumber,
                "the document type declares entities (<!ENTITY ...>); entity declarations are refused because "
                "they allow entity-expansion and external-entity attacks",
            ) from None


def _entity(attrs: Mapping[str, str], sentence: _Sentence, path, line: int, s: _Settings) -> Entity | None:
    eid = attrs.get("id", "").strip()
    if not eid:
        raise SourceError(path, line, f"an <entity> of sentence {sentence.id} without an 'id' attribute")
    if eid in sentence.ids or eid in sentence.skipped:
        raise SourceError(path, line, f"entity id {eid} is used twice in sentence {sentence.id}")
    native = (attrs.get("type") or "").strip()
    if native in s.skip_types:
        sentence.skipped.add(eid)
        return None
    etype = s.entity_type or native
    if not etype:
        raise SourceError(path, line, f"entity {eid} has no 'type' attribute")
    raw = attrs.get("charOffset")
    if raw is None:
        raise SourceError(path, line, f"entity {eid} has no 'charOffset' attribute")
    text = sentence.text
    offsets = []
    for piece in raw.replace(";", ",").split(","):
        a, sep, b = piece.strip().partition("-")
        if not sep or not a.isdigit() or not b.isdigit() or not a.isascii() or not b.isascii():
            raise SourceError(path, line, f"entity {eid}: expected charOffset 'start-end[,start-end...]', found {raw!r}")
        start, stop = int(a), int(b) + s.end_shift
        if stop < start or stop > len(text):
            message = (f"entity {eid}: offsets {piece.strip()} lie outside sentence {sentence.id} (length {len(text)})"
                       + (" or end before they start" if stop < start else ""))
            if not s.warn:
                raise SourceError(path, line, message)
            s.diagnostics.warn("offset_mismatch", f"{path}:{line}: {message}")
            start = min(start, len(text))
            stop = min(max(stop, start), len(text))  # kept inside the sentence; the mention keeps its annotated text
        offsets.append((start, stop))
    fragments = tuple(text[a:b] for a, b in offsets)
    annotated = attrs.get("text")
    if annotated is not None and " ".join(fragments) != annotated:
        message = (f"entity {eid} is annotated as {annotated!r} but the text of sentence {sentence.id} "
                   f"at {raw} is {' '.join(fragments)!r}")
        if not s.warn:
            raise SourceError(path, line, message)
        s.diagnostics.warn("offset_mismatch", f"{path}:{line}: {message}")
        fragments = tuple(annotated.split(" ", len(offsets) - 1)) if len(offsets) > 1 else (annotated,)
        if len(fragments) != len(offsets):
            fragments = (annotated,) + ("",) * (len(offsets) - 1)
    normalized: tuple[Normalization, ...] = ()
    if s.id_attribute is not None:
        db_name = s.db_names.get(native, s.db_name) or ""
        ids = (attrs.get(s.id_attribute) or "").split(s.id_separator)
        normalized = tuple(Normalization(db_name=db_name, db_id=i.strip()) for i in dict.fromkeys(ids) if i.strip())
    return Entity(id=eid, type=etype, text=fragments, offsets=tuple(offsets), normalized=normalized)


def _relations(sentence: _Sentence, path, s: _Settings) -> list[Relation]:
    relations = []
    for rid, rtype, e1, e2, line in sentence.relations:
        if e1 in sentence.skipped or e2 in sentence.skipped:
            s.diagnostics.warn("ppi_xml.skipped_relation",
                               f"{path}:{line}: relation {rid} names an entity of a type left out (skip_entity_types)")
            continue
        for ref in (e1, e2):
            if ref not in sentence.ids:
                raise SourceError(path, line, f"interaction {rid} refers to {ref}, which is not an entity of sentence {sentence.id}")
        relations.append(Relation(id=rid, type=rtype, arg1_id=e1, arg2_id=e2))
    return relations


def _record(sentence: _Sentence, path, s: _Settings) -> KBRecord:
    relations = _relations(sentence, path, s)
    text = sentence.text
    return KBRecord(
        id=sentence.id,
        document_id=sentence.doc_id,
        passages=(Passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
        entities=sentence.entities,
        relations=relations,
        source=str(path),
    )


def _document(doc_id: str, sentences: list[_Sentence], path, s: _Settings) -> KBRecord:
    passages, entities, relations = [], [], []
    seen: dict[str, str] = {}
    start = 0
    for sentence in sentences:
        text = sentence.text
        if not text:  # the miRNA corpus's holder of document-level indexing terms: no place in the text
            relations.extend(_relations(sentence, path, s))
            continue
        passages.append(Passage(id=sentence.id, type="sentence", text=text, offsets=((start, start + len(text)),)))
        for e in sentence.entities:
            if e.id in seen:
                raise SourceError(path, sentence.line, f"entity id {e.id} of sentence {sentence.id} is used in "
                                  f"sentence {seen[e.id]} of document {doc_id} too")
            seen[e.id] = sentence.id
            if start:
                e = Entity(id=e.id, type=e.type, text=e.text, offsets=tuple((a + start, b + start) for a, b in e.offsets),
                           normalized=e.normalized)
            entities.append(e)
        relations.extend(_relations(sentence, path, s))
        start += len(text) + 1  # one space between sentences
    return KBRecord(
        id=doc_id,
        document_id=doc_id,
        passages=tuple(passages),
        entities=entities,
        relations=relations,
        source=str(path),
    )
