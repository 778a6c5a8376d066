"""Inline-tagged XML reader (``inline_xml``): text with the mentions marked up in place.

Some corpora write their annotations as elements around the annotated words,
``... the <gene g_id="7040" g_lex="TGFB1">TGFB1</gene> locus ...`` (OSIRIS) or
``<cons lex="IL-2" sem="G#protein_molecule">IL-2</cons>`` (GENIA, nested
freely).  This reader turns such files into :class:`~medinst_core.records.KBRecord`
documents: the text is the character data with the tags taken out, and every
marked-up element named in ``entities`` becomes a mention at the offsets of its
text.

Files
-----
Role ``data``: one or more XML files (gzip too), streamed with ``iterparse``;
each ``document`` element is cleared once read.  A DOCTYPE that declares
entities is refused (as for BioC); an external DTD named by a DOCTYPE is never
fetched.  Character references and the predefined entities (``&lt;``...)
are decoded.

Records
-------
One record per ``document`` element (an element of that tag inside another
one is not a document of its own).  The id is the text at ``id_path``
(cleaned by ``id_regex``), else the 1-based position of the document in its
file.  Passages are the elements at the ``passages`` paths, in that order,
placed one after the other with ``passage_separator`` between them (passages
found empty are kept, so offsets stay predictable).  With ``segments`` set, a
passage's text is the text of its ``segments`` elements (GENIA's
``<sentence>``) joined by ``segment_separator``, and what lies between them is
ignored; otherwise it is all the character data inside the passage element,
as written (tags of elements that are not mentions are dropped, their text
kept).

Each element whose tag has an entry in ``entities`` is a mention, nested
mentions included (an element that is not a mention is transparent).  Its
type is the entry's ``type``, or the value of its ``type_attribute`` with the
``type_replace`` substitutions applied (an element without the attribute is
skipped, unless the entry gives a ``type`` to fall back on, and counted as
``inline_xml.untyped`` unless the entry says ``"untyped": "skip"``: GENIA's
coordination fragments ``<cons lex="c-fos*">`` are expected untyped).  Its
normalisations come from ``normalize``: a list
of ``{"attribute", "db_name", "null_values"}``, each giving one link when the
element has the attribute with a value not in ``null_values``; with
``normalize_mode: "first"`` only the first usable one is kept (OSIRIS: the
dbSNP id, else the HGVS-like normal form).  ``attributes`` names element
attributes kept on the entity.  Mentions are numbered ``T1``, ``T2``... in the
order their start tags appear.

With ``trim`` (default) white space at either edge of a mention is left out of
it (``<variant>326T/G </variant>`` is the mention ``326T/G``); a mention with
no text left is skipped and counted as ``inline_xml.empty_mention``.  The
same span marked twice with the same type and links (GENIA's
``<cons><cons>tumour cells</cons></cons>``) is one mention with
``duplicates: "drop"`` (default), or two with ``"keep"``.

Options
-------
``document`` (str, ``"document"``)
    tag of the document elements.
``id_path`` (str, ``""``), ``id_regex`` (str, ``""``)
    ElementTree path (relative to the document) of the element holding the
    id; the regex keeps its first group (or whole match).
``passages`` (list of ``{"path", "type"}``)
    passage elements (default: the document element itself, type ``text``).
``passage_separator`` (str, ``" "``)
``segments`` (str or null), ``segment_separator`` (str, ``" "``)
``entities`` (list, required)
    ``{"tag", "type", "type_attribute", "type_replace", "normalize",
    "normalize_mode", "attributes", "untyped"}`` as above.
``trim`` (bool, ``true``), ``duplicates`` (``"drop"`` | ``"keep"``)

Example (OSIRIS ``corpus.xml``)::

    {"document": "Article", "id_path": "Pmid",
     "passages": [{"path": "Title", "type": "title"}, {"path": "Abstract", "type": "abstract"}],
     "entities": [
       {"tag": "gene", "type": "gene",
        "normalize": [{"attribute": "g_id", "db_name": "NCBI Gene", "null_values": ["No"]}]},
       {"tag": "variant", "type": "variant", "normalize_mode": "first",
        "normalize": [{"attribute": "v_id", "db_name": "dbSNP", "null_values": ["No"]},
                      {"attribute": "v_norm", "db_name": "HGVS-like"}]}]}
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import KBRecord, Normalization, Passage
from ..sources import SourceFiles
from .bioc import check_xml_prolog
from .construct import make_entity
from .files import open_binary

UNTYPED = "inline_xml.untyped"
EMPTY_MENTION = "inline_xml.empty_mention"


class _EntitySpec:
    __slots__ = ("tag", "type", "type_attribute", "replace", "normalize", "first", "attributes", "warn_untyped")

    def __init__(self, spec: Mapping[str, Any], n: int):
        where = f"/source/options/entities/{n}"
        if not isinstance(spec, Mapping) or not spec.get("tag"):
            raise ManifestError(None, where, "an entity entry needs a 'tag'")
        self.tag = spec["tag"]
        self.type = spec.get("type")
        self.type_attribute = spec.get("type_attribute")
        if self.type is None and self.type_attribute is None:
            raise ManifestError(None, where, "an entity entry needs 'type' or 'type_attribute'")
        self.replace = list((spec.get("type_replace") or {}).items())
        self.normalize = [
            (n_["attribute"], n_.get("db_name", ""), set(n_.get("null_values", ("",))))
            for n_ in spec.get("normalize", ())
        ]
        self.first = spec.get("normalize_mode", "all") == "first"
        self.attributes = list(spec.get("attributes", ()))
        self.warn_untyped = spec.get("untyped", "warn") == "warn"

    def type_of(self, el) -> str | None:
        if self.type_attribute is not None:
            value = el.get(self.type_attribute)
            if value is not None:
                for old, new in self.replace:
                    value = value.replace(old, new)
                return value
        return self.type

    def links(self, el) -> list[Normalization]:
        out = []
        for attribute, db_name, nulls in self.normalize:
            value = el.get(attribute)
            if value is None or value.strip() in nulls:
                continue
            out.append(Normalization(db_name=db_name, db_id=value.strip()))
            if self.first:
                break
        return out


class _Settings:
    def __init__(self, options: Mapping[str, Any]):
        self.document = options.get("document", "document")
        self.id_path = options.get("id_path", "")
        regex = options.get("id_regex", "")
        try:
            self.id_regex = re.compile(regex) if regex else None
        except re.error as exc:
            raise ManifestError(None, "/source/options/id_regex", f"invalid regular expression: {exc}") from None
        self.passages = [(p["path"], p.get("type", p["path"])) for p in options.get("passages", ())]
        self.passage_separator = options.get("passage_separator", " ")
        self.segments = options.get("segments")
        self.segment_separator = options.get("segment_separator", " ")
        entities = options.get("entities")
        if not entities:
            raise ManifestError(None, "/source/options/entities", "name at least one entity tag")
        self.entities: dict[str, _EntitySpec] = {}
        for n, spec in enumerate(entities):
            parsed = _EntitySpec(spec, n)
            self.entities[parsed.tag] = parsed
        self.trim = bool(options.get("trim", True))
        self.keep_duplicates = options.get("duplicates", "drop") == "keep"


class _Text:
    """Collects the character data of a document and the spans of its mentions."""

    def __init__(self, s: _Settings):
        self.s = s
        self.parts: list[str] = []
        self.pos = 0
        self.found: list[tuple[int, int, int, Any, _EntitySpec] | None] = []  # (order, start, end, element, spec)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            self.pos += len(text)

    def walk(self, el, top: bool = True) -> None:
        spec = None if top else self.s.entities.get(el.tag)
        if spec is not None:
            order = len(self.found)
            self.found.append(None)  # keep the start-tag order
            start = self.pos
        self.add(el.text)
        for child in el:
            self.walk(child, top=False)
            self.add(child.tail)
        if spec is not None:
            self.found[order] = (order, start, self.pos, el, spec)

    def passage(self, el) -> None:
        if self.s.segments is None:
            self.walk(el)
            return
        first = True
        for seg in el.iter(self.s.segments):
            if not first:
                self.add(self.s.segment_separator)
            first = False
            self.walk(seg)


def _document(el, index: int, path, line: int | None, s: _Settings, diagnostics: Diagnostics) -> KBRecord:
    doc_id = str(index)
    if s.id_path:
        raw = el.findtext(s.id_path)
        if raw is None or not raw.strip():
            raise SourceError(path, line,
                              f"document {index} (<{s.document}>) has no text at {s.id_path!r} (option id_path)")
        doc_id = raw.strip()
        if s.id_regex is not None:
            m = s.id_regex.search(doc_id)
            if m is None:
                raise SourceError(path, line, f"document id {doc_id!r} does not match id_regex {s.id_regex.pattern!r}")
            doc_id = m.group(1) if m.groups() else m.group(0)
    text = _Text(s)
    targets = [(el, "text")] if not s.passages else [
        (p, ptype) for ppath, ptype in s.passages for p in el.findall(ppath)
    ]
    spans = []
    for n, (p_el, ptype) in enumerate(targets):
        if n:
            text.add(s.passage_separator)
        start = text.pos
        text.passage(p_el)
        spans.append((ptype, start, text.pos))
    full = "".join(text.parts)
    passages = [Passage(id=f"{doc_id}_p{n}", type=ptype, text=full[start:end], offsets=[(start, end)])
                for n, (ptype, start, end) in enumerate(spans, 1)]
    entities: list = []
    seen: set = set()
    for _order, start, end, m_el, spec in (f for f in text.found if f is not None):
        etype = spec.type_of(m_el)
        if etype is None:
            if spec.warn_untyped:
                diagnostics.warn(UNTYPED, f"{path}: document {doc_id}: <{m_el.tag}> without {spec.type_attribute!r} "
                                      f"at {start}-{end} skipped")
            continue
        if s.trim:
            while start < end and full[start].isspace():
                start += 1
            while end > start and full[end - 1].isspace():
                end -= 1
        if start == end:
            diagnostics.warn(EMPTY_MENTION, f"{path}: document {doc_id}: empty <{m_el.tag}> skipped")
            continue
        links = tuple(spec.links(m_el)) if spec.normalize else ()
        key = (start, end, etype, links)
        if key in seen and not s.keep_duplicates:
            continue
        seen.add(key)
        attributes = tuple((a, m_el.get(a)) for a in spec.attributes if m_el.get(a) is not None)
        entities.append(make_entity(f"T{len(entities) + 1}", etype, (full[start:end],), ((start, end),), links,
                                    attributes))
    return KBRecord(id=doc_id, document_id=doc_id, passages=passages, entities=entities,
                    source=f"{path}:{line}" if line is not None else str(path))


def _lines(f) -> Iterator[bytes | None]:
    """The lines of a binary file, then None (the end)."""
    yield from f
    yield None


def _iter_documents(path, s: _Settings, diagnostics: Diagnostics) -> Iterator[KBRecord]:
    import xml.etree.ElementTree as ET

    check_xml_prolog(path)
    f = open_binary(path)
    with f:
        parser: Any = ET.XMLPullParser(events=("start", "end"))
        root = None
        inside = 0  # depth of document elements open
        index = 0
        start_line = None
        try:
            for line, raw in enumerate(_lines(f), 1):
                if raw is None:
                    parser.close()
                else:
                    parser.feed(raw)
                for event, el in parser.read_events():
                    if event == "start":
                        if root is None:
                            root = el
                        if el.tag == s.document:
                            if inside == 0:
                                start_line = line
                            inside += 1
                        continue
                    if el.tag == s.document:
                        inside -= 1
                        if inside == 0:
                            index += 1
                            yield _document(el, index, path, start_line, s, diagnostics)
                            el.clear()
                            if root is not None and root is not el:
                                root.clear()
        except ET.ParseError as exc:
            pos = getattr(exc, "position", None)
            raise SourceError(path, pos[0] if pos else None, f"malformed XML: {exc}") from None
        except UnicodeDecodeError as exc:
            raise SourceError(path, None, f"is not valid UTF-8 ({exc.reason})") from None
        if root is None:
            raise SourceError(path, None, "empty XML file")
        if index == 0:
            diagnostics.warn("inline_xml.no_documents", f"{path}: no <{s.document}> element (option document)")


def read_inline_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read inline-tagged XML documents (see the module documentation)."""
    s = _Settings(options)
    for path in files.all("data"):
        yield from _iter_documents(path, s, diagnostics)
