"""The ``ned`` formatter's ``id_systems``: ids written in one canonical form per identifier system."""

from __future__ import annotations

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.formatters import kb
from medinst_core.formatters.identifiers import SYSTEMS, canonical_id
from medinst_core.records import Entity, KBRecord, Normalization, Passage

from ._util import filled

ned = filled(kb.ned)  # called with its schema's defaults, as the pipeline calls it

TEXT = "BRAF V600E in HeLa cells of mice."


@pytest.mark.parametrize(
    "system, written, canonical",
    [
        ("ncbi_gene", "673", "673"),
        ("ncbi_gene", "NCBIGene:673", "673"),
        ("ncbi_gene", "NCBI gene:673", "673"),
        ("ncbi_gene", "11998(Tax:10090)", "11998"),  # GNormPlus adds the species
        ("ncbi_gene", "11998(tax:10090)", "11998"),
        ("ncbi_taxon", "NCBITaxon:10090", "10090"),
        ("ncbi_taxon", "NCBI taxon:9606", "9606"),
        ("ncbi_taxon", "txid9606", "9606"),
        ("mesh", "MESH:D003920", "D003920"),
        ("mesh", "MeSH:C000589078", "C000589078"),
        ("mesh", "D003920", "D003920"),
        ("dbsnp", "RSID:2075789", "rs2075789"),  # tmVar 2
        ("dbsnp", "RS#:113488022", "rs113488022"),  # tmVar 3
        ("dbsnp", "rs113488022", "rs113488022"),
        ("dbsnp", "113488022", "rs113488022"),
        ("uniprot", "Uniprot:P05201", "P05201"),  # Bio-ID
        ("uniprot", "UniProtKB:q9y6k9-2", "Q9Y6K9-2"),
        ("uniprot", "A0A024R161", "A0A024R161"),
        ("cellosaurus", "CVCL_0030", "CVCL_0030"),
        ("cellosaurus", "CVCL:0030", "CVCL_0030"),
        ("cellosaurus", "Cellosaurus:cvcl_6412", "CVCL_6412"),
        ("umls", "UMLS:C0010674", "C0010674"),  # MedMentions
        ("umls", "C0010674", "C0010674"),
        ("obo", "Uberon:UBERON:0001891", "UBERON:0001891"),  # Bio-ID: database, then the CURIE
        ("obo", "GO:GO:0005634", "GO:0005634"),
        ("obo", "CHEBI:15377", "CHEBI:15377"),
        ("obo", "CL:0000057", "CL:0000057"),
    ],
)
def test_canonical_forms(system, written, canonical):
    assert canonical_id(system, written) == (canonical, True)


@pytest.mark.parametrize(
    "system, written",
    [("ncbi_gene", "BRAF"), ("mesh", "-1"), ("dbsnp", "p|SUB|V|600|E"), ("uniprot", "12345"),
     ("cellosaurus", "HeLa"), ("umls", "T047"), ("obo", "0005634")],
)
def test_ids_without_the_system_shape_are_flagged(system, written):
    value, shaped = canonical_id(system, written)
    assert not shaped and value == written


def test_every_system_is_in_the_option_schema():
    from medinst_core.default_plugins.formatters import FORMATTERS

    schema = FORMATTERS["ned"][3]["properties"]["id_systems"]
    assert schema["additionalProperties"]["enum"] == list(SYSTEMS)


def record(*norms_per_entity):
    spans = [(0, 4), (5, 10), (14, 18), (28, 32)]
    entities = [
        Entity(str(i), "T", [TEXT[s:e]], [(s, e)], [Normalization(db, i_) for db, i_ in norms])
        for i, ((s, e), norms) in enumerate(zip(spans, norms_per_entity))
    ]
    return KBRecord(id="d", document_id="d", passages=[Passage("p", "t", TEXT, [(0, len(TEXT))])], entities=entities)


def test_ned_writes_canonical_ids_and_renames_after():
    r = record([("NCBIGene", "673(Tax:9606)")], [("RSID", "113488022"), ("", "p|SUB|V|600|E")],
               [("Cellosaurus", "CVCL:0030")], [("NCBI taxon", "10090")])
    options = {
        "id_systems": {"NCBIGene": "ncbi_gene", "RSID": "dbsnp", "Cellosaurus": "cellosaurus", "NCBI taxon": "ncbi_taxon"},
        "databases": {"NCBIGene": "NCBIGene", "RSID": "dbSNP", "Cellosaurus": "Cellosaurus", "NCBI taxon": "NCBITaxon"},
    }
    diagnostics = Diagnostics()
    [draft] = ned(r, options, diagnostics)
    assert draft.output == ("[BRAF <NCBIGene/673>] [V600E <dbSNP/rs113488022>] [HeLa <Cellosaurus/CVCL_0030>] "
                            "[mice <NCBITaxon/10090>]")
    assert not diagnostics


def test_ned_counts_ids_of_the_wrong_shape_and_keeps_them():
    diagnostics = Diagnostics()
    [draft] = ned(record([("NCBIGene", "BRAF")]), {"id_systems": {"NCBIGene": "ncbi_gene"}}, diagnostics)
    assert draft.output == "[BRAF <NCBIGene/BRAF>]"
    assert diagnostics.as_dict()["ned.unexpected_id"]["count"] == 1


def test_the_same_id_written_two_ways_is_one_bracket():
    r = record([("dbSNP", "rs12"), ("dbSNP", "RS#:12")])
    [draft] = ned(r, {"id_systems": {"dbSNP": "dbsnp"}})
    assert draft.output == "[BRAF <dbSNP/rs12>]"
