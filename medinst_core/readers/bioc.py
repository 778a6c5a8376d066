"""BioC readers: XML (``bioc_xml``) and JSON (``bioc_json``).

Format
------
``collection`` -> ``document`` (``id``, ``passage``\\*, ``relation``\\*) ->
``passage`` (``infon``\\*, ``offset``, ``text``, ``annotation``\\*,
``relation``\\*) -> ``annotation`` (``id``, ``infon``\\*, ``location``\\+
with document-absolute ``offset``/``length``, ``text``); ``relation`` (``id``,
``infon``\\*, ``node``\\* with ``refid``/``role``).  Sentence-level passages
(``sentence`` elements with their own offset and text instead of a passage
text) are accepted: the passage text is rebuilt from the sentences.  The JSON
form has the same structure (``documents``, ``passages``, ``annotations``,
``locations``, ``relations``, ``nodes``, ``infons`` objects).

XML safety: a file whose DOCTYPE declares entities (``<!ENTITY``, the
mechanism of external-entity and entity-expansion attacks) is refused with a
:class:`~medinst_core.errors.SourceError` before parsing; external DTDs
(``<!DOCTYPE collection SYSTEM "BioC.dtd">``) are never fetched.  The XML
file is streamed (``iterparse``, each document cleared once read), so memory
use is one document: with lxml when it is installed (the ``xml`` extra; only
the ends of ``document`` elements reach Python, entities are not resolved, no
DTD is loaded, no network is used, libxml2's size and depth limits stay on),
else with the standard library's ElementTree; both give the same records
(``tests/readers/test_reader_paths.py``).  BioC JSON is streamed too, one document parsed at a
time (orjson), whether the file is a collection (its ``documents`` list is
read element by element; the collection's other keys may come before or
after it), a bare list of documents, or one document object per line
(PubTator's BioC-JSON exports): a 75 MB synthetic collection peaks at 46 MiB.
Gzipped files (``.xml.gz``, ``.json.gz``) are
decompressed on the fly.

Records
-------
One :class:`~medinst_core.records.KBRecord` per document; ``id`` and
``document_id`` are the BioC document id.

* ``passages``: ids ``P0``, ``P1``...; type from the ``passage_type_infon``
  infon, else ``passage_types[i]`` (for files like the
  BioRED BioC JSON whose passages carry no infons), else ``passage``.
* ``entities``: one per annotation; id the annotation id (``entity_ids:
  "native"``, default) or ``"0"``, ``"1"``... in document order
  (``"position"``, the PubTator reader's numbering); type from
  ``type_infon``; identifiers from the first of ``id_infons`` present, split
  as in the PubTator reader (same ``db_name``, ``db_names``, ``id_separators``,
  ``type_id_separators``, ``null_ids``, ``split_id_prefix`` options); one
  offset pair per location, the text of each fragment taken from the passage
  text and checked against the annotation text (fragments joined by a space).
  Other infons become attributes (``infon_attributes``).
  ``individual_mentions`` decides what happens to annotations with
  ``CompositeRole=IndividualMention`` (BC5CDR): ``keep`` them as entities,
  ``drop`` them, or ``fold`` them: drop them and add their texts, joined by
  ``|``, as an ``IndividualMentions`` attribute of the composite mention that
  covers them -- which is what the PubTator file of the same corpus says.
* relations with two ``node`` children (mention level) go to ``relations``
  (node refids mapped to entity ids; node roles other than ``Arg1``/``Arg2``
  kept as ``arg1_role``/``arg2_role`` attributes); relations whose infons name
  two concepts (the first pair of ``relation_arg_infons`` present, default
  ``entity1``/``entity2`` as in BioRED, then ``Chemical``/``Disease`` as in
  BC5CDR) go to ``concept_relations``.  The type is the first of
  ``relation_type_infons`` present (``type``, ``relation``); other infons are
  attributes (BioRED ``novel``).  ``expand_relations`` expands concept
  relations to mention pairs exactly as the PubTator reader does.

With the same options, a PubTator file and the BioC file of the same corpus
give equal records (apart from ``source``); BC5CDR needs
``individual_mentions: "fold"``, ``entity_ids: "position"`` and
``passage_offsets: "joined"`` for that.

The options, with their defaults and descriptions, are declared once, in
the reader's schema in ``medinst_core/default_plugins/readers.py``
(``medinst tasks show TASK`` prints them).

The module is long because it holds two streamed parsers (XML, and JSON in its
three layouts) that share the conversion to records and its options.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..default_plugins.readers import BIOC_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..options import with_defaults
from ..records import Entity, KBRecord, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker, UniqueIds
from .construct import fast_constructor, make_entity
from .file_groups import FileGroups
from .files import open_binary
from .ids import IdSplitter, expand_concept_relations
from .jsonstream import STREAMED, iter_json_items, iter_json_lines, json_opening

# ---------------------------------------------------------------------------
# Intermediate form shared by XML and JSON (plain tuples/lists, cheap to build)
#   doc        = (id, [passage], [relation])
#   passage    = (offset, text | None, [(key, value)], [sentence], [annotation], [relation])
#   sentence   = (offset, text, [annotation], [relation])
#   annotation = (id | None, [(key, value)], [(offset, length)], text | None)
#   relation   = (id | None, [(key, value)], [(refid, role)])
# ---------------------------------------------------------------------------


class _Settings:
    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        options = with_defaults(BIOC_OPTIONS, options)
        self.ids = IdSplitter(options)
        self.check = OffsetChecker(options, diagnostics)
        self.unique = UniqueIds(options)
        self.expand = bool(options["expand_relations"])
        self.id_infons = list(options["id_infons"])
        self.type_infon = options["type_infon"]
        self.passage_type_infon = options["passage_type_infon"]
        self.passage_types = list(options["passage_types"])
        self.positional = options["entity_ids"] == "position"
        self.individual = options["individual_mentions"]
        skip = options["skip_annotations"] or {}
        self.skip = {k: {v} if isinstance(v, str) else set(v) for k, v in skip.items()}
        self.relation_type_infons = list(options["relation_type_infons"])
        self.relation_arg_infons = [tuple(p) for p in options["relation_arg_infons"]]
        self.infon_attributes = bool(options["infon_attributes"])
        self.joined = options["passage_offsets"] == "joined"


def read_bioc_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read every ``data`` file of the split as BioC XML (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    for path in files.all("data"):
        for doc in iter_xml_documents(path):
            record = _build(doc, path, settings)
            if record is not None:
                yield record


def read_bioc_json(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """Read every ``data`` file of the split as BioC JSON (see the module documentation)."""
    settings = _Settings(options, diagnostics)
    for path in files.all("data"):
        for doc in iter_json_documents(path):
            record = _build(doc, path, settings)
            if record is not None:
                yield record


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------

_COMMENT = re.compile(rb"<!--.*?(-->|$)", re.S)
_ROOT_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")
_PI = re.compile(rb"<\?.*?(\?>|$)", re.S)
_SUBSET_END = re.compile(rb"\]\s*>")
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_SAFE_ENCODINGS = {"utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin-1", "latin1", "utf-16", "utf-16le", "utf-16be"}
_PROLOG_LIMIT = 1 << 24


def _scan_bytes(data: bytes, path) -> bytes:
    """The prolog bytes as UTF-8 for scanning (UTF-16 files are decoded)."""
    if data[:4] in (b"\x00\x00\x00<", b"<\x00\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00"):
        raise SourceError(path, None, "UTF-32 XML is not supported; convert the file to UTF-8")
    codec = None
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        codec = "utf-16"
    elif data[:2] == b"<\x00":
        codec = "utf-16-le"
    elif data[:2] == b"\x00<":
        codec = "utf-16-be"
    if codec is None:
        return data
    return data[: len(data) // 2 * 2].decode(codec, "replace").encode("utf-8", "replace")


def check_xml_prolog(path) -> None:
    """Refuse a file whose DOCTYPE declares entities (XXE, entity expansion)
    or whose declared encoding could hide such a declaration from this check."""
    f = open_binary(path)
    with f:
        data = b""
        while True:
            chunk = f.read(1 << 16)
            data += chunk
            scan = _scan_bytes(data, path)
            declared = _DECLARED.match(scan.lstrip(b"\xef\xbb\xbf"))
            if declared and declared.group(1).decode("ascii", "replace").strip().lower() not in _SAFE_ENCODINGS:
                raise SourceError(
                    path, None,
                    f"unsupported XML encoding {declared.group(1).decode('ascii', 'replace')!r}; "
                    "BioC files are read as UTF-8, UTF-16, ASCII or ISO-8859-1",
                )
            # comments and processing instructions may hold anything, even
            # text looking like the root element (<?x <collection?>), and so
            # may the DOCTYPE's internal subset: the root is looked for after them
            scan = _PI.sub(b"", _COMMENT.sub(b"", scan))
            start = 0
            doctype = scan.find(b"<!DOCTYPE")
            if doctype >= 0:
                bracket, close = scan.find(b"[", doctype), scan.find(b">", doctype)
                if bracket >= 0 and (close < 0 or bracket < close):
                    end = _SUBSET_END.search(scan, bracket)
                    start = end.end() if end else len(scan)
            m = _ROOT_START.search(scan, start)
            prolog = scan[: m.start()] if m else scan
            if b"<!ENTITY" in prolog:
                raise SourceError(
                    path, None,
                    "the DOCTYPE declares entities (<!ENTITY ...>); entity declarations are refused because they "
                    "allow external-entity and entity-expansion attacks",
                )
            if m or not chunk:
                return
            if len(data) > _PROLOG_LIMIT:
                raise SourceError(path, None, "no root element in the first 16 MiB of the file")


def _int(text: str | None, path, where: str, what: str) -> int:
    try:
        value = int(str(text).strip())
    except (TypeError, ValueError):
        raise SourceError(path, None, f"{where}: expected an integer {what}, found {text!r}") from None
    return value


def _xml_infons(el) -> list[tuple[str, str]]:
    return [(i.get("key", ""), i.text or "") for i in el.iterfind("infon")]


def _xml_annotation(el, path, where):
    """One pass over the children of an <annotation>."""
    infons = []
    locs = []
    text = None
    for child in el:
        tag = child.tag
        if tag == "infon":
            infons.append((child.get("key", ""), child.text or ""))
        elif tag == "location":
            try:
                locs.append((int(child.get("offset")), int(child.get("length"))))
            except (TypeError, ValueError):
                raise SourceError(
                    path, None, f"{where}: expected integer location offset and length, found "
                    f"{child.get('offset')!r} and {child.get('length')!r}"
                ) from None
        elif tag == "text":
            text = child.text or ""
    return el.get("id"), infons, locs, text


def _xml_relation(el):
    infons = []
    nodes = []
    for child in el:
        tag = child.tag
        if tag == "infon":
            infons.append((child.get("key", ""), child.text or ""))
        elif tag == "node":
            nodes.append((child.get("refid", ""), child.get("role", "")))
    return el.get("id"), infons, nodes


def _xml_container(el, path, where, what: str):
    """(offset, text or None, infons, sentences, annotations, relations) of a passage or sentence."""
    offset = None
    text = None
    infons = []
    sentences = []
    annotations = []
    relations = []
    for child in el:
        tag = child.tag
        if tag == "annotation":
            annotations.append(_xml_annotation(child, path, where))
        elif tag == "infon":
            infons.append((child.get("key", ""), child.text or ""))
        elif tag == "offset":
            offset = _int(child.text, path, where, f"{what} offset")
        elif tag == "text":
            text = child.text or ""
        elif tag == "relation":
            relations.append(_xml_relation(child))
        elif tag == "sentence":
            s_off, s_text, _, _, s_anns, s_rels = _xml_container(child, path, where, "sentence")
            sentences.append((s_off, s_text or "", s_anns, s_rels))
    if offset is None:
        raise SourceError(path, None, f"{where}: a <{what}> has no <offset>")
    return offset, text, infons, sentences, annotations, relations


def _xml_document(el, path) -> tuple:
    doc_id = (el.findtext("id") or "").strip()
    if not doc_id:
        raise SourceError(path, None, "a <document> has no <id>")
    where = f"document {doc_id}"
    passages = []
    relations = []
    for child in el:
        if child.tag == "passage":
            passages.append(_xml_container(child, path, where, "passage"))
        elif child.tag == "relation":
            relations.append(_xml_relation(child))
    return doc_id, passages, relations


def iter_xml_documents(path, engine: str | None = None) -> Iterator[tuple]:
    """The documents of a BioC XML file in the intermediate form, streamed:
    with lxml when it is installed (``engine="lxml"``), else with the
    standard library's ElementTree (``engine="etree"``); both give the same
    documents.  The prolog is checked first (:func:`check_xml_prolog`)."""
    check_xml_prolog(path)
    if engine is None:
        engine = "lxml" if _lxml_etree() is not None else "etree"
    if engine == "lxml":
        yield from _lxml_documents(path)
    else:
        yield from _etree_documents(path)


def _lxml_etree():
    """lxml's etree module, or None when lxml is not installed."""
    try:
        from lxml import etree
    except ImportError:  # pragma: no cover - lxml is a dependency; ElementTree is the fallback
        return None
    return etree


