"""Reading Bio-ID: figure-panel captions (BioC XML) and their annotations (CSV).

The training archive ``BioIDtraining_2.tar.gz`` holds

* ``BioIDtraining_2/caption_bioc/<PMCID>.xml``: one BioC collection per article,
  one ``document`` per figure panel, with the infons ``pmc_id``, ``figure``
  (``Figure 1-A``) and ``sourcedata_figure_dir`` (``Figure_1-A``) and one
  passage, the panel's caption;
* ``BioIDtraining_2/annotations.csv``: one row per annotation, with (among
  others) the columns ``don_article`` (the PMC id), ``figure`` (the panel, as
  ``sourcedata_figure_dir``), ``first left`` / ``last right`` (character
  offsets into the caption), ``text`` and ``obj`` (what the mention denotes).

The annotations inside the BioC files have offset problems (BigBIO's and BELB's
loaders both say so) and are not read; the CSV's are joined to the captions on
(article, panel): the article with or without a ``PMC`` prefix, the panel on
``sourcedata_figure_dir``, else on ``figure`` with spaces written as underscores.
A row without offsets is left out and counted as ``bioid.no_offsets``.

``obj`` is one or more ``|``-separated items ``DB:ID`` (``NCBI gene:9341``,
``Uniprot:P05201``, ``Uberon:UBERON:0001891``, ``CHEBI:15377``), a bare
Cellosaurus id (``CVCL_0030``), or ``<kind>:<text>`` for a mention that is not
normalised (kinds ``cell``, ``gene``, ``molecule``, ``protein``,
``subcellular``, ``tissue``, ``organism``).  Each database item becomes a
normalization (database as written, the id after the last ``:``, as BigBIO's
loader reads it: ``Uberon:UBERON:0001891`` -> ``Uberon``/``0001891``); the
entity type comes from the first item (BigBIO's table: ``NCBI gene`` ->
``gene``, ``Uniprot`` -> ``protein``, ``CHEBI`` and ``PubChem`` ->
``chemical``, ``Cellosaurus`` and ``CL`` -> ``cell``, ``NCBI taxon`` ->
``species``, ``Uberon`` -> ``anatomy``, ...; an unnormalised kind is its own
type).

Records: one :class:`KBRecord` per panel, ``id`` ``<PMCID>/<panel>``,
``document_id`` the PMC id, one passage ``figure_caption``.  An annotation
whose text is not the caption's text at its offsets is an error, or with
``offset_check: "warn"`` (the default) a counted ``offset_mismatch`` warning
(kept as annotated).  CSV rows of a panel no caption file has are counted as
``bioid.unmatched_annotation``.

Memory: the CSV's rows are grouped by panel in memory (the whole training set
is some ten megabytes); the captions are streamed.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    Entity,
    KBRecord,
    Normalization,
    Passage,
    SourceError,
    SourceFiles,
    decoding_error,
    open_binary,
    open_text,
)

#: database (as written in ``obj``) -> entity type, as BigBIO's loader maps them
DB_TYPES = {
    "BAO": "assay",
    "CHEBI": "chemical",
    "CL": "cell",
    "Corum": "protein",
    "GO": "gene",
    "PubChem": "chemical",
    "Rfam": "rna",
    "Uberon": "anatomy",
    "Cellosaurus": "cell",
    "NCBI gene": "gene",
    "NCBI taxon": "species",
    "Uniprot": "protein",
}
#: ``kind:text`` items: a mention of that kind without a database id
UNNORMALIZED = ("cell", "gene", "molecule", "protein", "subcellular", "tissue", "organism")
REQUIRED_COLUMNS = ("don_article", "figure", "first left", "last right", "text", "obj")


def parse_obj(obj: str) -> tuple[str, tuple[Normalization, ...]]:
    """``(entity type, normalizations)`` of an ``obj`` value."""
    norms: list[Normalization] = []
    etype = None
    for item in (p.strip() for p in obj.split("|")):
        if not item:
            continue
        db, sep, value = item.partition(":")
        if not sep:  # a bare Cellosaurus id
            db, value = "Cellosaurus", item
        db = db.strip()
        if db in UNNORMALIZED:
            etype = etype or db
            continue
        etype = etype or DB_TYPES.get(db, db)
        link = Normalization(db, value.rsplit(":", 1)[-1].strip())
        if link.db_id and link not in norms:
            norms.append(link)
    return etype or "unknown", tuple(norms)


def _article(value: str) -> str:
    """An article id as the join compares it: ``PMC3868421`` and ``3868421`` are one article."""
    value = value.strip()
    return value[3:] if value[:3].upper() == "PMC" else value


def _annotations(path, diagnostics: Diagnostics) -> dict[tuple[str, str], list[tuple[int, dict[str, str]]]]:
    groups: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = {}
    f = open_text(path)
    with f:
        try:
            rows = csv.reader(f)
            header = next(rows, None)
            if header is None:
                raise SourceError(path, None, "empty file; expected a header line naming the columns")
            header = [h.strip() for h in header]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise SourceError(path, 1, f"missing columns {missing}; expected a header with {list(REQUIRED_COLUMNS)}")
            for row in rows:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise SourceError(path, rows.line_num,
                                      f"{len(row)} fields where the header names {len(header)} columns")
                values = dict(zip(header, row))
                key = (_article(values["don_article"]), values["figure"].strip())
                groups.setdefault(key, []).append((rows.line_num, values))
        except csv.Error as exc:
            raise SourceError(path, rows.line_num, f"malformed CSV: {exc}") from None
        except UnicodeDecodeError:
            raise decoding_error(path) from None
    return groups


def _refuse_entity_declarations(path) -> None:
    """A DOCTYPE declaring entities (the way of external-entity and
    entity-expansion attacks) is refused before the file is parsed; the
    caption files declare none."""
    with open_binary(path) as f:
        head = f.read(1 << 16)
    root = re.search(rb"<(?![?!])", head)
    if b"<!ENTITY" in (head[: root.start()] if root else head):
        raise SourceError(path, None, "the DOCTYPE declares entities (<!ENTITY ...>), which are refused")


def _captions(path) -> Iterator[tuple[dict[str, str], str]]:
    """(document infons, caption text) of every document of a caption file."""
    import xml.etree.ElementTree as ET

    _refuse_entity_declarations(path)
    f = open_binary(path)
    with f:
        try:
            depth = 0
            root = None
            for event, el in ET.iterparse(f, events=("start", "end")):
                if event == "start":
                    if root is None:
                        root = el
                        if el.tag != "collection":
                            raise SourceError(path, None, f"expected a BioC <collection>, found <{el.tag}>")
                    depth += 1
                    continue
                depth -= 1
                if el.tag == "document" and depth == 1:
                    infons = {i.get("key", ""): (i.text or "").strip() for i in el.iterfind("infon")}
                    passages = el.findall("passage")
                    doc = el.findtext("id") or infons.get("pmc_id", "?")
                    if len(passages) != 1:
                        raise SourceError(path, None, f"document {doc}: {len(passages)} passages; a Bio-ID caption "
                                                      "document has exactly one (the caption)")
                    yield infons, passages[0].findtext("text") or ""
                    root.clear()
        except ET.ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise SourceError(path, line, f"malformed XML: {exc}") from None


def read_bioid(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    csv_path = files.one("annotations")
    groups = _annotations(csv_path, diagnostics)
    warn = options.get("offset_check", "warn") == "warn"
    used: set[tuple[str, str]] = set()
    seen: set[str] = set()
    for path in files.all("data"):
        for infons, caption in _captions(path):
            pmc = _article(infons.get("pmc_id", ""))
            if not pmc:
                raise SourceError(path, None, "a caption document has no 'pmc_id' infon")
            panel = infons.get("sourcedata_figure_dir", "").strip()
            figure = infons.get("figure", "").strip()
            keys = [(pmc, panel), (pmc, figure.replace(" ", "_")), (pmc, figure)]
            key = next((k for k in keys if k in groups), keys[0] if panel else keys[1])
            record_id = f"{pmc}/{key[1]}"
            if record_id in seen:
                raise SourceError(path, None, f"panel {key[1]!r} of article {pmc} occurs twice")
            seen.add(record_id)
            entities = []
            for line, row in groups.get(key, ()):
                if not row["first left"].strip() or not row["last right"].strip():
                    diagnostics.warn("bioid.no_offsets", f"{csv_path}:{line}: annotation {row['text']!r} of {record_id} "
                                                         "has no offsets; left out")
                    continue
                try:
                    start, end = int(float(row["first left"])), int(float(row["last right"]))
                except ValueError:
                    raise SourceError(csv_path, line, f"expected integer offsets in 'first left' and 'last right', "
                                                      f"found {row['first left']!r} and {row['last right']!r}") from None
                text = row["text"]
                if not (0 <= start <= end <= len(caption)) or caption[start:end] != text:
                    message = (f"{csv_path}:{line}: annotation {text!r} of {record_id} does not match the caption at "
                               f"{start}-{end} ({caption[start:end]!r})")
                    if not warn:
                        raise SourceError(csv_path, line, message.split(": ", 1)[1])
                    diagnostics.warn("offset_mismatch", message)
                etype, norms = parse_obj(row["obj"])
                entities.append(Entity(id=str(len(entities)), type=etype, text=(text,), offsets=((start, end),),
                                       normalized=norms, attributes=(("obj", row["obj"]),)))
            used.add(key)
            yield KBRecord(id=record_id, document_id=pmc, entities=tuple(entities),
                           passages=(Passage(id="P0", type="figure_caption", text=caption,
                                             offsets=((0, len(caption)),)),),
                           source=f"{path} ({record_id})")
    for key in groups:
        if key not in used:
            for line, _row in groups[key]:
                diagnostics.warn("bioid.unmatched_annotation",
                                 f"{csv_path}:{line}: no caption of article {key[0]} panel {key[1]!r} among the caption files")
