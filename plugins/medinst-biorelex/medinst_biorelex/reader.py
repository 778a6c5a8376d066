"""Reader ``biorelex_json``: the JSON files of the BioRelEx 1.0 release
(``1.0alpha7.train.json``, ``1.0alpha7.dev.json``).

Each file is a JSON array of sentences::

    {"id": "...", "paperid": "...", "text": "...", "url": "...",
     "entities": [{"label": "protein", "is_state": false, "is_mentioned": true, "is_mutant": false,
                   "names": {"Ras": {"is_mentioned": true, "mentions": [[0, 3]]}, ...},
                   "grounding": {"source": "uniprot", "link": "https://www.uniprot.org/uniprot/P01112",
                                 "entrez_gene": "3265", "hgnc_symbol": "HRAS", ...} or null}, ...],
     "interactions": [{"participants": [0, 1], "type": "bind", "implicit": false, "label": 1}, ...]}

Records
-------
One :class:`~medinst_core.records.KBRecord` per sentence (``id`` its ``id``,
``document_id`` its ``paperid``), one passage holding the text, as BigBIO's
conversion (which MedINST used) reads it:

* an entity per mention of every name of an entity (offsets ``[start, end]``,
  end exclusive; text the name), typed with the entity's ``label``, with the
  entity's grounding as normalisations: ``NCBI gene`` (``entrez_gene``),
  ``hgnc`` (``hgnc_symbol``; ``NA`` means none), and the ``source`` database
  with the id at the end of ``link`` (not for the sources ``NCBI gene`` and
  genenames.org gene groups, which the first two already give);
* a coreference chain per entity: all its mentions;
* a relation per pair of mentions of an interaction's two participants, typed
  with the interaction's ``type`` (whatever its ``label``: BigBIO keeps the
  negative and neutral ones too).

Options: ``offset_check`` (``"error"`` | ``"warn"``).  A malformed sentence
(a missing key, offsets that are not two integers, a participant index
outside the entities) is a ``SourceError`` naming the file and the line where
the sentence starts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from medinst_core.plugin_api import (
    Coreference,
    Diagnostics,
    Entity,
    KBRecord,
    ManifestError,
    Normalization,
    Passage,
    Relation,
    SourceError,
    SourceFiles,
    iter_json_items,
)

_NA = {"", "NA", "na", "N/A", None}


def read_biorelex(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """The sentences of every ``data`` file (see the module documentation)."""
    mode = options.get("offset_check", "error")
    if mode not in ("error", "warn"):
        raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {mode!r}")
    for path in files.all("data"):
        for item in iter_json_items(path, expected="a JSON array of BioRelEx sentences", containers="["):
            yield _record(item.value, path, item.line, mode == "warn", diagnostics)


def _get(obj: Any, key: str, kind: type | tuple, path, line: int, where: str):
    if not isinstance(obj, dict) or not isinstance(obj.get(key), kind):
        raise SourceError(path, line, f"{where}: expected a {key!r} entry of type {getattr(kind, '__name__', kind)}")
    return obj[key]


def _link_id(link: str) -> str:
    """The id at the end of a grounding link: the last path segment (``.../uniprot/P01112``,
    ``.../family/PF07714?tab=x``), or the query's last token when the path ends in a script name
    without digits (``show_pathway?map=ko04120``, ``www_bget?enzyme+2.7.11.1``)."""
    path, _, query = link.strip().partition("?")
    path = path.split("#")[0].rstrip("/")
    last = path.rsplit("/", 1)[-1]
    if query and not any(c.isdigit() for c in last):
        last = [t for t in re.split(r"[=+&]", query) if t][-1]
    last = last[:-5] if last.endswith(".html") else last
    digits = re.fullmatch(r"[A-Za-z-]+\.(\d+)", last)  # Chemical-Structure.7995676
    return digits.group(1) if digits else last


def _db_name(source: str) -> str:
    """The grounding source as a database name; a source given as a URL is named by what it links to
    (the few sources the release gives as a page: an EC number page, a KEGG pathway, a ChemSpider entry)."""
    if not source.startswith(("http://", "https://")):
        return source
    lowered = source.lower()
    for key, name in (("enzyme", "intenz"), ("pathway", "kegg"), ("chemspider", "chemspider")):
        if key in lowered:
            return name
    return lowered.split("/")[2]


def _normalizations(grounding: Any) -> tuple[Normalization, ...]:
    if not isinstance(grounding, dict):
        return ()
    out = []
    if grounding.get("entrez_gene") not in _NA:
        out.append(Normalization("NCBI gene", str(grounding["entrez_gene"])))
    if grounding.get("hgnc_symbol") not in _NA:
        out.append(Normalization("hgnc", str(grounding["hgnc_symbol"])))
    source, link = grounding.get("source"), grounding.get("link")
    if source not in _NA and source not in ("NCBI gene", "https://www.genenames.org/data/genegroup/") and link not in _NA:
        out.append(Normalization(_db_name(str(source)), _link_id(str(link))))
    return tuple(out)


def _record(sentence: Any, path, line: int, warn: bool, diagnostics: Diagnostics) -> KBRecord:
    sid = _get(sentence, "id", str, path, line, "a sentence")
    where = f"sentence {sid}"
    text = _get(sentence, "text", str, path, line, where)
    entities, chains, by_index = [], [], []
    for k, entity in enumerate(_get(sentence, "entities", list, path, line, where)):
        label = _get(entity, "label", str, path, line, f"{where}, entity {k}")
        names = _get(entity, "names", dict, path, line, f"{where}, entity {k}")
        norms = _normalizations(entity.get("grounding"))
        ids = []
        for name, info in names.items():
            for _m, span in enumerate(_get(info, "mentions", list, path, line, f"{where}, entity {k}, name {name!r}")):
                if not (isinstance(span, list) and len(span) == 2 and all(isinstance(x, int) for x in span)):
                    raise SourceError(path, line, f"{where}, entity {k}, name {name!r}: expected a mention "
                                      f"[start, end], found {span!r}")
                start, end = span
                found = text[start:end] if 0 <= start <= end <= len(text) else None
                if found != name:
                    message = (f"{where}: entity {k} is named {name!r} but the text at {start}-{end} is "
                               + (repr(found) if found is not None else f"outside the sentence (length {len(text)})"))
                    if not warn:
                        raise SourceError(path, line, message)
                    diagnostics.warn("offset_mismatch", f"{path}:{line}: {message}")
                eid = f"{sid}.ent{k}_{len(ids)}"
                ids.append(eid)
                entities.append(Entity(id=eid, type=label, text=(name,), offsets=((start, end),), normalized=norms))
        by_index.append(ids)
        chains.append(Coreference(id=f"{sid}.coref{k}", entity_ids=tuple(ids)))
    relations = []
    for r, interaction in enumerate(_get(sentence, "interactions", list, path, line, where)):
        participants = _get(interaction, "participants", list, path, line, f"{where}, interaction {r}")
        if len(participants) != 2 or not all(isinstance(p, int) and 0 <= p < len(by_index) for p in participants):
            raise SourceError(path, line, f"{where}, interaction {r}: expected two entity indexes below "
                              f"{len(by_index)}, found {participants!r}")
        rtype = _get(interaction, "type", str, path, line, f"{where}, interaction {r}")
        for a in by_index[participants[0]]:
            for b in by_index[participants[1]]:
                relations.append(Relation(id=f"{sid}.rel{r}.{a}.{b}", type=rtype, arg1_id=a, arg2_id=b))
    return KBRecord(
        id=sid,
        document_id=str(sentence.get("paperid") or sid),
        passages=(Passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
        entities=entities,
        coreferences=chains,
        relations=relations,
        source=f"{path}:{line}",
    )