def _not_collection(path, tag) -> SourceError:
    return SourceError(path, None, f"expected a BioC <collection> root element, found <{tag}>")


def _lxml_documents(path) -> Iterator[tuple]:
    """lxml's ``iterparse`` reporting only the ends of ``document`` elements (the
    per-element event loop stays in C); entities are never expanded from a
    declaration (``resolve_entities=False``; the prolog check has refused any
    ``<!ENTITY`` already), no DTD is loaded and nothing fetched from the network
    (``load_dtd=False``, ``no_network=True``), and libxml2's limits on text
    size and nesting depth stay on (``huge_tree=False``).  Comments and
    processing instructions are dropped while parsing, as ElementTree drops
    them, so element texts are the same."""
    etree = _lxml_etree()
    f = open_binary(path)
    with f:
        checked = False
        try:
            events = etree.iterparse(
                f, events=("end",), tag="document", resolve_entities=False, no_network=True, load_dtd=False,
                huge_tree=False, remove_comments=True, remove_pis=True,
            )
            for _event, el in events:
                parent = el.getparent()
                if parent is None:
                    raise _not_collection(path, el.tag)
                if parent.getparent() is not None:
                    continue  # a <document> inside another element than the root: part of it
                if not checked:
                    if parent.tag != "collection":
                        raise _not_collection(path, parent.tag)
                    checked = True
                for ref in el.iter(etree.Entity):
                    # an undeclared entity that libxml2 keeps as a reference (it does so when the DOCTYPE
                    # names an external DTD, which is not loaded); ElementTree refuses it: so do we
                    raise SourceError(path, ref.sourceline, f"malformed XML: undefined entity {ref.text}")
                yield _xml_document(el, path)
                el.clear(keep_tail=True)
                while el.getprevious() is not None:
                    del parent[0]
            root = events.root
        except etree.XMLSyntaxError as exc:
            line = exc.lineno if getattr(exc, "lineno", None) else None
            raise SourceError(path, line, f"malformed XML: {exc}") from None
        except (LookupError, ValueError) as exc:  # e.g. an unknown encoding name
            raise SourceError(path, None, f"malformed XML: {exc}") from None
        if root is None:
            raise SourceError(path, None, "empty XML file")
        if root.tag != "collection":
            raise _not_collection(path, root.tag)


