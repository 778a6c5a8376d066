"""Readers of the MuchMore Springer corpus files (``muchmore_xml``, ``muchmore_pairs``).

``muchmore_xml``: the annotated abstracts, one XML file per abstract
(``<journal>.<number>.eng.abstr.chunkmorph.annotated.xml``, ISO-8859-1)::

    <document id="Arthroskopie.00130003.eng.abstr" corresp="...ger.abstr" lang="en">
      <sentence id="s1" corresp="s1">
        <text><token id="w1" pos="DT" lemma="the">The</token> ...</text>
        <chunks>...</chunks>
        <umlsterms>
          <umlsterm id="t1" from="w2" to="w4">
            <concept id="t1.1" cui="C0080039" preferred="..." tui="T024"><msh code="A2.513"/></concept>
          </umlsterm>
        </umlsterms>
        <ewnterms>...</ewnterms>
        <semrels><semrel id="r1" term1="t3.1" term2="t6.1" reltype="surrounds"/></semrels>
      </sentence>
    </document>

One :class:`KBRecord` per file, id = the root's ``id``; the root's children
with a ``text`` element are its sentences.  The text is each
sentence's tokens joined by single spaces, sentences joined by single spaces
(the files carry no other text).  Every ``umlsterm`` is an entity of type
``umlsterm`` spanning its tokens ``from``..``to`` (terms may overlap and
nest), linked to the UMLS CUI of each of its concepts.  Every ``semrel`` is a
relation of type ``reltype`` between the terms holding its two concepts; a
relation between two concepts of the same term is left out.  An empty file
(the corpus has one) gives no record and is counted as
``muchmore.empty_file``.  A term or relation naming a token or concept its
sentence lacks is an error naming the file.

``muchmore_pairs``: the plain-text abstracts (``<journal>.<number>.eng.abstr``
and ``.ger.abstr``, roles ``en`` and ``de``) paired by the part of the file
name before ``.eng``/``.ger``: one :class:`T2TRecord` per abstract present in
both languages (text_1 English, text_2 German, surrounding white space
removed), in name order; an abstract in one language only is skipped.

Option of both: ``encoding`` (default ``"iso-8859-1"``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    Entity,
    KBRecord,
    Normalization,
    Passage,
    Relation,
    SourceError,
    SourceFiles,
    T2TRecord,
    read_bytes,
)

EMPTY_FILE = "muchmore.empty_file"
_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _decode(path, options: Mapping[str, Any]) -> str:
    encoding = options.get("encoding", "iso-8859-1")
    try:
        return read_bytes(path).decode(encoding)
    except UnicodeDecodeError as exc:
        raise SourceError(path, None, f"is not valid {encoding} ({exc.reason})") from None


def _document(path, options: Mapping[str, Any], diagnostics: Diagnostics) -> KBRecord | None:
    content = _decode(path, options)
    if not content.strip():
        diagnostics.warn(EMPTY_FILE, f"{path}: empty file skipped")
        return None
    if "<!ENTITY" in content:
        raise SourceError(path, None, "the DOCTYPE declares entities (<!ENTITY ...>); they are refused")
    try:
        root = ET.fromstring(_DECLARATION.sub("", content, count=1))
    except ET.ParseError as exc:
        pos = getattr(exc, "position", None)
        raise SourceError(path, pos[0] if pos else None, f"malformed XML: {exc}") from None
    doc_id = root.get("id") or path.name
    parts: list[str] = []
    pos = 0
    entities: list[Entity] = []
    relations: list[Relation] = []
    for sentence in root:  # the root's children are the sentences, whatever their tag
        if sentence.find("text") is None:
            continue
        sid = sentence.get("id", "")
        spans: dict[str, tuple[int, int]] = {}
        for token in sentence.iterfind("text/token"):
            word = token.text or ""
            if parts:
                parts.append(" ")
                pos += 1
            spans[token.get("id", "")] = (pos, pos + len(word))
            parts.append(word)
            pos += len(word)
        holder: dict[str, str] = {}
        for term in sentence.iterfind("umlsterms/umlsterm"):
            tid = term.get("id", "")
            first, last = spans.get(term.get("from", "")), spans.get(term.get("to", ""))
            if first is None or last is None:
                raise SourceError(path, None, f"sentence {sid}, term {tid}: token {term.get('from')!r}..{term.get('to')!r} "
                                              "is not in the sentence")
            eid = f"{sid}-{tid}"
            cuis = []
            for concept in term.iterfind("concept"):
                holder[concept.get("id", "")] = eid
                if concept.get("cui"):
                    cuis.append(concept.get("cui"))
            entities.append(Entity(id=eid, type="umlsterm", text=("",), offsets=[(first[0], last[1])],
                                   normalized=[Normalization(db_name="UMLS", db_id=c) for c in dict.fromkeys(cuis)]))
        for rel in sentence.iterfind("semrels/semrel"):
            a, b = holder.get(rel.get("term1", "")), holder.get(rel.get("term2", ""))
            if a is None or b is None:
                missing = rel.get("term1") if a is None else rel.get("term2")
                raise SourceError(path, None, f"sentence {sid}, relation {rel.get('id')}: concept {missing!r} "
                                              "is not in the sentence")
            if a != b:
                relations.append(Relation(id=f"{sid}-{rel.get('id', '')}", type=rel.get("reltype", ""),
                                          arg1_id=a, arg2_id=b))
    text = "".join(parts)
    entities = [Entity(id=e.id, type=e.type, text=(text[e.start:e.end],), offsets=e.offsets, normalized=e.normalized)
                for e in entities]
    return KBRecord(id=doc_id, document_id=doc_id, passages=[Passage(id=f"{doc_id}-p", type="abstract", text=text,
                                                                     offsets=[(0, len(text))])],
                    entities=entities, relations=relations, source=f"{path}:1")


def read_muchmore_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """One record per annotated abstract (see the module documentation), in file name order."""
    for path in sorted(files.all("data"), key=lambda p: p.name):
        record = _document(path, options, diagnostics)
        if record is not None:
            yield record


_PLAIN = re.compile(r"^(.+?)\.(eng|ger)\.abstr$")


def _by_prefix(paths, role: str) -> dict[str, Any]:
    out = {}
    for path in paths:
        m = _PLAIN.match(path.name)
        if m is None:
            raise SourceError(path, None, f"a {role} file should be named <journal>.<number>.(eng|ger).abstr")
        if m.group(1) in out:
            raise SourceError(path, None, f"two {role} abstracts named {m.group(1)}: {out[m.group(1)]} and {path}")
        out[m.group(1)] = path
    return out


def read_muchmore_pairs(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[T2TRecord]:
    """English-German abstract pairs matched by file name (see the module documentation)."""
    english = _by_prefix(files.all("en"), "en")
    german = _by_prefix(files.all("de"), "de")
    for prefix in sorted(set(english) & set(german)):
        yield T2TRecord(id=prefix, document_id=prefix, text_1=_decode(english[prefix], options).strip(),
                        text_2=_decode(german[prefix], options).strip(), text_1_lang="en", text_2_lang="de",
                        source=f"{english[prefix]}:1")


# the English corpus holds one empty file (Arthroskopie.00130237): counted as
# muchmore.empty_file above, so the build's blank-file check leaves these readers alone
read_muchmore_xml.reads_blank_files = True  # type: ignore[attr-defined]
read_muchmore_pairs.reads_blank_files = True  # type: ignore[attr-defined]
