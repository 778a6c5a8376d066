"""Tests of the BioNLP-ST 2009 plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.plugin_api import MissingFilesError
from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    assert_split_builds,
    plugin_registry_fixture,
    task_samples,
    write_file,
)
from medinst_core.testing.brat import SharedTaskChecks, textbound

PLUGIN = "medinst_bionlp_st_2009"
TASKS = ('bionlp_st_2009.ner', 'bionlp_st_2009.ee', 'bionlp_st_2009.coref')
REAL = "BioNLP-ST-2009"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2009.ner:train': {
        '90000001': '[TRAF2 <Protein>] [LMP1 <Protein>] [TRAF2 <Protein>] [TNF receptor associated factor 2 <Protein>] [LMP1 <Protein>] [IL-6 <Protein>] [IL-6 <Protein>] [TRAF2 <Protein>]',
        '90000003': '[STAT3 <Protein>] [STAT3 <Protein>]',
    },
    'bionlp_st_2009.ner:dev': {
        '90000021': '[p53 <Protein>] [MDM2 <Protein>]',
    },
    'bionlp_st_2009.ner:test': {
        '90000011': '[CD40L <Protein>] [CD154 <Protein>] [NF-kappaB <Protein>]',
    },
    'bionlp_st_2009.ee:train': {
        '90000001': '[<Binding> <binds> <TRAF2>] [<Binding> <binds> <LMP1>] [<Binding> <binds> <TRAF2>] [<Binding> <binds> <LMP1>] [<Gene_expression> <expression> <IL-6>] [<Positive_regulation> <induced> <IL-6>]',
        '90000003': '[<Phosphorylation> <phosphorylation> <STAT3>] [<Phosphorylation> <phosphorylated> <STAT3>]',
    },
    'bionlp_st_2009.ee:dev': {
        '90000011': '[<Gene_expression> <Expression> <CD40L>]',
    },
    'bionlp_st_2009.coref:train': {
        '90000001:T3': '[TNF receptor associated factor 2]',
    },
    'bionlp_st_2009.coref:dev': {
        '90000011:T1': '[CD154]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 756,
    'ee': 695,
    'coref': 536,
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
# tests give every dev/test split in each layout a user may have: the official archives (which
# hold their files without a top folder, so they are unpacked into a folder named after the
# archive), the same with the archive's folder inside that folder, and a GitHub download of the
# openbiocorpora repository. The development files put their Equiv lines before the T lines, as
# the real ones do; the test folder has .a1 files only, one of them empty, and README/LICENSE.

DEV_ARCHIVE = "bionlp09_shared_task_development_data_rev1"
TEST_ARCHIVE = "bionlp09_shared_task_test_data_without_gold_annotation"
LAYOUTS = {
    "official": {"devel": f"downloads/{DEV_ARCHIVE}", "test": f"downloads/{TEST_ARCHIVE}"},
    "official, top folder kept": {"devel": f"{DEV_ARCHIVE}/{DEV_ARCHIVE}", "test": f"{TEST_ARCHIVE}/{TEST_ARCHIVE}"},
    "openbiocorpora": {"devel": "bionlp-st-2009-master/original-data/devel",
                       "test": "bionlp-st-2009-master/original-data/test"},
}
DEV_TEXT = "CD40 ligand (CD40L) is not expressed by resting T cells.\nCD40L binds CD40 and induces TRAF2 expression.\n"
TEST_TEXT = "p53 activates MDM2 transcription.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(dev, "91000001.txt", DEV_TEXT)
    write_file(dev, "91000001.a1", "".join([
        textbound(DEV_TEXT, "T1", "Protein", "CD40 ligand"), textbound(DEV_TEXT, "T2", "Protein", "CD40L", "("),
        textbound(DEV_TEXT, "T3", "Protein", "CD40L", "\n"), textbound(DEV_TEXT, "T4", "Protein", "CD40", "binds "),
        textbound(DEV_TEXT, "T5", "Protein", "TRAF2")]))
    write_file(dev, "91000001.a2", "".join([
        "*\tEquiv T1 T2\n",
        textbound(DEV_TEXT, "T6", "Gene_expression", "expressed"), textbound(DEV_TEXT, "T7", "Binding", "binds"),
        textbound(DEV_TEXT, "T8", "Positive_regulation", "induces"), textbound(DEV_TEXT, "T9", "Gene_expression", "expression"),
        "E1\tGene_expression:T6 Theme:T1\n", "M1\tNegation E1\n", "E2\tBinding:T7 Theme:T3 Theme2:T4\n",
        "E3\tPositive_regulation:T8 Theme:E4 Cause:T3\n", "E4\tGene_expression:T9 Theme:T5\n"]))
    write_file(test, "91000021.txt", TEST_TEXT)
    write_file(test, "91000021.a1", textbound(TEST_TEXT, "T1", "Protein", "p53") + textbound(TEST_TEXT, "T2", "Protein", "MDM2"))
    write_file(test, "91000022.txt", "No protein is named in this abstract.\n")
    write_file(test, "91000022.a1", "")
    for folder in (dev, test):
        write_file(folder, "README", "Data for the shared task.\n")
        write_file(folder, "LICENSE", "Terms of use.\n")


# task split -> (documents read, input, {sample key: output}); MedINST's NER dev is the test
# folder, whose empty .a1 gives a document without a sample
DISTRIBUTED = {
    ("bionlp_st_2009.ner", "dev"): (2, TEST_TEXT, {"91000021": "[p53 <Protein>] [MDM2 <Protein>]"}),
    ("bionlp_st_2009.ner", "test"): (1, DEV_TEXT, {
        "91000001": "[CD40 ligand <Protein>] [CD40L <Protein>] [CD40L <Protein>] [CD40 <Protein>] [TRAF2 <Protein>]"}),
    ("bionlp_st_2009.ee", "dev"): (1, DEV_TEXT, {
        "91000001": "[<Gene_expression> <expressed> <CD40 ligand>] [<Binding> <binds> <CD40L>] "
                    "[<Binding> <binds> <CD40>] [<Gene_expression> <expression> <TRAF2>]"}),
    ("bionlp_st_2009.coref", "dev"): (1, DEV_TEXT + "\nEntity: CD40 ligand", {"91000001:T1": "[CD40L]"}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("task_split", sorted(DISTRIBUTED), ids=":".join)
def test_distributed_dev_and_test_layouts(registry, tmp_path, layout, task_split):
    _distribution(tmp_path, LAYOUTS[layout])
    records, text, outputs = DISTRIBUTED[task_split]
    assert_split_builds(registry, *task_split, tmp_path, records=records, outputs=outputs, inputs=[text])


def test_archives_unpacked_without_their_folder(registry, tmp_path):
    # the 2009 archives have no top folder: unpacked straight into the data folder, the splits
    # cannot be told apart, and the error names the folders that were expected
    _distribution(tmp_path, {"devel": ".", "test": "."})
    with pytest.raises(MissingFilesError, match="bionlp09_shared_task_test_data"):
        task_samples(registry, "bionlp_st_2009.ner", "dev", tmp_path)
    with pytest.raises(MissingFilesError, match="bionlp09_shared_task_development_data"):
        task_samples(registry, "bionlp_st_2009.ee", "dev", tmp_path)


def test_macos_companion_files_are_skipped(registry, tmp_path):
    # an archive re-packed on macOS carries a binary ._<name> companion beside every file, and
    # again under __MACOSX/; none of them is a document
    folders = LAYOUTS["official"]
    _distribution(tmp_path, folders)
    add_macos_companions(tmp_path)
    for (task_id, split), (records, _text, outputs) in DISTRIBUTED.items():
        assert_split_builds(registry, task_id, split, tmp_path, records=records, outputs=outputs)