def _etree_documents(path) -> Iterator[tuple]:
    """ElementTree's ``iterparse`` (the fallback when lxml is absent)."""
    import xml.etree.ElementTree as ET

    f = open_binary(path)
    with f:
        root = None
        depth = 0
        try:
            for event, el in ET.iterparse(f, events=("start", "end")):
                if event == "start":
                    if root is None:
                        root = el
                        if el.tag != "collection":
                            raise _not_collection(path, el.tag)
                    depth += 1
                    continue
                depth -= 1
                if el.tag == "document" and depth == 1:
                    yield _xml_document(el, path)
                    root.clear()  # type: ignore[union-attr]  # set by the first start event
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise SourceError(path, line, f"malformed XML: {exc}") from None
        except (LookupError, ValueError) as exc:  # e.g. an unknown encoding name
            raise SourceError(path, None, f"malformed XML: {exc}") from None
        if root is None:
            raise SourceError(path, None, "empty XML file")


# ---------------------------------------------------------------------------
# JSON
# ---------------------------------------------------------------------------


def _jlist(obj: Any, key: str, path, where: str) -> list:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise SourceError(path, None, f"{where}: expected {key!r} to be a list, found {type(value).__name__}")
    return value


def _jobj(obj: Any, path, where: str) -> dict:
    if not isinstance(obj, dict):
        raise SourceError(path, None, f"{where}: expected an object, found {type(obj).__name__}")
    return obj


