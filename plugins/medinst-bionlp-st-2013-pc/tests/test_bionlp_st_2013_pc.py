"""Tests of the BioNLP-ST 2013 PC plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2013_pc"
TASKS = ('bionlp_st_2013_pc.ner', 'bionlp_st_2013_pc.ee', 'bionlp_st_2013_pc.coref')
REAL = "BioNLP-ST-2013-PC"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2013_pc.ner:train': {
        'PMID-90000701': '[MEK1 <Gene_or_gene_product>] [ERK2 <Gene_or_gene_product>] [Mitogen-activated protein kinase kinase 1 <Gene_or_gene_product>] [MEK1 <Gene_or_gene_product>] [ERK2 <Gene_or_gene_product>] [threonine <Simple_chemical>] [ERK2 <Gene_or_gene_product>] [RSK <Gene_or_gene_product>] [ERK2-RSK complex <Complex>] [cytoplasm <Cellular_component>]',
        'PMID-90000702': '[Glucose <Simple_chemical>]',
    },
    'bionlp_st_2013_pc.ner:dev': {
        'PMID-90000711': '[AKT <Gene_or_gene_product>] [GSK3B <Gene_or_gene_product>] [Glycogen synthase kinase 3 beta <Gene_or_gene_product>] [GSK3B <Gene_or_gene_product>]',
    },
    'bionlp_st_2013_pc.ner:test': {
        'PMID-90000721': '[mTOR <Gene_or_gene_product>] [rapamycin <Simple_chemical>] [mTORC1 <Complex>] [lysosome <Cellular_component>]',
    },
    'bionlp_st_2013_pc.ee:train': {
        'PMID-90000701': '[<Phosphorylation> <phosphorylates> <ERK2>] [<Phosphorylation> <phosphorylation> <ERK2>] [<Binding> <binding> <ERK2>] [<Binding> <binding> <RSK>]',
    },
    'bionlp_st_2013_pc.ee:dev': {
        'PMID-90000711': '[<Inactivation> <inactivates> <GSK3B>]',
    },
    'bionlp_st_2013_pc.coref:train': {
        'PMID-90000701:T3': '[MEK1]',
    },
    'bionlp_st_2013_pc.coref:dev': {
        'PMID-90000711:T4': '[GSK3B]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 260,
    'ee': 257,
    'coref': 455,
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
# openbiocorpora repository. The development .a2 is laid out as the real ones are (Equiv lines
# first, each E line right after its trigger) with the task's argument kinds: a Pathway with a
# Participant only, Theme2, Cause, Site on an .a2 Entity, AtLoc. The test folder has .a1 only.

DEV = "BioNLP-ST_2013_PC_development_data"
TEST = "BioNLP-ST_2013_PC_test_data"
LAYOUTS = {
    "official": {"devel": f"downloads/{DEV}", "test": f"downloads/{TEST}"},
    "official, BioNLP-ST-2013 spelling": {"devel": "downloads/BioNLP-ST-2013_PC_development_data",
                                          "test": "downloads/BioNLP-ST-2013_PC_test_data"},
    "openbiocorpora": {"devel": "bionlp-st-2013-pc-master/original-data/devel",
                       "test": "bionlp-st-2013-pc-master/original-data/test"},
}
DEV_TEXT = ("Glucose uptake requires the MAPK pathway: it is activated and ERK phosphorylates Elk-1 at serine 383.\n"
            "The extracellular signal-regulated kinase (ERK) binds Elk-1 in the nucleus.\n")
TEST_TEXT = "The p53-MDM2 complex is degraded in the cytoplasm.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    gene = "Gene_or_gene_product"
    write_file(dev, "PMID-92000711.txt", DEV_TEXT)
    write_file(dev, "PMID-92000711.a1", "".join([
        textbound(DEV_TEXT, "T1", "Simple_chemical", "Glucose"), textbound(DEV_TEXT, "T2", gene, "MAPK"),
        textbound(DEV_TEXT, "T3", gene, "ERK"), textbound(DEV_TEXT, "T4", gene, "Elk-1"),
        textbound(DEV_TEXT, "T5", gene, "extracellular signal-regulated kinase"), textbound(DEV_TEXT, "T6", gene, "ERK", "("),
        textbound(DEV_TEXT, "T7", gene, "Elk-1", "binds "), textbound(DEV_TEXT, "T8", "Cellular_component", "nucleus")]))
    write_file(dev, "PMID-92000711.a2", "".join([
        "*\tEquiv T5 T6\n",
        textbound(DEV_TEXT, "T9", "Entity", "serine 383"),
        textbound(DEV_TEXT, "T10", "Transport", "uptake"), "E1\tTransport:T10 Theme:T1\n",
        textbound(DEV_TEXT, "T11", "Pathway", "pathway"), "E2\tPathway:T11 Participant:T2\n",
        textbound(DEV_TEXT, "T12", "Positive_regulation", "activated"), "E3\tPositive_regulation:T12 Theme:E2\n",
        textbound(DEV_TEXT, "T13", "Phosphorylation", "phosphorylates"), "E4\tPhosphorylation:T13 Theme:T4 Cause:T3 Site:T9\n",
        textbound(DEV_TEXT, "T14", "Binding", "binds"), "E5\tBinding:T14 Theme:T6 Theme2:T7 AtLoc:T8\n"]))
    write_file(test, "PMID-92000721.txt", TEST_TEXT)
    write_file(test, "PMID-92000721.a1", textbound(TEST_TEXT, "T1", "Complex", "p53-MDM2 complex")
           + textbound(TEST_TEXT, "T2", "Cellular_component", "cytoplasm"))
    for folder in (dev, test):
        write_file(folder, "README", "Data for the shared task.\n")
        write_file(folder, "LICENSE", "Terms of use.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2013_pc.ner", "dev"): (1, DEV_TEXT, {
        "PMID-92000711": "[Glucose <Simple_chemical>] [MAPK <Gene_or_gene_product>] [ERK <Gene_or_gene_product>] "
                         "[Elk-1 <Gene_or_gene_product>] [extracellular signal-regulated kinase <Gene_or_gene_product>] "
                         "[ERK <Gene_or_gene_product>] [Elk-1 <Gene_or_gene_product>] [nucleus <Cellular_component>]"}),
    ("bionlp_st_2013_pc.ner", "test"): (1, TEST_TEXT, {
        "PMID-92000721": "[p53-MDM2 complex <Complex>] [cytoplasm <Cellular_component>]"}),
    ("bionlp_st_2013_pc.ee", "dev"): (1, DEV_TEXT, {
        "PMID-92000711": "[<Transport> <uptake> <Glucose>] [<Phosphorylation> <phosphorylates> <Elk-1>] "
                         "[<Binding> <binds> <ERK>] [<Binding> <binds> <Elk-1>]"}),
    ("bionlp_st_2013_pc.coref", "dev"): (1, DEV_TEXT + "\nEntity: extracellular signal-regulated kinase", {
        "PMID-92000711:T5": "[ERK]"}),
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
