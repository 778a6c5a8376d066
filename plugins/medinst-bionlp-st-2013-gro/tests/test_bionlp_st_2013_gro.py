"""Tests of the BioNLP-ST 2013 GRO plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2013_gro"
TASKS = ('bionlp_st_2013_gro.ner', 'bionlp_st_2013_gro.re')
REAL = "BioNLP-ST-2013-GRO"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

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
