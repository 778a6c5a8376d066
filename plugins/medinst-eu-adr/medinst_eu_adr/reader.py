"""Reader ``eu_adr``: the EU-ADR corpus's annotation files with the abstracts'
text from an export of PubMed that the user makes.

Files (roles)
-------------
``annotations``
    the files of ``euadr.tgz`` (``euadr_corpus/<PMID>.txt``; a file whose name
    is not a PMID is not read, as BigBIO skips the names holding ``_``), tab-separated
    lines, no header.  A concept line: ``set, True|False, concept, text,
    start, end, ..., ..., id, type``; a relation line: ``Target-Drug,
    True|False, relation, id1, id2, ..., ..., start1:end1, start2:end2, ...,
    assessment`` (PA positive, SA speculative, NA negative, FA false
    association).  Offsets are into the title, a space and the abstract.
``text``
    one file holding the titles and abstracts of the PMIDs, either PubTator
    (``PMID|t|title`` and ``PMID|a|abstract`` lines) or PubMed XML
    (``efetch -db pubmed -format xml``: ``PubmedArticle`` elements; the
    ``AbstractText`` parts of a structured abstract are joined by a space,
    each after its ``Label`` and a colon).  Told apart by the first
    character (``<``).

Records
-------
One :class:`~medinst_core.records.KBRecord` per annotation file (sorted by
name), id the PMID: passages title and abstract (one space apart);
entities: one per concept line (id ``T<id>``, its type); relations: one per
relation line, typed with the assessment, between the concepts named by its
ids (when an id names no concept, an entity of type ``relation_argument`` is
made at the line's offsets).  Annotation files are UTF-8 or Latin-1.

The exported text may differ slightly from the one annotated in 2012 (an
edited abstract, the label of a structured abstract): an annotation whose
text is not at its offsets is moved to the nearest occurrence of its text;
when there is none, ``offset_check`` decides (``warn``, the default: counted
as ``offset_mismatch`` and kept as annotated at its offsets; ``error``).

Options: ``accepted_only`` (only lines whose second column is ``True``),
``offset_check``.  A PMID without text, or a malformed line, is a
``SourceError`` naming the file and line.
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
    iter_lines,
    open_binary,
)

#: the type of an entity made from a relation line's offsets (not a concept: the NER task leaves it out)
ARGUMENT_TYPE = "relation_argument"


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """The lines of an annotation file, UTF-8 or (as some of the 2012 files are read) Latin-1."""
    with open_binary(path) as f:
        for lineno, raw in enumerate(f, 1):
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("latin-1")
            yield lineno, line.rstrip("\r\n")


def read_euadr(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """The annotated abstracts (see the module documentation)."""
    check = options.get("offset_check", "warn")
    if check not in ("error", "warn"):
        raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {check!r}")
    accepted_only = bool(options.get("accepted_only", False))
    text_path = files.one("text")
    texts = _texts(text_path)
    for path in sorted(files.all("annotations"), key=lambda p: p.name):
        pmid = path.stem
        if not pmid.isdigit():  # the archive's other files (names with '_'), which BigBIO skips too
            diagnostics.warn("eu_adr.not_a_pmid_file", f"{path}: not named <PMID>.txt, not read")
            continue
        if pmid not in texts:
            raise SourceError(path, None, f"PMID {pmid} has no title or abstract in {text_path.name}; export the "
                              "abstracts of every PMID of euadr_corpus/ (see the plugin's README)")
        title, abstract = texts[pmid]
        yield _record(path, pmid, title, abstract, accepted_only, check == "warn", diagnostics)


# -- the text export -------------------------------------------------------------


def _texts(path: Path) -> dict[str, tuple[str, str]]:
    with open_binary(path) as f:
        head = f.read(512).lstrip()
    return _pubmed_xml(path) if head.startswith(b"<") else _pubtator(path)


def _pubtator(path: Path) -> dict[str, tuple[str, str]]:
    parts: dict[str, dict[str, str]] = {}
    for lineno, line in iter_lines(path):
        pmid, sep, rest = line.partition("|")
        kind, sep2, text = rest.partition("|")
        if sep and sep2 and kind in ("t", "a") and pmid.strip().isdigit():
            parts.setdefault(pmid.strip(), {})[kind] = text
        elif line.strip() and "\t" not in line:
            raise SourceError(path, lineno, "expected PubTator lines 'PMID|t|title' / 'PMID|a|abstract' "
                              f"(or mention lines with tabs), found {line[:40]!r}")
    return {pmid: (p.get("t", ""), p.get("a", "")) for pmid, p in parts.items()}


class _Refused(Exception):
    pass


def _refuse(*_args) -> None:
    raise _Refused()


# complexity above the limit: written before the limit; to be split into steps
def _pubmed_xml(path: Path) -> dict[str, tuple[str, str]]:  # noqa: C901
    """PMID -> (ArticleTitle, AbstractText parts) of every PubmedArticle, streamed with expat."""
    out: dict[str, tuple[str, str]] = {}
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    stack: list[str] = []
    state: dict[str, Any] = {}
    capture: list[list[str]] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        stack.append(name)
        if name == "PubmedArticle":
            state.clear()
            state.update(pmid=None, title=[], parts=[])
        elif name == "PMID" and stack[-2:-1] == ["MedlineCitation"]:
            capture.append([])
        elif name == "ArticleTitle":
            capture.append([])
        elif name == "AbstractText" and "Abstract" in stack and "OtherAbstract" not in stack:
            capture.append([f"{attrs['Label']}: "] if attrs.get("Label") else [])

    def end(name: str) -> None:
        stack.pop()
        if name == "PMID" and stack[-1:] == ["MedlineCitation"] and capture:
            state["pmid"] = "".join(capture.pop()).strip()
        elif name == "ArticleTitle" and capture:
            state["title"] = "".join(capture.pop()).strip()
        elif name == "AbstractText" and "Abstract" in stack and "OtherAbstract" not in stack and capture:
            state["parts"].append(" ".join("".join(capture.pop()).split()))
        elif name == "PubmedArticle" and state.get("pmid"):
            out[state["pmid"]] = (" ".join(str(state["title"] or "").split()), " ".join(state["parts"]))

    def data(text: str) -> None:
        if capture:
            capture[-1].append(text)

    parser.StartElementHandler, parser.EndElementHandler, parser.CharacterDataHandler = start, end, data
    parser.buffer_text = True
    with open_binary(path) as f:
        try:
            while chunk := f.read(1 << 20):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise SourceError(path, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)}") from None
        except _Refused:
            raise SourceError(path, parser.CurrentLineNumber, "the document type declares entities (<!ENTITY ...>), "
                              "which are refused") from None
    return out


# -- one annotation file ------------------------------------------------------------


def _place(text: str, start: int, end: int, mention: str) -> tuple[int, int] | None:
    """The offsets of ``mention`` at (or nearest to) ``start``; None when it does not occur."""
    if text[start:end] == mention:
        return start, end
    best, pos = None, text.find(mention) if mention else -1
    while pos >= 0:
        if best is None or abs(pos - start) < abs(best - start):
            best = pos
        pos = text.find(mention, pos + 1)
    return (best, best + len(mention)) if best is not None else None


# complexity above the limit: written before the limit; to be split into steps
def _record(path: Path, pmid: str, title: str, abstract: str, accepted_only: bool, warn: bool,  # noqa: C901
            diagnostics: Diagnostics) -> KBRecord:
    text = f"{title} {abstract}"
    entities: dict[str, Entity] = {}
    by_span: dict[tuple[int, int], str] = {}
    pending: list[tuple[int, list[str]]] = []

    def located(lineno: int, start: int, end: int, mention: str | None, what: str) -> tuple[tuple[int, int], str]:
        if mention is None:
            mention = text[start:end] if 0 <= start <= end <= len(text) else ""
        placed = _place(text, start, end, mention)
        if placed is not None:
            return placed, mention
        message = (f"{what} is annotated as {mention!r} at {start}-{end}, which the exported text does not hold there "
                   "or anywhere")
        if not warn:
            raise SourceError(path, lineno, message)
        diagnostics.warn("offset_mismatch", f"{path}:{lineno}: {message}")
        s, e = min(max(start, 0), len(text)), min(max(end, 0), len(text))
        return (s, max(s, e)), mention

    for lineno, line in _lines(path):
        if not line.strip():
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 3 or cols[2] not in ("concept", "relation"):
            raise SourceError(path, lineno, "expected a tab-separated concept or relation line (third column "
                              f"'concept' or 'relation'), found {line[:50]!r}")
        if accepted_only and cols[1] != "True":
            continue
        if cols[2] == "concept":
            if len(cols) < 10 or not (cols[4].isdigit() and cols[5].isdigit()):
                raise SourceError(path, lineno, "expected a concept line of 10 columns with numeric offsets in "
                                  "columns 5 and 6")
            eid = f"T{cols[8]}"
            (s, e), mention = located(lineno, int(cols[4]), int(cols[5]), cols[3], f"concept {cols[8]}")
            if eid in entities:
                raise SourceError(path, lineno, f"concept id {cols[8]} is used twice")
            entities[eid] = Entity(id=eid, type=cols[9], text=(mention,), offsets=((s, e),))
            by_span.setdefault((s, e), eid)
        else:
            if len(cols) < 11:
                raise SourceError(path, lineno, f"expected a relation line of 11 columns, found {len(cols)}")
            pending.append((lineno, cols))

    relations = []
    for k, (lineno, cols) in enumerate(pending, 1):
        args = []
        for idx, span, role in ((3, cols[7], 0), (4, cols[8], 1)):
            eid = f"T{cols[idx]}"
            if eid not in entities:
                a, sep, b = span.partition(":")
                if not (sep and a.isdigit() and b.isdigit()):
                    raise SourceError(path, lineno, f"relation argument {cols[idx]!r} names no concept and its "
                                      f"offsets {span!r} are not 'start:end'")
                (s, e), mention = located(lineno, int(a), int(b), None, f"relation argument {cols[idx]}")
                eid = by_span.get((s, e)) or f"R{k}.{role}"
                if eid not in entities:
                    kinds = cols[0].split("-")
                    entities[eid] = Entity(id=eid, type=ARGUMENT_TYPE, text=(mention,), offsets=((s, e),),
                                           attributes=(("kind", kinds[role] if len(kinds) == 2 else ""),))
            args.append(eid)
        relations.append(Relation(id=f"R{k}", type=cols[10], arg1_id=args[0], arg2_id=args[1]))

    return KBRecord(
        id=pmid,
        document_id=pmid,
        passages=(Passage(id="title", type="title", text=title, offsets=((0, len(title)),)),
                  Passage(id="abstract", type="abstract", text=abstract,
                          offsets=((len(title) + 1, len(title) + 1 + len(abstract)),))),
        entities=list(entities.values()),
        relations=relations,
        source=str(path),
    )