def _jinfons(obj: dict, path, where: str) -> list[tuple[str, str]]:
    infons = obj.get("infons") or {}
    if not isinstance(infons, dict):
        raise SourceError(path, None, f"{where}: expected 'infons' to be an object")
    return [(str(k), "" if v is None else str(v)) for k, v in infons.items()]


def _jtext(obj: dict, path, where: str) -> str | None:
    text = obj.get("text")
    if text is not None and not isinstance(text, str):
        raise SourceError(path, None, f"{where}: expected 'text' to be a string, found {type(text).__name__}")
    return text


def _jint(value: Any, path, where: str, what: str) -> int:
    if type(value) is int:
        return value
    if isinstance(value, str):
        return _int(value, path, where, what)
    raise SourceError(path, None, f"{where}: expected an integer {what}, found {value!r}")


def _janns(container: dict, path, where: str) -> list:
    anns = container.get("annotations")
    if not anns:
        return []
    if type(anns) is not list:
        raise SourceError(path, None, f"{where}: expected 'annotations' to be a list, found {type(anns).__name__}")
    out = []
    for a in anns:
        if type(a) is not dict:
            raise SourceError(path, None, f"{where}: expected an annotation object, found {type(a).__name__}")
        infons = a.get("infons") or {}
        if type(infons) is not dict:
            raise SourceError(path, None, f"{where}: expected 'infons' to be an object")
        pairs = [(k, v if type(v) is str else ("" if v is None else str(v))) for k, v in infons.items()]
        locs = []
        locations = a.get("locations") or ()
        if type(locations) is not list and locations != ():
            raise SourceError(path, None, f"{where}: expected 'locations' to be a list")
        for loc in locations:
            if type(loc) is not dict:
                raise SourceError(path, None, f"{where}: expected a location object, found {type(loc).__name__}")
            o, n = loc.get("offset"), loc.get("length")
            if type(o) is not int or type(n) is not int:
                o = _jint(o, path, where, "location offset")
                n = _jint(n, path, where, "location length")
            locs.append((o, n))
        aid = a.get("id")
        text = a.get("text")
        if text is not None and type(text) is not str:
            raise SourceError(path, None, f"{where}: expected 'text' to be a string, found {type(text).__name__}")
        out.append((aid if aid is None or type(aid) is str else str(aid), pairs, locs, text))
    return out


