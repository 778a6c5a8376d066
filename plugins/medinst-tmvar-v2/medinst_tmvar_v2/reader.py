"""Reading ``tmVar.Normalization.txt``, the tmVar 2.0 corpus.

The file is PubTator: the core ``pubtator`` reader parses it (``pubtator``
options).  Two things are the corpus's own:

* a mention line may carry a seventh column, the dbSNP id of the variant
  written ``RSID:2075789``; it becomes a normalization ``RSID``/``2075789``
  of the mention (next to the tmVar id of the sixth column, ``db_name`` ``""``),
  so the NED task can link variants to dbSNP (its formatter writes
  ``dbSNP/rs2075789``);
* one line of the file (PMID 18166824, the mention "amino acid (proline) with a
  polar amino acid (serine) at position 29") lacks its type column: the tmVar id
  ``p|SUB|P|29|S`` stands where the type belongs and the RSID column where the
  id does.  A mention whose type is a tmVar id gets the type that id implies
  (``p|`` a ProteinMutation, ``c|``/``g|``/``m|``/``n|``/``r|`` a
  DNAMutation), as BigBIO's loader does for that line; each is counted as the
  warning ``tmvar2.type_from_id``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from medinst_core.plugin_api import Diagnostics, KBRecord, Normalization, SourceFiles, core_reader

RSID_COLUMN = "RSID"
_TMVAR_ID = re.compile(r"^([cgmnrp])\|[A-Za-z]+\|")
_RSID = re.compile(r"^\s*RS(?:ID)?\s*[:#]\s*(?:rs)?(\d+)\s*$", re.I)


def _type_from_id(type_: str) -> str | None:
    m = _TMVAR_ID.match(type_)
    if m is None:
        return None
    return "ProteinMutation" if m.group(1) == "p" else "DNAMutation"


def read_tmvar2(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    read_pubtator = core_reader("pubtator")
    pubtator = {**dict(options.get("pubtator", {})), "extra_columns": [RSID_COLUMN]}
    for record in read_pubtator(files, pubtator, diagnostics):
        entities = []
        for e in record.entities:
            fixed_type = _type_from_id(e.type)
            if fixed_type is not None:
                diagnostics.warn("tmvar2.type_from_id",
                                 f"{record.source}: mention {e.text[0]!r} has the tmVar id {e.type!r} where its type "
                                 f"belongs; read as a {fixed_type}")
                # the columns moved left: the id column holds the RSID, the tmVar id stood in the type column
                norms = [Normalization("", e.type)] + [n for n in e.normalized if n.db_name == RSID_COLUMN]
                e = attrs.evolve(e, type=fixed_type, normalized=norms)
            rsid = next((v for k, v in e.attributes if k == RSID_COLUMN), None)
            if rsid is not None:
                m = _RSID.match(rsid)
                link = Normalization(RSID_COLUMN, m.group(1) if m else rsid.strip())
                e = attrs.evolve(e, normalized=tuple(n for n in e.normalized if n != link) + (link,),
                                 attributes=tuple(a for a in e.attributes if a[0] != RSID_COLUMN))
            entities.append(e)
        yield attrs.evolve(record, entities=tuple(entities))
