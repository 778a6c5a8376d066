"""Tests of the BioNLP-ST 2011 GE plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2011_ge"
TASKS = ('bionlp_st_2011_ge.ner', 'bionlp_st_2011_ge.ee', 'bionlp_st_2011_ge.coref')
REAL = "BioNLP-ST-2011-GE"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2011_ge.ner:train': {
        'PMC-9000102-01-Results-01': '[RelA <Protein>] [p50 <Protein>]',
        'PMID-90000101': '[IRF-4 <Protein>] [Interferon regulatory factor 4 <Protein>] [IRF-4 <Protein>] [BCR <Protein>]',
    },
    'bionlp_st_2011_ge.ner:test': {
        'PMID-90000121': '[Bcl-2 <Protein>] [Bcl-2 <Protein>]',
    },
    'bionlp_st_2011_ge.ee:train': {
        'PMC-9000102-01-Results-01': '[<Localization> <moved> <RelA>] [<Binding> <associated> <RelA>] [<Binding> <associated> <p50>]',
        'PMID-90000101': '[<Gene_expression> <expression> <IRF-4>] [<Transcription> <transcribed> <IRF-4>]',
    },
    'bionlp_st_2011_ge.coref:train': {
        'PMID-90000101:T2': '[IRF-4]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 856,
    'ee': 765,
    'coref': 571,
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


# -- the test archive, as distributed (hand-written files) ----------------------
#
# The bundled samples cover the openbiocorpora test folder; these tests read the test split from
# the official archive's folder too, and from a GitHub download of the openbiocorpora repository.
# The test folder has .a1 files only (an empty one for a full-text section without proteins),
# PubMed abstracts next to PMC full-text sections, and README/LICENSE; the development archive
# beside it is read by no task (MedINST has no dev split for this corpus).

LAYOUTS = {
    "official": {"devel": "downloads/BioNLP-ST_2011_genia_devel_data_rev1", "test": "downloads/BioNLP-ST_2011_genia_test_data"},
    "openbiocorpora": {"devel": "bionlp-st-2011-ge-master/original-data/devel",
                       "test": "bionlp-st-2011-ge-master/original-data/test"},
}
ABSTRACT = "Stimulation of T cells induces IL-2 and the IL-2 receptor alpha chain.\n"
SECTION = "Results\nIn these cells TRAF6 was ubiquitinated.\n"
DEV_TEXT = "STAT6 is phosphorylated.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(test, "PMID-92000001.txt", ABSTRACT)
    write_file(test, "PMID-92000001.a1", textbound(ABSTRACT, "T1", "Protein", "IL-2", "induces ")
           + textbound(ABSTRACT, "T2", "Protein", "IL-2 receptor alpha chain"))
    write_file(test, "PMC-9200002-03-Methods-01.txt", "Cell culture\nJurkat cells were grown in RPMI medium.\n")
    write_file(test, "PMC-9200002-03-Methods-01.a1", "")
    write_file(test, "PMC-9200002-04-Results-02.txt", SECTION)
    write_file(test, "PMC-9200002-04-Results-02.a1", textbound(SECTION, "T1", "Protein", "TRAF6"))
    write_file(dev, "PMID-92000011.txt", DEV_TEXT)
    write_file(dev, "PMID-92000011.a1", textbound(DEV_TEXT, "T1", "Protein", "STAT6"))
    write_file(dev, "PMID-92000011.a2", textbound(DEV_TEXT, "T2", "Phosphorylation", "phosphorylated")
           + "E1\tPhosphorylation:T2 Theme:T1\n")
    for folder in (dev, test):
        write_file(folder, "README", "Data for the shared task.\n")
        write_file(folder, "LICENSE", "Terms of use.\n")


TEST_OUTPUTS = {
    "PMC-9200002-04-Results-02": "[TRAF6 <Protein>]",
    "PMID-92000001": "[IL-2 <Protein>] [IL-2 receptor alpha chain <Protein>]",
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_distributed_test_layouts(registry, tmp_path, layout):
    _distribution(tmp_path, LAYOUTS[layout])
    # the section without proteins is read but gives no sample
    assert_split_builds(registry, "bionlp_st_2011_ge.ner", "test", tmp_path, records=3, outputs=TEST_OUTPUTS,
                        inputs=[SECTION, ABSTRACT])


def test_development_folder_is_read_by_no_task(registry):
    for task_id in TASKS:
        assert "dev" not in registry.tasks[task_id].manifest["source"]["splits"]


def test_macos_companion_files_are_skipped(registry, tmp_path):
    # an archive re-packed on macOS carries a binary ._<name> companion beside every file, and
    # again under __MACOSX/; none of them is a document
    folders = LAYOUTS["official"]
    _distribution(tmp_path, folders)
    add_macos_companions(tmp_path)
    assert_split_builds(registry, "bionlp_st_2011_ge.ner", "test", tmp_path, records=3, outputs=TEST_OUTPUTS)