def _jrels(container: dict, path, where: str) -> list:
    out = []
    for r in _jlist(container, "relations", path, where):
        r = _jobj(r, path, where + " relation")
        nodes = []
        for n in _jlist(r, "nodes", path, where):
            n = _jobj(n, path, where + " node")
            nodes.append((str(n.get("refid", "")), str(n.get("role", ""))))
        rid = r.get("id")
        out.append((None if rid is None else str(rid), _jinfons(r, path, where), nodes))
    return out


def _json_lines_of_documents(path) -> bool:
    """Whether the file holds one BioC document object per line (PubTator's
    BioC-JSON exports) rather than a collection: decided by the first keys of
    the first object, read as a stream (a collection on one line of hundreds of
    megabytes is not read whole to find out)."""
    if json_opening(path) != "{":
        return False
    try:
        for item in iter_json_items(path, containers="{", descend="documents"):
            if item.key == "documents":
                return False
            if item.key in ("id", "passages"):
                return True
    except SourceError:  # malformed: reading it as a collection says where
        return False
    return False


def _json_documents(path) -> Iterator[tuple[Any, str, int | None]]:
    """(document object, label, line) for each document of the file."""
    if _json_lines_of_documents(path):
        for k, (lineno, obj) in enumerate(iter_json_lines(path, expected="one BioC document per line")):
            yield obj, f"document #{k}", lineno
        return
    if json_opening(path) == "[":  # a bare list of documents
        for item in iter_json_items(path, containers="["):
            yield item.value, f"document #{item.key}", item.line
        return
    # a collection: its documents are streamed one by one
    found = False
    for item in iter_json_items(path, expected="a BioC collection object", containers="{", descend="documents"):
        if isinstance(item.key, int):
            yield item.value, f"document #{item.key}", item.line
        elif item.key == "documents":
            found = True
            if item.value is not STREAMED:  # not a list: _jlist says what it is
                for k, d in enumerate(_jlist({"documents": item.value}, "documents", path, "the BioC collection")):
                    yield d, f"document #{k}", item.line
    if not found:
        raise SourceError(path, None, "expected a BioC collection object with a 'documents' list")


