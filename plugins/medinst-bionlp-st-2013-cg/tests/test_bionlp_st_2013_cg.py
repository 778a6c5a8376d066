"""Tests of the BioNLP-ST 2013 CG plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    assert_split_builds,
    plugin_registry_fixture,
    write_file,
)
from medinst_core.testing.brat import SharedTaskChecks, textbound

PLUGIN = "medinst_bionlp_st_2013_cg"
TASKS = ('bionlp_st_2013_cg.ner', 'bionlp_st_2013_cg.ee', 'bionlp_st_2013_cg.coref')
REAL = "BioNLP-ST-2013-CG"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2013_cg.ner:train': {
        'PMID-90000401': '[VEGF <Gene_or_gene_product>] [glioblastoma <Cancer>] [bevacizumab <Simple_chemical>] [endothelial cells <Cell>] [mice <Organism>] [Vascular endothelial growth factor <Gene_or_gene_product>] [VEGF-A <Gene_or_gene_product>] [tumour stroma <Tissue>] [TP53 <Gene_or_gene_product>]',
        'PMID-90000402': '[Melanoma <Cancer>] [liver <Organ>]',
    },
    'bionlp_st_2013_cg.ner:dev': {
        'PMID-90000411': '[HER2 <Gene_or_gene_product>] [breast carcinoma <Cancer>] [ERBB2 <Gene_or_gene_product>] [HER2 <Gene_or_gene_product>]',
    },
    'bionlp_st_2013_cg.ner:test': {
        'PMID-90000421': '[Cisplatin <Simple_chemical>] [ovarian cancer <Cancer>] [tumour cells <Cell>] [ABCB1 <Gene_or_gene_product>]',
    },
    'bionlp_st_2013_cg.ee:train': {
        'PMID-90000401': '[<Cell_proliferation> <proliferation> <endothelial cells>] [<Gene_expression> <expressed> <VEGF-A>]',
        'PMID-90000402': '[<Metastasis> <spreads> <Melanoma>]',
    },
    'bionlp_st_2013_cg.ee:dev': {
        'PMID-90000411': '[<Gene_expression> <overexpression> <HER2>]',
    },
    'bionlp_st_2013_cg.coref:train': {
        'PMID-90000401:T6': '[VEGF-A]',
    },
    'bionlp_st_2013_cg.coref:dev': {
        'PMID-90000411:T4': '[HER2]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 300,
    'ee': 299,
    'coref': 466,
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


class TestSharedTask(SharedTaskChecks):
    plugin = PLUGIN
    tasks = TASKS
    real_train = f"{REAL}/original-data/train"
    gold = GOLD
    real_counts = REAL_TRAIN
    bundled = BUNDLED


registry = plugin_registry_fixture(PLUGIN)


# -- the development and test archives, as distributed (hand-written files) ----
#
# The bundled samples cover the openbiocorpora devel folder and the official test folder; these
# tests read every dev/test split from the official archives' folders (also spelt
# BioNLP-ST-2013_..., as the 2013 GE archives are), and from a GitHub download of the
# openbiocorpora repository. The development .a2 is laid out as the real ones are: Equiv lines
# first, each E line right after its trigger, events that refer to events defined further down,
# argument-less events written with a trailing space, Instrument arguments, M lines. The test
# folder has .a1 files only.

DEV = "BioNLP-ST_2013_CG_development_data"
TEST = "BioNLP-ST_2013_CG_test_data"
LAYOUTS = {
    "official": {"devel": f"downloads/{DEV}", "test": f"downloads/{TEST}"},
    "official, BioNLP-ST-2013 spelling": {"devel": "downloads/BioNLP-ST-2013_CG_development_data",
                                          "test": "downloads/BioNLP-ST-2013_CG_test_data"},
    "openbiocorpora": {"devel": "bionlp-st-2013-cg-master/original-data/devel",
                       "test": "bionlp-st-2013-cg-master/original-data/test"},
}
DEV_TEXT = ("Sunitinib inhibits angiogenesis induced by VEGF expression in renal carcinoma.\n"
            "Tumour cells (TC) were treated with sunitinib.\n")
TEST_TEXT = "Loss of PTEN promotes glioma growth in mice.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(dev, "PMID-92000411.txt", DEV_TEXT)
    write_file(dev, "PMID-92000411.a1", "".join([
        textbound(DEV_TEXT, "T1", "Simple_chemical", "Sunitinib"), textbound(DEV_TEXT, "T2", "Gene_or_gene_product", "VEGF"),
        textbound(DEV_TEXT, "T3", "Cancer", "renal carcinoma"), textbound(DEV_TEXT, "T4", "Cell", "Tumour cells"),
        textbound(DEV_TEXT, "T5", "Cell", "TC"), textbound(DEV_TEXT, "T6", "Simple_chemical", "sunitinib")]))
    write_file(dev, "PMID-92000411.a2", "".join([
        "*\tEquiv T4 T5\n",
        textbound(DEV_TEXT, "T7", "Negative_regulation", "inhibits"), "E1\tNegative_regulation:T7 Theme:E2 Cause:T1\n",
        textbound(DEV_TEXT, "T8", "Blood_vessel_development", "angiogenesis"), "E2\tBlood_vessel_development:T8 \n",
        textbound(DEV_TEXT, "T9", "Positive_regulation", "induced"), "E3\tPositive_regulation:T9 Cause:E5 Theme:E2\n",
        textbound(DEV_TEXT, "T10", "Planned_process", "treated"), "E4\tPlanned_process:T10 Instrument:T6 Theme:T4\n",
        "M1\tSpeculation E4\n",
        textbound(DEV_TEXT, "T11", "Gene_expression", "expression"), "E5\tGene_expression:T11 Theme:T2\n"]))
    write_file(test, "PMID-92000421.txt", TEST_TEXT)
    write_file(test, "PMID-92000421.a1", textbound(TEST_TEXT, "T1", "Gene_or_gene_product", "PTEN")
           + textbound(TEST_TEXT, "T2", "Cancer", "glioma") + textbound(TEST_TEXT, "T3", "Organism", "mice"))
    for folder in (dev, test):
        write_file(folder, "README", "Data for the shared task.\n")
        write_file(folder, "LICENSE", "Terms of use.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2013_cg.ner", "dev"): (1, DEV_TEXT, {
        "PMID-92000411": "[Sunitinib <Simple_chemical>] [VEGF <Gene_or_gene_product>] [renal carcinoma <Cancer>] "
                         "[Tumour cells <Cell>] [TC <Cell>] [sunitinib <Simple_chemical>]"}),
    ("bionlp_st_2013_cg.ner", "test"): (1, TEST_TEXT, {
        "PMID-92000421": "[PTEN <Gene_or_gene_product>] [glioma <Cancer>] [mice <Organism>]"}),
    ("bionlp_st_2013_cg.ee", "dev"): (1, DEV_TEXT, {
        "PMID-92000411": "[<Gene_expression> <expression> <VEGF>] [<Planned_process> <treated> <Tumour cells>]"}),
    ("bionlp_st_2013_cg.coref", "dev"): (1, DEV_TEXT + "\nEntity: Tumour cells", {"PMID-92000411:T4": "[TC]"}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("task_split", sorted(DISTRIBUTED), ids=":".join)
def test_distributed_dev_and_test_layouts(registry, tmp_path, layout, task_split):
    _distribution(tmp_path, LAYOUTS[layout])
    records, text, outputs = DISTRIBUTED[task_split]
    assert_split_builds(registry, *task_split, tmp_path, records=records, outputs=outputs, inputs=[text])


def test_macos_companion_files_are_skipped(registry, tmp_path):
    # an archive re-packed on macOS carries a binary ._<name> companion beside every file, and
    # again under __MACOSX/; none of them is a document
    folders = LAYOUTS["official"]
    _distribution(tmp_path, folders)
    add_macos_companions(tmp_path)
    for (task_id, split), (records, _text, outputs) in DISTRIBUTED.items():
        assert_split_builds(registry, task_id, split, tmp_path, records=records, outputs=outputs)
