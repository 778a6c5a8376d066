"""Tests of the BioNLP-ST 2013 GRO plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2013_gro"
TASKS = ('bionlp_st_2013_gro.ner', 'bionlp_st_2013_gro.re')
REAL = "BioNLP-ST-2013-GRO"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2013_gro.ner:train': {
        'PMID-90000601': '[RFX 5 <TranscriptionFactor>] [MHC class II promoter <Promoter>] [human <Eukaryote>] [B cells <Cell>] [HLA-DRA <Gene>] [nucleus <Nucleus>] [CIITA <Protein>] [coactivator domain <ProteinDomain>]',
        'PMID-90000602': '[Myostatin <Protein>] [cattle <Eukaryote>] [MSTN <Gene>] [myostatin <Protein>]',
    },
    'bionlp_st_2013_gro.ner:dev': {
        'PMID-90000611': '[Telomerase <Enzyme>] [activity <Function>] [stem cells <Cell>] [TERT <Gene>] [exons IV <Exon>]',
    },
    'bionlp_st_2013_gro.ner:test': {
        'PMID-90000621': '[Hemoglobin <Protein>] [mice <Eukaryote>] [Hbb <Gene>] [globin genes <Gene>]',
    },
    'bionlp_st_2013_gro.re:train': {
        'PMID-90000601': '[<B cells> <fromSpecies> <human>] [<HLA-DRA> <locatedIn> <nucleus>] [<CIITA> <hasPart> <coactivator domain>]',
        'PMID-90000602': '[<Myostatin> <fromSpecies> <cattle>] [<MSTN> <encodes> <myostatin>]',
    },
    'bionlp_st_2013_gro.re:dev': {
        'PMID-90000611': '[<Telomerase> <hasFunction> <activity>] [<Telomerase> <locatedIn> <stem cells>]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 150,
    're': 149,
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
# tests read every dev/test split from the official archives' folders (the development data and
# the test archive BioNLP-ST_2013_GRO_test-1.0-a1.tgz), from folders named otherwise after the
# GRO archives (BioNLP-ST-2013 spelling, dev/devel/test_data endings), and from a GitHub download
# of the openbiocorpora repository. The development files have discontinuous mentions (one with
# its fragments out of text order), an AnnotatorNotes line, an argument-less event with a trailing
# space, relations of which one has an event argument (left out) and one a trailing tab; the test
# folder has .a1 files only, with discontinuous mentions.

LAYOUTS = {
    "official": {"devel": "downloads/BioNLP-ST_2013_GRO_development_data",
                 "test": "downloads/BioNLP-ST_2013_GRO_test-1.0-a1"},
    "official, other names": {"devel": "downloads/BioNLP-ST-2013_GRO_devel", "test": "downloads/BioNLP-ST_2013_GRO_test_data"},
    "openbiocorpora": {"devel": "bionlp-st-2013-gro-master/original-data/devel",
                       "test": "bionlp-st-2013-gro-master/original-data/test"},
}
DEV_TEXT = ("The human insulin gene is expressed in fetal pancreatic cells.\n"
            "RFX 1 and 3 bind the promoter of the insulin gene in diabetes.\n")
TEST_TEXT = "Mouse Hbb and Hba genes encode globin chains.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(dev, "PMID-92000611.txt", DEV_TEXT)
    write_file(dev, "PMID-92000611.a1", "".join([
        textbound(DEV_TEXT, "T1", "Eukaryote", "human"), textbound(DEV_TEXT, "T2", "Gene", "insulin gene"),
        textbound(DEV_TEXT, "T3", "Cell", [("cells", "pancreatic "), ("fetal", "")]),  # fragments out of text order
        textbound(DEV_TEXT, "T4", "Cell", "pancreatic cells"), textbound(DEV_TEXT, "T5", "TranscriptionFactor", "RFX 1"),
        textbound(DEV_TEXT, "T6", "TranscriptionFactor", [("RFX", ""), ("3", "and ")]), textbound(DEV_TEXT, "T7", "Promoter", "promoter"),
        textbound(DEV_TEXT, "T8", "Gene", "insulin gene", "of the ")]))
    write_file(dev, "PMID-92000611.a2", "".join([
        "R1\tfromSpecies Arg1:T2 Arg2:T1\n",
        textbound(DEV_TEXT, "T9", "GeneExpression", "expressed"), "E1\tGeneExpression:T9 hasPatient:T2\n",
        "R2\tlocatedIn Arg1:E1 Arg2:T4\n",
        textbound(DEV_TEXT, "T10", "Binding", "bind"), "E2\tBinding:T10 hasAgent:T5 hasAgent2:T6 hasPatient:T7\n",
        "R3\thasPart Arg1:T8 Arg2:T7\t\n",
        textbound(DEV_TEXT, "T11", "Disease", "diabetes"), "E3\tDisease:T11 \n",
        "#1\tAnnotatorNotes T3\tcells of the fetal pancreas\n"]))
    write_file(test, "PMID-92000621.txt", TEST_TEXT)
    write_file(test, "PMID-92000621.a1", "".join([
        textbound(TEST_TEXT, "T1", "Eukaryote", "Mouse"), textbound(TEST_TEXT, "T2", "Gene", [("Hbb", ""), ("genes", "Hba ")]),
        textbound(TEST_TEXT, "T3", "Gene", "Hba genes"), textbound(TEST_TEXT, "T4", "Protein", "globin chains")]))
    for folder in (dev, test):
        write_file(folder, "README", "Data for the GRO task.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2013_gro.ner", "dev"): (1, DEV_TEXT, {
        "PMID-92000611": "[human <Eukaryote>] [insulin gene <Gene>] [cells fetal <Cell>] [pancreatic cells <Cell>] "
                         "[RFX 1 <TranscriptionFactor>] [RFX 3 <TranscriptionFactor>] [promoter <Promoter>] "
                         "[insulin gene <Gene>]"}),
    ("bionlp_st_2013_gro.ner", "test"): (1, TEST_TEXT, {
        "PMID-92000621": "[Mouse <Eukaryote>] [Hbb genes <Gene>] [Hba genes <Gene>] [globin chains <Protein>]"}),
    ("bionlp_st_2013_gro.re", "dev"): (1, DEV_TEXT, {
        "PMID-92000611": "[<insulin gene> <fromSpecies> <human>] [<insulin gene> <hasPart> <promoter>]"}),
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
