from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.records import Normalization
from medinst_core.sources import FileIndex
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples
from medinst_tmvar_v3.reader import DATABASES, read_tmvar3, variant_links

PLUGIN = "medinst_tmvar_v3"
TASKS = ("tmvar_v3.ner", "tmvar_v3.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def N(db: str, i: str) -> Normalization:
    return Normalization(db, i)


@pytest.mark.parametrize(
    "parts, links",
    [
        # a full variant identifier: tmVar id, HGVS, group, gene, dbSNP
        (
            [N("", "p|SUB|V|600|E"), N("HGVS", "p.V600E"), N("VariantGroup", "0"), N("CorrespondingGene", "673"),
             N("RS#", "113488022")],
            [N("tmVar", "p|SUB|V|600|E"), N("NCBIGene", "673"), N("dbSNP", "rs113488022")],
        ),
        # the file's misspelt group prefix is a group all the same, and dropped
        ([N("", "c|Allele|T|677"), N("Va1iantGroup", "0")], [N("tmVar", "c|Allele|T|677")]),
        # a bare rs number is a dbSNP id; duplicates collapse
        ([N("", "rs80338939"), N("RS#", "80338939")], [N("dbSNP", "rs80338939")]),
        # unknown kinds (ClinGen allele, disease) are dropped
        ([N("CA#", "123"), N("Disease", "D009369")], []),
    ],
)
def test_variant_links(parts, links):
    assert list(variant_links(tuple(parts), DATABASES)) == links


def test_databases_option_renames_and_keeps(tmp_path):
    files = FileIndex(SAMPLES).resolve({"data": ["tmVar3Corpus.txt"]}, what="t")
    options = {
        "pubtator": {"id_separators": [";"], "db_names": {"Gene": "NCBIGene"}},
        "databases": {"HGVS": "HGVS", "RS#": "dbSNP"},
    }
    [first, *_] = read_tmvar3(files, options, Diagnostics())
    v600e = next(e for e in first.entities if e.text == ("V600E",))
    assert list(v600e.normalized) == [N("HGVS", "p.V600E"), N("dbSNP", "rs113488022")]
    braf = next(e for e in first.entities if e.text == ("BRAF",))
    assert list(braf.normalized) == [N("NCBIGene", "673")]


def test_bundled_document_without_mentions_is_dropped(registry):
    assert (SAMPLES / "tmVar3Corpus.txt").read_text().count("|t|") == 4
    for task_id in TASKS:
        assert [s["id"].rsplit(":", 1)[1] for s in task_samples(registry, task_id, "test", SAMPLES)] == [
            "90003001", "90003002", "90003003"
        ]


def test_bundled_ned_links_variants_and_genes_only(registry):
    samples = {s["id"].rsplit(":", 1)[1]: s["output"] for s in task_samples(registry, "tmvar_v3.ned", "test", SAMPLES)}
    out = samples["90003001"]
    assert out.startswith(
        "[BRAF <NCBIGene/673>] [V600E <tmVar/p|SUB|V|600|E>] [V600E <NCBIGene/673>] [V600E <dbSNP/rs113488022>]"
    )
    assert "patients" not in out and "8505C" not in out  # species and cell lines are not linked in this task
    assert "VariantGroup" not in out and "HGVS" not in out
    assert "[677T <tmVar/c|Allele|T|677>] [677T <NCBIGene/4524>]" in samples["90003003"]


def test_bundled_ner_lists_every_type(registry):
    samples = {s["id"].rsplit(":", 1)[1]: s["output"] for s in task_samples(registry, "tmvar_v3.ner", "test", SAMPLES)}
    assert samples["90003003"] == (
        "[MTHFR <Gene>] [677T <DNAAllele>] [alanine-to-valine <AcidChange>] [Ala222 <ProteinAllele>] "
        "[mice <Species>] [humans <Species>]"
    )


def test_misplaced_offsets_are_a_warning_not_an_error(registry, tmp_path):
    # the real corpus has one abstract whose mention offsets are a few characters off
    text = (SAMPLES / "tmVar3Corpus.txt").read_text()
    text = text.replace("90003002\t14\t18\tCFTR", "90003002\t13\t17\tCFTR")
    (tmp_path / "tmVar3Corpus.txt").write_text(text)
    diagnostics = Diagnostics()
    samples = task_samples(registry, "tmvar_v3.ner", "test", tmp_path, diagnostics=diagnostics)
    assert len(samples) == 3
    assert samples[1]["output"].startswith("[CFTR <Gene>]")
    assert diagnostics.as_dict()["offset_mismatch"]["count"] == 1


def test_real_corpus(registry, medinst_real_data):
    path = next(iter(sorted(medinst_real_data.rglob("tmVar3Corpus.txt"))), None)
    if path is None:
        pytest.skip("tmVar3Corpus.txt is not among the real files")
    with_mentions = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        cols = line.split("\t")
        if len(cols) >= 6 and cols[1].isdigit():
            with_mentions.add(cols[0])
    samples = task_samples(registry, "tmvar_v3.ner", "test", path.parent)
    assert len(samples) == len(with_mentions) == 493
