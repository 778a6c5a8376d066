"""Identifier systems: one canonical way to write the ids of a knowledge base.

Corpora write the same identifier in several ways: a dbSNP id is ``rs2075789``
in one file, ``RS#:2075789`` or ``RSID:2075789`` in another; GNormPlus adds the
species to an NCBI Gene id (``11998(Tax:10090)``); MedMentions prefixes its
UMLS CUIs (``UMLS:C0010674``); Bio-ID writes Cellosaurus ids bare and Uberon
ids twice prefixed (``Uberon:UBERON:0001891``).  The ``ned`` formatter's
``id_systems`` option names the system of each database, and every id of that
database is written in the system's canonical form:

=============== ====================================== ==========================
system          accepted (examples)                    written
=============== ====================================== ==========================
``ncbi_gene``   ``673``, ``NCBIGene:673``,             ``673``
                ``NCBI gene:673``, ``673(Tax:9606)``
``ncbi_taxon``  ``9606``, ``NCBITaxon:9606``,          ``9606``
                ``taxon:9606``, ``txid9606``
``mesh``        ``D003920``, ``MESH:D003920``          ``D003920``
``dbsnp``       ``rs2075789``, ``RS#:2075789``,        ``rs2075789``
                ``RSID:2075789``, ``2075789``
``uniprot``     ``P05201``, ``UniProt:P05201``,        ``P05201``
                ``UniProtKB:P05201-2``                 (isoform kept)
``cellosaurus`` ``CVCL_0030``, ``CVCL:0030``,          ``CVCL_0030``
                ``Cellosaurus:CVCL_0030``
``umls``        ``C0010674``, ``UMLS:C0010674``        ``C0010674``
``obo``         ``GO:0005634``, ``GO:GO:0005634``,     ``GO:0005634`` (the
                ``Uberon:UBERON:0001891``,             ontology's CURIE; a bare
                ``CHEBI:15377``                        number gets no prefix)
=============== ====================================== ==========================

An id that does not have the system's shape once rewritten is written as it
was read (prefix and suffix removed) and counted as the diagnostic
``ned.unexpected_id``: a sign of a wrong ``id_systems`` entry or a corpus
error, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["SYSTEMS", "canonical_id"]

_PREFIX = re.compile(r"^\s*([A-Za-z][\w .#-]*?)\s*:\s*(.+)$")


def _strip_prefix(value: str, prefixes: tuple[str, ...]) -> str:
    """``value`` without one leading ``PREFIX:`` whose name (case-insensitive)
    is in ``prefixes``."""
    m = _PREFIX.match(value)
    if m and m.group(1).lower() in prefixes:
        return m.group(2).strip()
    return value.strip()


_TAX_SUFFIX = re.compile(r"\s*\((?:tax|taxon|taxid)\s*:\s*\d+\)\s*$", re.I)


def _ncbi_gene(value: str) -> tuple[str, bool]:
    v = _strip_prefix(_TAX_SUFFIX.sub("", value), ("ncbigene", "ncbi gene", "ncbi_gene", "geneid", "entrezgene", "gene"))
    return v, v.isdigit()


def _ncbi_taxon(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("ncbitaxon", "ncbi taxon", "ncbi_taxon", "taxon", "tax", "taxid"))
    if v.lower().startswith("txid"):
        v = v[4:]
    return v, v.isdigit()


_MESH = re.compile(r"^[CDQ]\d{6,9}$")


def _mesh(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("mesh",))
    return v, bool(_MESH.match(v))


_RS = re.compile(r"^(?:rs)?(\d+)$", re.I)


def _dbsnp(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("rs#", "rsid", "rs", "dbsnp"))
    m = _RS.match(v)
    return ("rs" + m.group(1), True) if m else (v, False)


_UNIPROT = re.compile(r"^(?:[OPQ][0-9][A-Z0-9]{3}[0-9]|[A-NR-Z][0-9](?:[A-Z][A-Z0-9]{2}[0-9]){1,2})(?:-\d+)?$")


def _uniprot(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("uniprot", "uniprotkb", "uniprot/swiss-prot", "swiss-prot"))
    v = v.upper()
    return v, bool(_UNIPROT.match(v))


_CVCL = re.compile(r"^CVCL[_:]?([A-Z0-9]{4})$", re.I)


def _cellosaurus(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("cellosaurus",))
    m = _CVCL.match(v)
    return ("CVCL_" + m.group(1).upper(), True) if m else (v, False)


_CUI = re.compile(r"^C\d{7}$")


def _umls(value: str) -> tuple[str, bool]:
    v = _strip_prefix(value, ("umls", "cui"))
    return v, bool(_CUI.match(v))


_CURIE = re.compile(r"^([A-Za-z][A-Za-z_]*):(\S+)$")


def _obo(value: str) -> tuple[str, bool]:
    v = value.strip()
    # a database name before the CURIE: Uberon:UBERON:0001891, GO:GO:0005634, CL:CL:0000057
    while v.count(":") >= 2:
        head, rest = v.split(":", 1)
        if not _CURIE.match(rest.strip()):
            break
        v = rest.strip()
    m = _CURIE.match(v)
    if m:
        return f"{m.group(1).upper()}:{m.group(2)}", True
    return v, False


#: system name -> function returning (canonical id, whether it has the system's shape)
SYSTEMS: dict[str, Callable[[str], tuple[str, bool]]] = {
    "ncbi_gene": _ncbi_gene,
    "ncbi_taxon": _ncbi_taxon,
    "mesh": _mesh,
    "dbsnp": _dbsnp,
    "uniprot": _uniprot,
    "cellosaurus": _cellosaurus,
    "umls": _umls,
    "obo": _obo,
}


def canonical_id(system: str, value: str) -> tuple[str, bool]:
    """``(id written in the canonical form of system, whether it has its shape)``."""
    return SYSTEMS[system](value)
