"""Tests of the BioNLP-ST 2013 PC plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2013_pc"
TASKS = ('bionlp_st_2013_pc.ner', 'bionlp_st_2013_pc.ee', 'bionlp_st_2013_pc.coref')
REAL = "BioNLP-ST-2013-PC"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

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
