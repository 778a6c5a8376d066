"""Reader of the TAC 2017 Adverse Drug Reaction XML files (``spl_adr_xml``).

Each file is one drug label::

    <Label drug="NAME" track="TAC2017_ADR">
      <Text><Section id="S1" name="adverse reactions">text</Section>...</Text>
      <Mentions><Mention id="M1" section="S1" type="AdverseReaction" start="10,25" len="4,6" str="..."/>...</Mentions>
      <Relations><Relation id="RL1" type="Negated" arg1="M2" arg2="M1"/>...</Relations>
      <Reactions><Reaction id="AR1" str="nausea">
        <Normalization id="AR1.N1" meddra_pt="Nausea" meddra_pt_id="10028813" meddra_llt="Nausea" meddra_llt_id="10028813"/>
      </Reaction>...</Reactions>
    </Label>

One :class:`KBRecord` per file, id = the ``drug`` attribute.  The text is the
sections joined by single spaces (one passage per section, typed by its
``name``).  A mention's ``start`` and ``len`` are comma-separated lists, one
item per fragment, relative to its section's text; a discontinuous mention has
several fragments.  When the fragments' text, joined by spaces, differs from
the mention's ``str`` the mention is kept at its offsets and the mismatch is
counted as ``spl_adr.offset_mismatch``; a mention reaching outside its section is
left out and counted as ``spl_adr.offset_outside`` (a relation naming it is
then left out by the formatter).

Reactions are the label's distinct positive adverse reactions (caseless
strings) with their MedDRA normalisations; every mention of a ``link_types``
type (default ``AdverseReaction``) whose ``str`` equals a reaction's
``str`` -- ignoring case unless ``match_case`` -- is linked to that reaction's
normalisations, one link per ``links`` entry (``{"attribute", "db_name",
"prefix"}``) present on a ``Normalization`` element (those flagged unmapped
carry no ids and give none).  Relations keep their type and mention ids.
"""

from __future__ import annotations

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
    read_bytes,
)

OFFSET_MISMATCH = "spl_adr.offset_mismatch"
OUTSIDE = "spl_adr.offset_outside"


def _ints(value: str | None, path, mention: str, what: str) -> list[int]:
    try:
        return [int(x) for x in (value or "").split(",")]
    except ValueError:
        raise SourceError(path, None, f"mention {mention}: {what} {value!r} is not a comma-separated list of integers") from None


# complexity above the limit: written before the limit; to be split into steps
def _label(path, options: Mapping[str, Any], diagnostics: Diagnostics) -> KBRecord:  # noqa: C901
    data = read_bytes(path)
    if b"<!ENTITY" in data:
        raise SourceError(path, None, "the DOCTYPE declares entities (<!ENTITY ...>); they are refused")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        pos = getattr(exc, "position", None)
        raise SourceError(path, pos[0] if pos else None, f"malformed XML: {exc}") from None
    if not root.get("drug"):
        raise SourceError(path, None, f"expected a <Label drug=...> root element, found <{root.tag}> without a drug")
    drug = root.get("drug")
    passages, starts, parts, pos = [], {}, [], 0
    for section in root.iterfind(".//Text/Section"):
        sid = section.get("id", "")
        text = section.text or ""
        if parts:
            parts.append(" ")
            pos += 1
        starts[sid] = (pos, len(text))
        passages.append(Passage(id=f"{drug}_{sid}", type=section.get("name", "section"), text=text,
                                offsets=[(pos, pos + len(text))]))
        parts.append(text)
        pos += len(text)
    full = "".join(parts)
    match_case = bool(options.get("match_case", False))
    links = options.get("links", [{"attribute": "meddra_llt_id", "db_name": "MedDRA v18.1", "prefix": "llt_"}])
    link_types = set(options.get("link_types", ["AdverseReaction"]))
    reactions: dict[str, list[Normalization]] = {}
    for reaction in root.iterfind(".//Reactions/Reaction"):
        key = reaction.get("str", "")
        key = key if match_case else key.lower()
        found = reactions.setdefault(key, [])
        for norm in reaction.iterfind("Normalization"):
            for link in links:
                value = (norm.get(link["attribute"]) or "").strip()
                if value:
                    found.append(Normalization(db_name=link.get("db_name", ""), db_id=link.get("prefix", "") + value))
    entities = []
    for mention in root.iterfind(".//Mentions/Mention"):
        mid = mention.get("id", "")
        sid = mention.get("section", "")
        if sid not in starts:
            raise SourceError(path, None, f"mention {mid} names section {sid!r}, which the label does not have")
        base, size = starts[sid]
        begins = _ints(mention.get("start"), path, mid, "start")
        lengths = _ints(mention.get("len"), path, mid, "len")
        if len(begins) != len(lengths):
            raise SourceError(path, None, f"mention {mid}: {len(begins)} starts but {len(lengths)} lengths")
        if any(b < 0 or n < 0 or b + n > size for b, n in zip(begins, lengths)):
            diagnostics.warn(OUTSIDE, f"{path}: mention {mid} ({mention.get('start')}+{mention.get('len')}) lies "
                                      f"outside section {sid} ({size} characters); left out")
            continue
        offsets = [(base + b, base + b + n) for b, n in zip(begins, lengths)]
        fragments = tuple(full[s:e] for s, e in offsets)
        annotated = mention.get("str", "")
        if annotated and " ".join(fragments) != annotated:
            diagnostics.warn(OFFSET_MISMATCH, f"{path}: mention {mid} is annotated {annotated!r} but its offsets "
                                              f"give {' '.join(fragments)!r}")
        etype = mention.get("type", "")
        norms = ()
        if etype in link_types:
            norms = tuple(dict.fromkeys(reactions.get(annotated if match_case else annotated.lower(), ())))
        entities.append(Entity(id=mid, type=etype, text=fragments, offsets=offsets, normalized=norms))
    relations = [
        Relation(id=r.get("id", ""), type=r.get("type", ""), arg1_id=r.get("arg1", ""), arg2_id=r.get("arg2", ""))
        for r in root.iterfind(".//Relations/Relation")
    ]
    return KBRecord(id=drug, document_id=drug, passages=passages, entities=entities, relations=relations,
                    source=f"{path}:1")


def read_spl_adr(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """One record per TAC 2017 ADR label file (see the module documentation), in file name order."""
    for path in sorted(files.all("data"), key=lambda p: p.name):
        yield _label(path, options, diagnostics)
