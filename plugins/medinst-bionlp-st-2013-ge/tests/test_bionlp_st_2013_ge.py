"""Tests of the BioNLP-ST 2013 GE plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    assert_split_builds,
    plugin_registry_fixture,
    task_samples,
    write_file,
)
from medinst_core.testing.brat import SharedTaskChecks, textbound

PLUGIN = "medinst_bionlp_st_2013_ge"
TASKS = ('bionlp_st_2013_ge.ner', 'bionlp_st_2013_ge.re', 'bionlp_st_2013_ge.ee', 'bionlp_st_2013_ge.coref')
REAL = "BioNLP-ST-2013-GE"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2013_ge.ner:train': {
        'PMC-9000501-00-TIAB': '[interferon regulatory factor 8 <Protein>] [Interferon regulatory factor 8 <Protein>] [IRF-8 <Protein>] [PU.1 <Protein>] [p21 <Protein>]',
    },
    'bionlp_st_2013_ge.ner:dev': {
        'PMC-9000511-00-TIAB': '[Forkhead box P3 <Protein>] [FOXP3 <Protein>] [RUNX1 <Protein>] [FOXP3 <Protein>] [RUNX1 <Protein>] [IL-2 <Protein>]',
    },
    'bionlp_st_2013_ge.ner:test': {
        'PMC-9000521-00-TIAB': '[TGF-beta <Protein>] [SMAD3 <Protein>]',
    },
    'bionlp_st_2013_ge.re:train': {
        'PMC-9000501-00-TIAB': '[<This factor> <Coreference> <IRF-8>]',
    },
    'bionlp_st_2013_ge.re:dev': {
        'PMC-9000511-00-TIAB': '[<this factor> <Coreference> <RUNX1>]',
    },
    'bionlp_st_2013_ge.ee:train': {
        'PMC-9000501-00-TIAB': '[<Negative_regulation> <repressed> <IRF-8>] [<Binding> <binds> <This factor>] [<Binding> <binds> <PU.1>] [<Transcription> <transcription> <p21>]',
    },
    'bionlp_st_2013_ge.ee:dev': {
        'PMC-9000511-00-TIAB': '[<Binding> <Association> <FOXP3>] [<Binding> <Association> <RUNX1>] [<Positive_regulation> <activates> <IL-2>]',
    },
    'bionlp_st_2013_ge.coref:train': {
        'PMC-9000501-00-TIAB:T2': '[IRF-8]',
    },
    'bionlp_st_2013_ge.coref:dev': {
        'PMC-9000511-00-TIAB:T1': '[FOXP3]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 194,
    're': 40,
    'ee': 149,
    'coref': 53,
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
# tests read every dev/test split from the official archives' folders
# (BioNLP-ST-2013_GE_devel_data_rev3, BioNLP-ST-2013_GE_test_data_rev1; also spelt
# BioNLP-ST_2013_GE_..., as the task's supporting files name the test data), and from a GitHub
# download of the openbiocorpora repository. Every folder has the PubAnnotation .json files next
# to the .txt ones (not read). The development .a2 has an Equiv chain, Anaphora mentions and two
# Coreference relations, one of them to an event trigger (left out, as in MedINST); the test
# folder has .a1 files only, one of them empty.

LAYOUTS = {
    "official": {"devel": "downloads/BioNLP-ST-2013_GE_devel_data_rev3",
                 "test": "downloads/BioNLP-ST-2013_GE_test_data_rev1"},
    "official, BioNLP-ST_2013 spelling": {"devel": "downloads/BioNLP-ST_2013_GE_devel_data_rev3",
                                          "test": "downloads/BioNLP-ST_2013_GE_test_data"},
    "openbiocorpora": {"devel": "bionlp-st-2013-ge-master/original-data/devel",
                       "test": "bionlp-st-2013-ge-master/original-data/test"},
}
DEV_DOC = "PMC-9200511-02-Results-01"
DEV_TEXT = ("Results\nForkhead box P3 (FOXP3) associates with RUNX1, and this factor then activates IL-2 "
            "transcription.\nThe association was not seen in naive cells.\n")
TEST_TEXT = "TGF-beta signalling through SMAD3\nSMAD3 is phosphorylated upon TGF-beta stimulation.\n"


def _document(folder: Path, stem: str, text: str, a1: str, a2: str | None = None) -> None:
    pmc, division, section = stem.split("-")[1:4]
    write_file(folder, f"{stem}.txt", text)
    write_file(folder, f"{stem}.json", json.dumps({"source_db": "PMC", "source_id": pmc, "division_id": int(division),
                                               "section": section, "text": text}))
    write_file(folder, f"{stem}.a1", a1)
    if a2 is not None:
        write_file(folder, f"{stem}.a2", a2)


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    _document(dev, DEV_DOC, DEV_TEXT, "".join([
        textbound(DEV_TEXT, "T1", "Protein", "Forkhead box P3"), textbound(DEV_TEXT, "T2", "Protein", "FOXP3"),
        textbound(DEV_TEXT, "T3", "Protein", "RUNX1"), textbound(DEV_TEXT, "T4", "Protein", "IL-2")]), "".join([
        "*\tEquiv T1 T2\n",
        textbound(DEV_TEXT, "T5", "Binding", "associates"), textbound(DEV_TEXT, "T6", "Anaphora", "this factor"),
        textbound(DEV_TEXT, "T7", "Anaphora", "The association"), textbound(DEV_TEXT, "T8", "Positive_regulation", "activates"),
        textbound(DEV_TEXT, "T9", "Transcription", "transcription"),
        "R1\tCoreference Subject:T6 Object:T3\n", "R2\tCoreference Subject:T7 Object:T5\n",
        "E1\tBinding:T5 Theme:T2 Theme2:T3\n", "E2\tPositive_regulation:T8 Theme:E3 Cause:T6\n",
        "E3\tTranscription:T9 Theme:T4\n"]))
    _document(test, "PMC-9200521-00-TIAB", TEST_TEXT, "".join([
        textbound(TEST_TEXT, "T1", "Protein", "TGF-beta"), textbound(TEST_TEXT, "T2", "Protein", "SMAD3"),
        textbound(TEST_TEXT, "T3", "Protein", "SMAD3", "\n"), textbound(TEST_TEXT, "T4", "Protein", "TGF-beta", "upon ")]))
    _document(test, "PMC-9200521-05-Methods-01", "Methods\nCells were lysed on ice.\n", "")
    for folder in (dev, test):
        write_file(folder, "README", "Data for the GE task.\n")
        write_file(folder, "LICENSE", "Terms of use.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2013_ge.ner", "dev"): (1, DEV_TEXT, {
        DEV_DOC: "[Forkhead box P3 <Protein>] [FOXP3 <Protein>] [RUNX1 <Protein>] [IL-2 <Protein>]"}),
    ("bionlp_st_2013_ge.ner", "test"): (2, TEST_TEXT, {
        "PMC-9200521-00-TIAB": "[TGF-beta <Protein>] [SMAD3 <Protein>] [SMAD3 <Protein>] [TGF-beta <Protein>]"}),
    ("bionlp_st_2013_ge.ee", "dev"): (1, DEV_TEXT, {
        DEV_DOC: "[<Binding> <associates> <FOXP3>] [<Binding> <associates> <RUNX1>] "
                 "[<Transcription> <transcription> <IL-2>]"}),
    ("bionlp_st_2013_ge.re", "dev"): (1, DEV_TEXT, {DEV_DOC: "[<this factor> <Coreference> <RUNX1>]"}),
    ("bionlp_st_2013_ge.coref", "dev"): (1, DEV_TEXT + "\nEntity: Forkhead box P3", {f"{DEV_DOC}:T1": "[FOXP3]"}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("task_split", sorted(DISTRIBUTED), ids=":".join)
def test_distributed_dev_and_test_layouts(registry, tmp_path, layout, task_split):
    _distribution(tmp_path, LAYOUTS[layout])
    records, text, outputs = DISTRIBUTED[task_split]
    assert_split_builds(registry, *task_split, tmp_path, records=records, outputs=outputs, inputs=[text])


def test_development_coreference_to_an_event_trigger_is_reported(registry, tmp_path):
    _distribution(tmp_path, LAYOUTS["official"])
    diagnostics = Diagnostics()
    task_samples(registry, "bionlp_st_2013_ge.re", "dev", tmp_path, diagnostics=diagnostics)
    assert diagnostics.as_dict()["re.unresolved_argument"]["count"] == 1


def test_macos_companion_files_are_skipped(registry, tmp_path):
    # an archive re-packed on macOS carries a binary ._<name> companion beside every file, and
    # again under __MACOSX/; none of them is a document
    folders = LAYOUTS["official"]
    _distribution(tmp_path, folders)
    add_macos_companions(tmp_path)
    for (task_id, split), (records, _text, outputs) in DISTRIBUTED.items():
        assert_split_builds(registry, task_id, split, tmp_path, records=records, outputs=outputs)