def iter_json_documents(path) -> Iterator[tuple]:
    """The documents of a BioC JSON file in the intermediate form: a collection,
    a bare list of documents or one document per line (all streamed)."""
    for d, label, lineno in _json_documents(path):
        if not isinstance(d, dict):
            raise SourceError(path, lineno, f"{label}: expected an object, found {type(d).__name__}")
        doc_id = "" if d.get("id") is None else str(d.get("id")).strip()
        if not doc_id:
            raise SourceError(path, lineno, f"{label} has no 'id'")
        where = f"document {doc_id}"
        passages = []
        for p in _jlist(d, "passages", path, where):
            p = _jobj(p, path, where + " passage")
            sentences = []
            for s in _jlist(p, "sentences", path, where):
                s = _jobj(s, path, where + " sentence")
                sentences.append((_jint(s.get("offset"), path, where, "sentence offset"), _jtext(s, path, where) or "",
                                  _janns(s, path, where), _jrels(s, path, where)))
            passages.append((_jint(p.get("offset"), path, where, "passage offset"), _jtext(p, path, where),
                             _jinfons(p, path, where), sentences, _janns(p, path, where), _jrels(p, path, where)))
        yield doc_id, passages, _jrels(d, path, where)


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------


# complexity above the limit: the per-document hot loop: one function keeps the build fast (a call per annotation costs ~10%)
def _build(doc: tuple, path, s: _Settings) -> KBRecord | None:  # noqa: C901
    doc_id, raw_passages, doc_relations = doc
    where = f"document {doc_id}"
    record_id = s.unique.take(doc_id, path, None)
    if record_id is None:
        return None

    # passages and the full document text (gaps between passages are spaces)
    passages: list[Passage] = []
    annotations: list[tuple] = []
    relations_raw: list[tuple] = []
    placed: list[tuple[int, str]] = []
    for i, (off, text, infons, sentences, anns, rels) in enumerate(raw_passages):
        if text is None:
            parts: list[str] = []
            pos = off
            for s_off, s_text, _s_anns, _s_rels in sentences:
                if s_off < pos:
                    raise SourceError(path, None, f"{where}: sentence offsets overlap or go backwards at {s_off}")
                parts.append(" " * (s_off - pos))
                parts.append(s_text)
                pos = s_off + len(s_text)
            text = "".join(parts)
        for _s_off, _s_text, s_anns, s_rels in sentences:
            annotations.extend(s_anns)
            relations_raw.extend(s_rels)
        annotations.extend(anns)
        relations_raw.extend(rels)
        ptype = _infon(infons, s.passage_type_infon)
        if ptype is None:
            ptype = s.passage_types[i] if i < len(s.passage_types) else "passage"
        if s.joined and placed:
            off = placed[-1][0] + len(placed[-1][1]) + 1
        if off < 0:
            raise SourceError(path, None, f"{where}: negative passage offset {off}")
        passages.append(Passage(id=f"P{i}", type=ptype, text=text, offsets=((off, off + len(text)),)))
        placed.append((off, text))
    relations_raw.extend(doc_relations)
    full = _full_text(placed, path, where)

    # annotations -> entities (their final position is known at creation: folded
    # individual mentions are never appended)
    entities: list[Entity] = []
    raw_ids: list[tuple[str, ...]] = []
    id_map: dict[str, str] = {}
    individuals: list[tuple[int, str, int, int]] = []  # (position, text, start, end)
    dropped: set[str] = set()  # annotations skipped on purpose; relations to them are dropped too
    type_key = s.type_infon
    keep_individuals = s.individual == "keep"
    for k, (aid, infons, locs, ann_text) in enumerate(annotations):
        d = dict(infons)
        if s.skip and any(v in s.skip.get(key, ()) for key, v in infons):
            if aid is not None:
                dropped.add(aid)
            continue
        etype = d.get(type_key)
        if etype is None:
            raise SourceError(path, None, f"{where}: {_what(aid, k)} has no {type_key!r} infon (option type_infon)")
        if len(locs) == 1:
            o, n = locs[0]
            if o < 0 or n < 0:
                raise SourceError(path, None, f"{where}: {_what(aid, k)} has a negative location offset or length")
            offsets: tuple = ((o, o + n),)
        elif not locs:
            raise SourceError(path, None, f"{where}: {_what(aid, k)} has no location")
        else:
            if any(o < 0 or n < 0 for o, n in locs):
                raise SourceError(path, None, f"{where}: {_what(aid, k)} has a negative location offset or length")
            offsets = tuple((o, o + n) for o, n in locs)
        if not keep_individuals and d.get("CompositeRole") == "IndividualMention":
            # not an entity: neither kept nor checked (BC5CDR has a few misplaced ones)
            if s.individual == "fold":
                text = ann_text if ann_text is not None else " ".join(full[a:b] for a, b in offsets)
                individuals.append((len(entities), text, min(a for a, _ in offsets), max(b for _, b in offsets)))
            if aid is not None:
                dropped.add(aid)
            continue
        if ann_text is None:
            frags = tuple(full[a:b] for a, b in offsets)
        elif len(offsets) == 1 and full[offsets[0][0] : offsets[0][1]] == ann_text:
            frags = (ann_text,)
        else:
            frags = s.check.fragments(full, offsets, ann_text, path, None, doc_id, _what(aid, k))
        id_key = None
        for key in s.id_infons:
            if key in d:
                id_key = key
                break
        if id_key is not None:
            ids, norms = s.ids.split(d[id_key], etype)
        else:
            ids, norms = (), ()
        if s.infon_attributes and len(infons) > (2 if id_key is not None else 1):
            attributes = tuple((key, v) for key, v in infons if key != type_key and key != id_key)
        else:
            attributes = ()
        position = len(entities)
        new_id = str(position) if s.positional or aid is None else aid
        if aid is not None:
            if aid in id_map:
                raise SourceError(path, None, f"{where}: annotation id {aid!r} occurs twice (option entity_ids: position)")
            id_map[aid] = new_id
        entities.append(make_entity(new_id, etype, frags, offsets, norms, attributes))
        raw_ids.append(ids)

    if individuals:
        entities = _fold(entities, individuals)
    known = {e.id for e in entities}

    # relations
    mention_relations: list[Relation] = []
    concept_relations: list[Relation] = []
    for k, (rid, infons, nodes) in enumerate(relations_raw):
        rid = rid if rid is not None else f"R{k}"
        rtype = next((_infon(infons, key) for key in s.relation_type_infons if _infon(infons, key) is not None), None)
        if rtype is None:
            raise SourceError(
                path, None, f"{where}: relation {rid} has none of the type infons {s.relation_type_infons} "
                "(option relation_type_infons)")
        used = {next(key for key in s.relation_type_infons if _infon(infons, key) is not None)}
        if nodes:
            if len(nodes) != 2:
                raise SourceError(path, None, f"{where}: relation {rid} has {len(nodes)} nodes; only binary relations are read")
            if any(refid in dropped and refid not in id_map for refid, _ in nodes):
                continue
            ends = []
            relation_attributes: list[tuple[str, str]] = []
            for n, (refid, role) in enumerate(nodes, 1):
                target = id_map.get(refid, refid if refid in known else None)
                if target is None:
                    raise SourceError(path, None, f"{where}: relation {rid} refers to unknown annotation {refid!r}")
                ends.append(target)
                if role and role != f"Arg{n}":
                    relation_attributes.append((f"arg{n}_role", role))
            if s.infon_attributes:
                relation_attributes = [(key, v) for key, v in infons if key not in used] + relation_attributes
            mention_relations.append(
                Relation(id=rid, type=rtype, arg1_id=ends[0], arg2_id=ends[1], attributes=relation_attributes)
            )
            continue
        pair = next((p for p in s.relation_arg_infons if _infon(infons, p[0]) is not None and _infon(infons, p[1]) is not None), None)
        if pair is None:
            raise SourceError(
                path, None, f"{where}: relation {rid} has no nodes and none of the argument infon pairs "
                f"{[list(p) for p in s.relation_arg_infons]} (option relation_arg_infons)")
        used |= set(pair)
        relation_attributes = [(key, v) for key, v in infons if key not in used] if s.infon_attributes else []
        arg1, arg2 = _infon(infons, pair[0]), _infon(infons, pair[1])
        assert arg1 is not None and arg2 is not None  # the pair was chosen for having both
        concept_relations.append(Relation(id=rid, type=rtype, arg1_id=arg1.strip(), arg2_id=arg2.strip(),
                                          attributes=relation_attributes))
    if s.expand:
        mention_relations.extend(expand_concept_relations(entities, raw_ids, concept_relations))
    return _build_record(
        id=record_id,
        document_id=doc_id,
        passages=tuple(passages),
        entities=tuple(entities),
        relations=tuple(mention_relations),
        concept_relations=tuple(concept_relations),
        source=f"{path} (document {doc_id})",
    )


