"""Reading CHEMDNER in either of its two distributions.

* The BioC XML release of the BioCreative VII NLM-Chem track
  (``BC7T2-CHEMDNER-corpus-{training,development,evaluation}.BioC.xml``, the
  version BigBIO and MedINST read) goes to the core ``bioc_xml`` reader with the
  ``bioc_xml`` options.
* The original BioCreative IV files (``chemdner_corpus/{training,development,
  evaluation}.abstracts.txt`` with ``.annotations.txt``) are read here:

  - ``<split>.abstracts.txt``: one abstract a line, ``PMID<TAB>title<TAB>abstract``;
  - ``<split>.annotations.txt``: one mention a line,
    ``PMID<TAB>T|A<TAB>start<TAB>end<TAB>text<TAB>class``, offsets counted in
    the title (``T``) or in the abstract (``A``); the class is the mention's
    SACEM class (``SYSTEMATIC``, ``TRIVIAL``, ``ABBREVIATION``, ``FORMULA``,
    ``FAMILY``, ``IDENTIFIER``, ``MULTIPLE``, ``NO CLASS``).

  Records are built as the BioC release lays the same abstracts out: passage
  ``title`` at 0, passage ``abstract`` one character after it, abstract offsets
  moved by ``len(title) + 1``; every mention is typed ``tsv_type`` (default
  ``Chemical``, the type of the BioC release) with its class kept as the
  attribute ``sacem_class`` (``tsv_type: "class"`` types mentions by their class
  instead).  A mention whose text is not the text at its offsets is an error, or
  with ``offset_check: "warn"`` a counted ``offset_mismatch`` (kept as
  annotated); an annotation of a PMID the abstracts file lacks is an error.

The split's ``data`` files decide: BioC files when there are any (the
original files of the same split, if also present, are then not read, and
counted as ``chemdner.original_files_ignored``), else the pairs
``<name>.abstracts.txt`` / ``<name>.annotations.txt``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    Entity,
    KBRecord,
    Passage,
    SourceError,
    SourceFiles,
    core_reader,
    iter_lines,
)

ABSTRACTS, ANNOTATIONS = ".abstracts.txt", ".annotations.txt"


def _is_bioc(path: Path) -> bool:
    name = path.name.lower()
    return name.endswith(".xml") or name.endswith(".xml.gz")


def read_chemdner(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    paths = files.all("data")
    bioc = [p for p in paths if _is_bioc(p)]
    original = [p for p in paths if not _is_bioc(p)]
    if bioc:
        for p in original:
            diagnostics.warn("chemdner.original_files_ignored",
                             f"{p}: not read, the BioC XML release of the same split is read instead")
        yield from core_reader("bioc_xml")(SourceFiles(files.root, {"data": tuple(bioc)}),
                                           dict(options.get("bioc_xml", {})), diagnostics)
        return
    pairs: dict[str, dict[str, Path]] = {}
    for p in original:
        for suffix in (ABSTRACTS, ANNOTATIONS):
            if p.name.endswith(suffix):
                pairs.setdefault(str(p)[: -len(suffix)], {})[suffix] = p
                break
        else:
            raise SourceError(p, None, f"expected a BioC XML file or a CHEMDNER '*{ABSTRACTS}' / '*{ANNOTATIONS}' file")
    for stem, pair in sorted(pairs.items()):
        missing = [s for s in (ABSTRACTS, ANNOTATIONS) if s not in pair]
        if missing:
            raise SourceError(next(iter(pair.values())), None,
                              f"no {Path(stem).name}{missing[0]} beside it; the two files of a split are read together")
        yield from read_original(pair[ABSTRACTS], pair[ANNOTATIONS], options, diagnostics)


# complexity above the limit: written before the limit; to be split into steps
def read_original(abstracts: Path, annotations: Path, options: Mapping[str, Any],  # noqa: C901
                  diagnostics: Diagnostics) -> Iterator[KBRecord]:
    warn = options.get("offset_check", "error") == "warn"
    by_class = options.get("tsv_type", "Chemical") == "class"
    fixed_type = options.get("tsv_type", "Chemical")
    mentions: dict[str, list[tuple[int, list[str]]]] = {}
    for lineno, line in iter_lines(annotations):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 6:
            raise SourceError(annotations, lineno, f"expected 6 tab-separated columns (PMID, T or A, start, end, text, "
                                                   f"class), found {len(cols)}")
        if cols[1] not in ("T", "A"):
            raise SourceError(annotations, lineno, f"expected T (title) or A (abstract) in column 2, found {cols[1]!r}")
        if not (cols[2].isdigit() and cols[3].isdigit()) or int(cols[3]) < int(cols[2]):
            raise SourceError(annotations, lineno, f"expected offsets start <= end, found {cols[2]!r} and {cols[3]!r}")
        mentions.setdefault(cols[0].strip(), []).append((lineno, cols))
    seen: set[str] = set()
    for lineno, line in iter_lines(abstracts):
        if not line.strip():
            continue
        cols = line.split("\t")
        if len(cols) != 3:
            raise SourceError(abstracts, lineno, f"expected 3 tab-separated columns (PMID, title, abstract), "
                                                 f"found {len(cols)}")
        pmid, title, abstract = cols[0].strip(), cols[1], cols[2]
        if pmid in seen:
            raise SourceError(abstracts, lineno, f"document {pmid} occurs twice")
        seen.add(pmid)
        shift = len(title) + 1
        entities = []
        for a_line, (_, tiab, start, end, text, klass) in mentions.get(pmid, ()):
            section = title if tiab == "T" else abstract
            s, e = int(start), int(end)
            if section[s:e] != text:
                message = (f"{annotations}:{a_line}: mention {text!r} of {pmid} does not match the "
                           f"{'title' if tiab == 'T' else 'abstract'} at {s}-{e} ({section[s:e]!r})")
                if not warn:
                    raise SourceError(annotations, a_line, message.split(": ", 1)[1])
                diagnostics.warn("offset_mismatch", message)
            if tiab == "A":
                s, e = s + shift, e + shift
            entities.append(Entity(id=str(len(entities)), type=klass.strip() if by_class else fixed_type, text=(text,),
                                   offsets=((s, e),), attributes=(("sacem_class", klass.strip()),)))
        yield KBRecord(
            id=pmid, document_id=pmid, entities=tuple(entities),
            passages=(Passage(id="P0", type="title", text=title, offsets=((0, len(title)),)),
                      Passage(id="P1", type="abstract", text=abstract, offsets=((shift, shift + len(abstract)),))),
            source=f"{abstracts}:{lineno}",
        )
    for pmid in mentions:
        if pmid not in seen:
            raise SourceError(annotations, mentions[pmid][0][0], f"mention of document {pmid}, which {abstracts.name} "
                                                                 "does not have")
