"""Reading ``tmVar3Corpus.txt``, the tmVar 3.0 corpus.

The corpus is one PubTator file of 500 abstracts; the core ``pubtator`` reader
parses it (with the ``pubtator`` options).  This reader then turns the
identifier column of the variant mentions into knowledge-base links.  That
column holds ``;``-separated parts of several kinds, e.g.::

    p|SUB|V|600|E;HGVS:p.V600E;VariantGroup:0;CorrespondingGene:673;RS#:113488022

* a bare tmVar identifier (``p|SUB|V|600|E``) -- the database ``""`` key of
  ``databases``;
* ``PREFIX:value`` parts (``RS#``, ``CorrespondingGene``, ``HGVS``,
  ``VariantGroup`` -- once misspelt ``Va1iantGroup`` in the file --, ``CA#``
  ...) -- their prefix is the ``databases`` key; ``Gene:`` is a synonym of
  ``CorrespondingGene:`` (both occur in the corpus, as BigBIO's loader
  records), and a value may list several ids joined by commas
  (``CorrespondingGene:7157,7158``), each its own link;
* bare dbSNP ids (``rs113488022``) count as ``RS#`` parts.

``databases`` maps each key to the database name shown; kinds not listed are
dropped (by default: the HGVS description, the within-document variant group
and anything unknown), so a variant is linked to its tmVar identifier, its
dbSNP rs number (always written ``rs<digits>``) and its gene, as in the
BigBIO/MedINST version of the corpus.  Mentions of other types (``Gene``,
``Species``, ``CellLine``) keep the normalizations the ``pubtator`` reader
gave them (``db_names`` per type).

Options
-------
``pubtator`` (object)
    options of the core ``pubtator`` reader.
``variant_types`` (list of str)
    the entity types whose identifiers are variant identifiers.
``databases`` (object: key -> database name)
    default ``{"": "tmVar", "RS#": "dbSNP", "CorrespondingGene": "NCBIGene"}``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from medinst_core.plugin_api import (
    Diagnostics,
    KBRecord,
    Normalization,
    SourceFiles,
    core_reader,
)

VARIANT_TYPES = (
    "DNAMutation", "ProteinMutation", "SNP", "DNAAllele", "ProteinAllele", "AcidChange", "OtherMutation",
)
DATABASES = {"": "tmVar", "RS#": "dbSNP", "CorrespondingGene": "NCBIGene"}
#: the file's own spellings of prefixes: a misspelt group, ``Gene:`` for ``CorrespondingGene:``
PREFIX_FIXES = {"Va1iantGroup": "VariantGroup", "Gene": "CorrespondingGene"}
_RS = re.compile(r"^(?:rs|RS)?(\d+)$")


def _values(key: str, db_id: str) -> list[str]:
    """The ids of one part: a prefixed value (or a bare rs number) may list
    several, joined by commas; a tmVar id (``c|SUB|...``) is kept whole."""
    if "," not in db_id or (key == "" and "|" in db_id):
        return [db_id]
    return [v.strip() for v in db_id.split(",")]


def variant_links(norms: tuple[Normalization, ...], databases: Mapping[str, str]) -> tuple[Normalization, ...]:
    """The knowledge-base links of one variant mention, from the normalizations
    the PubTator reader made of its identifier column (``db_name`` = the part's
    prefix, ``""`` for a bare id)."""
    out: list[Normalization] = []
    for norm in norms:
        prefix = PREFIX_FIXES.get(norm.db_name, norm.db_name)
        for db_id in _values(prefix, norm.db_id.strip()):
            key = prefix
            if key == "" and db_id.lower().startswith("rs") and _RS.match(db_id):
                key = "RS#"
            if key == "RS#":
                m = _RS.match(db_id)
                if m:
                    db_id = "rs" + m.group(1)
            name = databases.get(key)
            if name is None or not db_id:
                continue
            link = Normalization(name, db_id)
            if link not in out:
                out.append(link)
    return tuple(out)


def read_tmvar3(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    read_pubtator = core_reader("pubtator")
    variant_types = frozenset(options.get("variant_types", VARIANT_TYPES))
    databases = dict(options.get("databases", DATABASES))
    pubtator = dict(options.get("pubtator", {}))
    for record in read_pubtator(files, pubtator, diagnostics):
        entities = tuple(
            attrs.evolve(e, normalized=variant_links(e.normalized, databases)) if e.type in variant_types else e
            for e in record.entities
        )
        yield attrs.evolve(record, entities=entities)
