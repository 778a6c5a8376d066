from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from medinst_tmvar_v3.reader import DATABASES, read_tmvar3, variant_links

from medinst_core.plugin_api import Diagnostics, FileIndex, Normalization
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

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
        # Gene: is the corpus's other spelling of CorrespondingGene:
        ([N("", "p|SUB|G|12|D"), N("Gene", "3845")], [N("tmVar", "p|SUB|G|12|D"), N("NCBIGene", "3845")]),
        # several ids after one prefix, joined by commas: one link each (a tmVar id is never split)
        (
            [N("", "c|SUB|C|35,36|T"), N("CorrespondingGene", "7157,7158"), N("RS#", "121913343, 28934578"),
             N("VariantGroup", "0,1")],
            [N("tmVar", "c|SUB|C|35,36|T"), N("NCBIGene", "7157"), N("NCBIGene", "7158"), N("dbSNP", "rs121913343"),
             N("dbSNP", "rs28934578")],
        ),
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


# The whole corpus is one file, tmVar3Corpus.txt, in the FTP folder pub/lu/tmVar3/ (next to the tool's
# archive and the annotation guideline).  These lines are written for the test in its layout: six
# tab-separated columns per mention, identifier forms that the bundled sample does not have.
FTP_FILE = "\n".join([
    "91000001|t|TP53 and TP63 variants in a family.",
    "91000001|a|The R175H change was seen with rs121913529 and with KRAS G12D.",
    "91000001\t0\t4\tTP53\tGene\t7157",
    "91000001\t9\t13\tTP63\tGene\t8626;7157",
    "91000001\t40\t45\tR175H\tProteinMutation\tp|SUB|R|175|H;CorrespondingGene:7157,8626;RS#:28934578",
    "91000001\t67\t78\trs121913529\tSNP\trs121913529;Va1iantGroup:1;Disease:D009369",
    "91000001\t88\t92\tKRAS\tGene\t3845",
    "91000001\t93\t97\tG12D\tProteinMutation\tp|SUB|G|12|D;Gene:3845",
    "",
    "91000002|t|Variant screening in zebrafish.",
    "91000002|a|No changes were found in the fish or in HeLa cells.",
    "91000002\t21\t30\tzebrafish\tSpecies\t7955",
    "91000002\t72\t76\tHeLa\tCellLine\tCVCL_0030",
    "",
])


def test_ftp_layout_and_identifier_forms(registry, tmp_path):
    folder = tmp_path / "pub" / "lu" / "tmVar3"
    folder.mkdir(parents=True)
    (folder / "tmVar3Corpus.txt").write_text(FTP_FILE, encoding="utf-8")
    (folder / "tmVar3.tar.gz").write_bytes(b"")  # the tool, not read
    diagnostics = Diagnostics()
    ner = {s["id"]: s["output"] for s in task_samples(registry, "tmvar_v3.ner", "test", tmp_path,
                                                       diagnostics=diagnostics)}
    ned = {s["id"]: s["output"] for s in task_samples(registry, "tmvar_v3.ned", "test", tmp_path)}
    assert diagnostics.as_dict() == {}  # every offset matches its text
    assert ner == {
        "tmvar_v3.ner:test:91000001": "[TP53 <Gene>] [TP63 <Gene>] [R175H <ProteinMutation>] [rs121913529 <SNP>] "
                                       "[KRAS <Gene>] [G12D <ProteinMutation>]",
        "tmvar_v3.ner:test:91000002": "[zebrafish <Species>] [HeLa <CellLine>]",
    }
    # the second abstract has only a species and a cell line: nothing to link, no NED sample
    assert ned == {
        "tmvar_v3.ned:test:91000001": "[TP53 <NCBIGene/7157>] [TP63 <NCBIGene/8626>] [TP63 <NCBIGene/7157>] "
                                       "[R175H <tmVar/p|SUB|R|175|H>] [R175H <NCBIGene/7157>] [R175H <NCBIGene/8626>] "
                                       "[R175H <dbSNP/rs28934578>] [rs121913529 <dbSNP/rs121913529>] "
                                       "[KRAS <NCBIGene/3845>] [G12D <tmVar/p|SUB|G|12|D>] [G12D <NCBIGene/3845>]",
    }


def test_relation_lines_and_extra_columns_change_nothing(registry, tmp_path):
    """tmVar3Corpus.txt has six columns per mention and no relation line; PubTator files of the same group
    (tmVar 2, BioRED) add both.  A relation line and a seventh column are read past, not an error."""
    lines = FTP_FILE.split("\n")
    lines[4] += "\tNovel"  # a seventh column on the R175H line
    lines.insert(8, "91000001\tAssociation\tp|SUB|R|175|H\t7157")
    extended, plain = tmp_path / "extended", tmp_path / "plain"
    for folder, text in ((extended, "\n".join(lines)), (plain, FTP_FILE)):
        folder.mkdir()
        (folder / "tmVar3Corpus.txt").write_text(text, encoding="utf-8")
    for task_id in TASKS:
        samples = task_samples(registry, task_id, "test", extended)
        assert samples and samples == task_samples(registry, task_id, "test", plain)


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