_build_record = fast_constructor(KBRecord)


def _infon(infons: list[tuple[str, str]], key: str) -> str | None:
    for k, v in infons:
        if k == key:
            return v
    return None


def _what(aid: str | None, k: int) -> str:
    return f"annotation {aid if aid is not None else '#' + str(k)}"


def _full_text(placed: list[tuple[int, str]], path, where: str) -> str:
    parts: list[str] = []
    pos = 0
    for off, text in sorted(placed, key=lambda p: p[0]):
        if off < pos and text:
            raise SourceError(path, None, f"{where}: passages overlap (a passage at offset {off} starts before offset {pos})")
        if off > pos:
            parts.append(" " * (off - pos))
            pos = off
        parts.append(text)
        pos += len(text)
    return "".join(parts)


def _fold(entities: list[Entity], individuals: list[tuple[int, str, int, int]]) -> list[Entity]:
    """Attach individual mentions to the composite mention covering them."""
    parts: dict[int, list[str]] = {}
    for position, text, start, end in individuals:
        for j in range(position - 1, -1, -1):
            e = entities[j]
            if ("CompositeRole", "CompositeMention") in e.attributes and e.start <= start and end <= e.end:
                parts.setdefault(j, []).append(text)
                break
    out = list(entities)
    for j, texts in parts.items():
        e = out[j]
        out[j] = Entity(id=e.id, type=e.type, text=e.text, offsets=e.offsets, normalized=e.normalized,
                        attributes=tuple(e.attributes) + (("IndividualMentions", "|".join(texts)),))
    return out


# a split of many files is built by several processes in groups of files
# (every record comes from one document of one file; see .file_groups)
read_bioc_xml.file_groups = FileGroups()  # type: ignore[attr-defined]
read_bioc_json.file_groups = FileGroups()  # type: ignore[attr-defined]
