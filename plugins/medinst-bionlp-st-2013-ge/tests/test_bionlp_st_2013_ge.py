"""Tests of the BioNLP-ST 2013 GE plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    assert_samples_match_standoff,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    standoff_documents,
    task_samples,
)

PLUGIN = "medinst_bionlp_st_2013_ge"
TASKS = ('bionlp_st_2013_ge.ner', 'bionlp_st_2013_ge.re', 'bionlp_st_2013_ge.ee', 'bionlp_st_2013_ge.coref')
REAL = "BioNLP-ST-2013-GE"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

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


registry = plugin_registry_fixture(PLUGIN)


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_splits(registry, task_split):
    task_id, split = task_split.split(":")
    assert sample_outputs(task_samples(registry, task_id, split, SAMPLES)) == BUNDLED[task_split]


def test_splits_without_gold_files(registry):
    for task_id in TASKS:
        splits = registry.tasks[task_id].manifest["source"]["splits"]
        if not task_id.endswith(".ner"):  # the test folders hold .a1 files only
            assert "test" not in splits


# -- the real training files, read independently ------------------------------


@pytest.mark.parametrize("task_id", TASKS)
def test_real_train(registry, medinst_real_data, task_id):
    task = task_id.split(".")[1]
    docs = standoff_documents(require_path(medinst_real_data / REAL / "original-data" / "train"), (".a1", GOLD))
    samples = task_samples(registry, task_id, "train", medinst_real_data)
    assert len(samples) == REAL_TRAIN[task]
    # every sample is what the annotation lines call for: NER the .a1 entities, EE the events'
    # entity themes, COREF one sample per Equiv chain, anchored on its first mention in text order
    assert_samples_match_standoff(task, samples, docs, ner_suffixes=(".a1",))
    medinst = registry.tasks[task_id].manifest["medinst"]["counts"]["train"]
    if task == "coref":  # MedINST counts the Equiv chains
        assert sum(len(doc.equivalences) for doc in docs.values()) == medinst
    elif task != "re":  # documents with an .a1 entity (NER), with an event whose theme is an entity (EE)
        assert len(samples) == medinst
