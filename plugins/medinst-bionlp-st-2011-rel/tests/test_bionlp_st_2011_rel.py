"""Tests of the BioNLP-ST 2011 REL plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2011_rel"
TASKS = ('bionlp_st_2011_rel.ner', 'bionlp_st_2011_rel.re', 'bionlp_st_2011_rel.coref')
REAL = "BioNLP-ST-2011-REL"  # folder of the real files under the real-data directory
GOLD = ".rel"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2011_rel.ner:train': {
        'PMID-90000301': '[c-Myb <Protein>] [c-Jun <Protein>] [Jun proto-oncogene <Protein>] [c-Fos <Protein>]',
        'PMID-90000302': '[Insulin <Protein>] [insulin <Protein>]',
    },
    'bionlp_st_2011_rel.ner:dev': {
        'PMID-90000311': '[IL-8 <Protein>] [interleukin 8 <Protein>] [NF-kappaB <Protein>]',
    },
    'bionlp_st_2011_rel.ner:test': {
        'PMID-90000321': '[Cyclin D1 <Protein>] [CDK4 <Protein>]',
    },
    'bionlp_st_2011_rel.re:train': {
        'PMID-90000301': '[<c-Myb> <Protein-Component> <DNA-binding domain>] [<c-Jun> <Subunit-Complex> <AP-1 complex>] [<c-Fos> <Subunit-Complex> <AP-1 complex>]',
    },
    'bionlp_st_2011_rel.re:dev': {
        'PMID-90000311': '[<IL-8> <Protein-Component> <promoter>]',
    },
    'bionlp_st_2011_rel.coref:train': {
        'PMID-90000301:T2': '[Jun proto-oncogene]',
    },
    'bionlp_st_2011_rel.coref:dev': {
        'PMID-90000311:T1': '[interleukin 8]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 756,
    're': 378,
    'coref': 535,
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
# The bundled samples cover the openbiocorpora devel and test folders; these tests read every
# dev/test split from the official archives' folders too, and from a GitHub download of the
# openbiocorpora repository. The development files are .a1 + .rel (Equiv lines first, T Entity
# lines, R lines of both types, one with a trailing tab); the test folder has .a1 files only
# (the .rel files were withheld), one of them empty.

DEV = "BioNLP-ST_2011_Entity_Relations_development_data"
TEST = "BioNLP-ST_2011_Entity_Relations_test_data"
LAYOUTS = {
    "official": {"devel": f"downloads/{DEV}", "test": f"downloads/{TEST}"},
    "openbiocorpora": {"devel": "bionlp-st-2011-rel-master/original-data/devel",
                       "test": "bionlp-st-2011-rel-master/original-data/test"},
}
DEV_TEXT = ("Nuclear factor of activated T cells (NFAT) binds the IL-4 promoter.\n"
            "NFAT and AP-1 form a complex on the promoter.\n")
TEST_TEXT = "Cyclin E activates CDK2.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(dev, "PMID-92000311.txt", DEV_TEXT)
    write_file(dev, "PMID-92000311.a1", "".join([
        textbound(DEV_TEXT, "T1", "Protein", "Nuclear factor of activated T cells"), textbound(DEV_TEXT, "T2", "Protein", "NFAT"),
        textbound(DEV_TEXT, "T3", "Protein", "IL-4"), textbound(DEV_TEXT, "T4", "Protein", "NFAT", "\n"),
        textbound(DEV_TEXT, "T5", "Protein", "AP-1")]))
    write_file(dev, "PMID-92000311.rel", "".join([
        "*\tEquiv T1 T2\n",
        textbound(DEV_TEXT, "T6", "Entity", "promoter"), textbound(DEV_TEXT, "T7", "Entity", "complex"),
        "R1\tProtein-Component Arg1:T3 Arg2:T6\n", "R2\tSubunit-Complex Arg1:T4 Arg2:T7\t\n",
        "R3\tSubunit-Complex Arg1:T5 Arg2:T7\n"]))
    write_file(test, "PMID-92000321.txt", TEST_TEXT)
    write_file(test, "PMID-92000321.a1", textbound(TEST_TEXT, "T1", "Protein", "Cyclin E") + textbound(TEST_TEXT, "T2", "Protein", "CDK2"))
    write_file(test, "PMID-92000322.txt", "No protein is named in this abstract.\n")
    write_file(test, "PMID-92000322.a1", "")
    for folder in (dev, test):
        write_file(folder, "README", "Data for the supporting task.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2011_rel.ner", "dev"): (1, DEV_TEXT, {
        "PMID-92000311": "[Nuclear factor of activated T cells <Protein>] [NFAT <Protein>] [IL-4 <Protein>] "
                         "[NFAT <Protein>] [AP-1 <Protein>]"}),
    ("bionlp_st_2011_rel.ner", "test"): (2, TEST_TEXT, {"PMID-92000321": "[Cyclin E <Protein>] [CDK2 <Protein>]"}),
    ("bionlp_st_2011_rel.re", "dev"): (1, DEV_TEXT, {
        "PMID-92000311": "[<IL-4> <Protein-Component> <promoter>] [<NFAT> <Subunit-Complex> <complex>] "
                         "[<AP-1> <Subunit-Complex> <complex>]"}),
    ("bionlp_st_2011_rel.coref", "dev"): (1, DEV_TEXT + "\nEntity: Nuclear factor of activated T cells", {
        "PMID-92000311:T1": "[NFAT]"}),
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
