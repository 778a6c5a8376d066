"""Tests of the BioNLP-ST 2009 plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2009"
TASKS = ('bionlp_st_2009.ner', 'bionlp_st_2009.ee', 'bionlp_st_2009.coref')
REAL = "BioNLP-ST-2009"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

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
