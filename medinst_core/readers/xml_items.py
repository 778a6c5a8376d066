r"""XML item reader (``xml``) with the declarative field mapping of the JSON/CSV readers.

Each element matched by ``items`` is one item; it is turned into a JSON-like
value and then mapped to ``qa``, ``te``, ``pairs``, ``text`` or ``t2t``
records exactly as :mod:`medinst_core.readers.tabular` maps a JSON object
(``fields``, ``explode``, ``join``, ``where``, ``unique_ids``: see there).
The file is streamed (expat): memory holds one item at a time.

Item paths (option ``items``)
-----------------------------
Tag names separated by ``/``, relative to the root element: ``pair`` are the
root's ``<pair>`` children, ``AnswerList/Answer`` grandchildren; ``*``
matches any tag; a leading ``/`` names the root element itself first
(``/collection/document``); a leading ``//`` finds the last tag at any depth
below the root (``//question``), not inside another match.  Default: the
root's children.

An element as a value
---------------------
An element without attributes and child elements is its text (``""`` when
empty), so ``<chq>text</chq>`` is read with the path ``chq``.  Any other
element is an object: ``@name`` for each attribute, ``#text`` for its own
text (before its first child), and one key per child tag; a tag that occurs
more than once becomes a list of values, and so does every tag named in
``lists`` (so a path like ``AnswerList.Answer`` is a list whether a question
has one answer or several).  ``#all`` is the whole text content (the element's
text with every descendant's text and tails, in document order), for mixed
content.  A tag's namespace prefix is dropped (``ns:pair`` is matched and
keyed as ``pair``); attribute names keep theirs (``@ns:pid``).  CDATA sections
are text; the encoding is the one the XML declaration names (UTF-8 by default).

Paths special to this reader: ``$line`` is the line where the item starts,
``$index`` its position, ``$tag`` its tag.

Security: a DOCTYPE that declares entities is refused (entity expansion,
external entities), as the BioC reader does; external DTDs are never loaded.

Options
-------
``items`` (str, ``""``)  the item path above.
``lists`` (list of str)  tags always read as lists.
``record``, ``fields``, ``explode``, ``join``, ``where``, ``unique_ids``
    as for the ``json`` reader.

Example (MEDIQA 2019 RQE: ``<pair pid value><chq/><faq/></pair>``)::

    {"record": "te", "items": "pair",
     "fields": {"id": "@pid", "premise": {"path": "chq", "strip": true},
                "hypothesis": {"path": "faq", "strip": true}, "label": "@value"}}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any
from xml.parsers import expat

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..sources import SourceFiles
from .files import CompressedDataError, open_binary
from .tabular import _ITEM, FieldMapping, _scalar_text

_CHUNK = 1 << 16


def _compile_items(items: str) -> tuple[bool, bool, list[str]]:
    """``(from_root, anywhere, tags)`` for an item path."""
    if not isinstance(items, str):
        raise ManifestError(None, "/source/options/items", f"expected a path string, found {items!r}")
    path = items.strip()
    anywhere = path.startswith("//")
    from_root = path.startswith("/") and not anywhere
    tags = [t for t in path.strip("/").split("/")] if path.strip("/") else []
    if any(t == "" for t in tags):
        raise ManifestError(None, "/source/options/items", f"empty step in item path {items!r}")
    if anywhere and len(tags) != 1:
        raise ManifestError(None, "/source/options/items", "'//' takes a single tag (//question)")
    return from_root, anywhere, tags


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag.split(":")[-1] if ":" in tag else tag


class _Node:
    __slots__ = ("tag", "attrs", "text", "children", "all")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag = tag
        self.attrs = attrs
        self.text: list[str] = []
        self.children: list[tuple[str, Any]] = []
        self.all: list[str] = []


def _value(node: _Node, lists: frozenset[str]) -> Any:
    own = "".join(node.text)
    if not node.attrs and not node.children:
        return own
    out: dict[str, Any] = {f"@{k}": v for k, v in node.attrs.items()}
    out["#text"] = own
    out["#all"] = "".join(node.all)
    for tag, value in node.children:
        if tag in out:
            prev = out[tag]
            if isinstance(prev, _Repeated):
                prev.append(value)
            else:
                out[tag] = _Repeated([prev, value])
        elif tag in lists:
            out[tag] = _Repeated([value])
        else:
            out[tag] = value
    return out


class _Repeated(list):
    """A list made of repeated child elements (so a third one is appended)."""



# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def iter_xml_items(path: Path, items: str = "", lists=()) -> Iterator[tuple[Any, int, str]]:  # noqa: C901
    """``(value, line, tag)`` for every element matched by the item path, streamed."""
    from_root, anywhere, steps = _compile_items(items)
    lists = frozenset(lists or ())
    stack: list[str] = []          # tags of open elements
    building: list[_Node] = []     # open elements inside the current item
    item_line = [0]
    ready: list[tuple[Any, int, str]] = []
    parser = expat.ParserCreate()
    parser.buffer_text = True

    def matches() -> bool:
        # stack includes the element just opened
        if anywhere:
            return len(stack) >= 2 and stack[-1] == steps[0] or (steps[0] == "*" and len(stack) >= 2)
        want = steps if from_root else ["*", *steps] if steps else ["*", "*"]
        if len(stack) != len(want):
            return False
        return all(w == "*" or w == t for w, t in zip(want, stack))

    def start(tag, attrs):
        tag = _local(tag)
        stack.append(tag)
        if building:
            node = _Node(tag, attrs)
            building.append(node)
        elif matches():
            building.append(_Node(tag, attrs))
            item_line[0] = parser.CurrentLineNumber

    def end(tag):
        tag = _local(tag)
        stack.pop()
        if not building:
            return
        node = building.pop()
        value = _value(node, lists)
        if building:
            parent = building[-1]
            parent.children.append((node.tag, value))
            parent.all.extend(node.all)
        else:
            ready.append((value, item_line[0], node.tag))

    def chars(data):
        if building:
            node = building[-1]
            if not node.children:
                node.text.append(data)
            node.all.append(data)

    def entity_decl(*_args):
        raise _Refused()

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = entity_decl
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    f = open_binary(path)
    fed = False
    with f:
        try:
            while True:
                chunk = f.read(_CHUNK)
                if chunk:
                    fed = True
                parser.Parse(chunk, not chunk)
                if ready:
                    yield from ready
                    ready.clear()
                if not chunk:
                    break
        except _Refused:
            raise SourceError(path, parser.CurrentLineNumber,
                              "the DOCTYPE declares entities (<!ENTITY ...>); entity declarations are refused because "
                              "they allow external-entity and entity-expansion attacks") from None
        except expat.ExpatError as exc:
            if not fed:
                raise SourceError(path, None, "empty XML file") from None
            raise SourceError(path, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)} (column {exc.offset + 1})") from None
        except CompressedDataError as exc:
            raise exc.at(parser.CurrentLineNumber) from None
        except OSError as exc:
            raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None


class _Refused(Exception):
    pass


def read_xml(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """XML elements mapped declaratively to records (see the module documentation)."""
    mapping = FieldMapping(options, files)
    items = options.get("items", "") or ""
    lists = options.get("lists") or ()
    _compile_items(items)  # option errors before any file is opened
    position = 0
    for path in files.all("data"):
        found = False
        for index, (value, line, tag) in enumerate(iter_xml_items(path, items, lists)):
            found = True
            ctx = {_ITEM: value, "$index": index, "$line": line, "$tag": tag}
            yield from mapping.records(ctx, _scalar_text(position), path, line, f"line {line}")
            position += 1
        if not found:
            raise SourceError(path, None, f"no element matches the item path {items or '(the root element children)'!r}")
