"""Reader ``bioinfer_xml``: the unified protein-protein interaction XML format.

The format is the one the PPI benchmark corpora (BioInfer, AIMed, HPRD50,
IEPA, LLL) are commonly distributed in, e.g. ``BioInfer-train.xml`` and
``BioInfer-test.xml``::

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
Role ``data``: one or more XML files; each is read in turn.

Records
-------
One :class:`~medinst_core.records.KBRecord` per ``<sentence>``, in file order:
``id`` the sentence id, ``document_id`` the id of its ``<document>``, one
passage ``P0`` of type ``sentence`` holding the sentence text at offsets
``(0, len(text))``.

* ``entities``: one per ``<entity>``, its id, ``type`` and one offset pair per
  comma-separated ``start-end`` piece of ``charOffset`` (offsets into the
  sentence text; a discontinuous mention has several pieces).  The text of the
  pieces, joined by a space, must equal the ``text`` attribute.
* ``relations``: one per ``<interaction>`` (``e1``, ``e2``, ``type``; a missing
  type is ``interaction_type``), and one per ``<pair>`` whose ``interaction``
  attribute is ``True`` (the variant of the format that lists every candidate
  pair); ``e1``/``e2`` must be entities of the same sentence.
* other elements (tokenisations, parses) are ignored.

A sentence with no entity still gives a record (with no entities).

Options
-------
``offset_end`` (``"exclusive"`` | ``"inclusive"``, ``"exclusive"``)
    whether the end of a ``start-end`` piece is the position after its last
    character (BioInfer as distributed with the PPI benchmark files) or that
    of its last character (some older conversions).
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    a mention whose ``text`` differs from the sentence text at its offsets is
    an error, or a counted ``offset_mismatch`` warning (the mention then keeps
    the annotated text).
``interaction_type`` (str, ``"PPI"``)
    the relation type of an ``<interaction>`` or ``<pair>`` without ``type``.

The JSON Schema of these options is ``medinst_bioinfer.options.OPTIONS_SCHEMA``.

Errors
------
Malformed XML, a missing required attribute, offsets outside the sentence, a
repeated entity id, or an interaction naming an unknown entity raise
:class:`~medinst_core.errors.SourceError` with the file and line.

Safety and memory
-----------------
The file is parsed with expat, fed in 1 MiB chunks, and each sentence is
handed on as soon as it is complete, so memory use is one sentence plus one
chunk.  A document type declaration that declares entities (``<!ENTITY``, the
mechanism of entity-expansion and external-entity attacks) is refused;
external DTDs are never fetched.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

from medinst_core.plugin_api import (
    Diagnostics,
    Entity,
    KBRecord,
    ManifestError,
    Passage,
    Relation,
    SourceError,
    SourceFiles,
)

CHUNK = 1 << 20

_TRUE = {"true", "1", "yes"}


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics | None):
        end = options.get("offset_end", "exclusive")
        if end not in ("exclusive", "inclusive"):
            raise ManifestError(None, "/source/options/offset_end", f"expected 'exclusive' or 'inclusive', found {end!r}")
        check = options.get("offset_check", "error")
        if check not in ("error", "warn"):
            raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {check!r}")
        itype = options.get("interaction_type", "PPI")
        if not isinstance(itype, str) or not itype:
            raise ManifestError(None, "/source/options/interaction_type", f"expected a non-empty string, found {itype!r}")
        self.end_shift = 1 if end == "inclusive" else 0
        self.warn = check == "warn"
        self.interaction_type = itype
        self.diagnostics = diagnostics if diagnostics is not None else Diagnostics()


def read_bioinfer_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """The sentences of every ``data`` file (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    for path in files.all("data"):
        yield from iter_sentences(path, settings)


class _Sentence:
    __slots__ = ("id", "doc_id", "text", "line", "entities", "ids", "relations")

    def __init__(self, sid: str, doc_id: str, text: str, line: int):
        self.id = sid
        self.doc_id = doc_id
        self.text = text
        self.line = line
        self.entities: list[Entity] = []
        self.ids: set[str] = set()
        self.relations: list[tuple[str, str, str, str, int]] = []  # id, type, e1, e2, line


def _refuse_entities(*_args) -> None:
    raise _Refused()


class _Refused(Exception):
    pass


# complexity above the limit: the per-sentence loop of the corpus XML, kept whole for speed
def iter_sentences(path: str | Path, settings: _Settings) -> Iterator[KBRecord]:  # noqa: C901
    """The sentences of one file, one record each, streamed."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse_entities
    parser.UnparsedEntityDeclHandler = _refuse_entities
    parser.buffer_text = True

    done: list[KBRecord] = []
    state: dict[str, Any] = {"depth": 0, "doc": None, "sentence": None}

    def line() -> int:
        return parser.CurrentLineNumber

    def need(attrs: Mapping[str, str], name: str, element: str) -> str:
        value = attrs.get(name)
        if value is None or not value.strip():
            raise SourceError(path, line(), f"<{element}> without a {name!r} attribute")
        return value

    def start(name: str, attrs: dict[str, str]) -> None:
        state["depth"] += 1
        if state["depth"] == 1:
            if name != "corpus":
                raise SourceError(path, line(), f"expected a <corpus> root element (unified PPI XML), found <{name}>")
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
            sentence.entities.append(_entity(attrs, sentence, path, line(), settings))
            sentence.ids.add(sentence.entities[-1].id)
        elif name in ("interaction", "pair"):
            if sentence is None:
                raise SourceError(path, line(), f"an <{name}> outside any <sentence>")
            if name == "pair" and attrs.get("interaction", "").strip().lower() not in _TRUE:
                return  # a candidate pair that does not interact
            rid = need(attrs, "id", name)
            e1 = need(attrs, "e1", name)
            e2 = need(attrs, "e2", name)
            rtype = (attrs.get("type") or "").strip() or settings.interaction_type
            sentence.relations.append((rid, rtype, e1, e2, line()))

    def end(name: str) -> None:
        state["depth"] -= 1
        if name == "sentence" and state["depth"] == 2:
            done.append(_record(state["sentence"], path))
            state["sentence"] = None
        elif name == "document" and state["depth"] == 1:
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


def _entity(attrs: Mapping[str, str], sentence: _Sentence, path, line: int, s: _Settings) -> Entity:
    eid = attrs.get("id", "").strip()
    if not eid:
        raise SourceError(path, line, f"an <entity> of sentence {sentence.id} without an 'id' attribute")
    if eid in sentence.ids:
        raise SourceError(path, line, f"entity id {eid} is used twice in sentence {sentence.id}")
    etype = (attrs.get("type") or "").strip()
    if not etype:
        raise SourceError(path, line, f"entity {eid} has no 'type' attribute")
    raw = attrs.get("charOffset")
    if raw is None:
        raise SourceError(path, line, f"entity {eid} has no 'charOffset' attribute")
    text = sentence.text
    offsets = []
    for piece in raw.split(","):
        a, sep, b = piece.strip().partition("-")
        if not sep or not a.isdigit() or not b.isdigit() or not a.isascii() or not b.isascii():
            raise SourceError(path, line, f"entity {eid}: expected charOffset 'start-end[,start-end...]', found {raw!r}")
        start, stop = int(a), int(b) + s.end_shift
        if stop < start or stop > len(text):
            raise SourceError(
                path, line,
                f"entity {eid}: offsets {piece.strip()} lie outside sentence {sentence.id} (length {len(text)})"
                + (" or end before they start" if stop < start else ""),
            )
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
    return Entity(id=eid, type=etype, text=fragments, offsets=tuple(offsets))


def _record(sentence: _Sentence, path) -> KBRecord:
    relations = []
    for rid, rtype, e1, e2, line in sentence.relations:
        for ref in (e1, e2):
            if ref not in sentence.ids:
                raise SourceError(path, line, f"interaction {rid} refers to {ref}, which is not an entity of sentence {sentence.id}")
        relations.append(Relation(id=rid, type=rtype, arg1_id=e1, arg2_id=e2))
    text = sentence.text
    return KBRecord(
        id=sentence.id,
        document_id=sentence.doc_id,
        passages=(Passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
        entities=sentence.entities,
        relations=relations,
        source=str(path),
    )
