"""Tests of the BioNLP-ST 2011 REL plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2011_rel"
TASKS = ('bionlp_st_2011_rel.ner', 'bionlp_st_2011_rel.re', 'bionlp_st_2011_rel.coref')
REAL = "BioNLP-ST-2011-REL"  # folder of the real files under the real-data directory
GOLD = ".rel"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

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
