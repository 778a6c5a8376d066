"""Tests of the BioNLP-ST 2013 CG plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2013_cg"
TASKS = ('bionlp_st_2013_cg.ner', 'bionlp_st_2013_cg.ee', 'bionlp_st_2013_cg.coref')
REAL = "BioNLP-ST-2013-CG"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2013_cg.ner:train': {
        'PMID-90000401': '[VEGF <Gene_or_gene_product>] [glioblastoma <Cancer>] [bevacizumab <Simple_chemical>] [endothelial cells <Cell>] [mice <Organism>] [Vascular endothelial growth factor <Gene_or_gene_product>] [VEGF-A <Gene_or_gene_product>] [tumour stroma <Tissue>] [TP53 <Gene_or_gene_product>]',
        'PMID-90000402': '[Melanoma <Cancer>] [liver <Organ>]',
    },
    'bionlp_st_2013_cg.ner:dev': {
        'PMID-90000411': '[HER2 <Gene_or_gene_product>] [breast carcinoma <Cancer>] [ERBB2 <Gene_or_gene_product>] [HER2 <Gene_or_gene_product>]',
    },
    'bionlp_st_2013_cg.ner:test': {
        'PMID-90000421': '[Cisplatin <Simple_chemical>] [ovarian cancer <Cancer>] [tumour cells <Cell>] [ABCB1 <Gene_or_gene_product>]',
    },
    'bionlp_st_2013_cg.ee:train': {
        'PMID-90000401': '[<Cell_proliferation> <proliferation> <endothelial cells>] [<Gene_expression> <expressed> <VEGF-A>]',
        'PMID-90000402': '[<Metastasis> <spreads> <Melanoma>]',
    },
    'bionlp_st_2013_cg.ee:dev': {
        'PMID-90000411': '[<Gene_expression> <overexpression> <HER2>]',
    },
    'bionlp_st_2013_cg.coref:train': {
        'PMID-90000401:T6': '[VEGF-A]',
    },
    'bionlp_st_2013_cg.coref:dev': {
        'PMID-90000411:T4': '[HER2]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 300,
    'ee': 299,
    'coref': 466,
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
