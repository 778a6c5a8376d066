"""Tests of the BioNLP-ST 2011 ID plugin: conformance, the bundled samples, and the real
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

PLUGIN = "medinst_bionlp_st_2011_id"
TASKS = ('bionlp_st_2011_id.ner', 'bionlp_st_2011_id.ee', 'bionlp_st_2011_id.coref')
REAL = "BioNLP-ST-2011-ID"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2011_id.ner:train': {
        'PMC9000201-00-TIAB': '[PhoP/PhoQ <Two-component-system>] [Salmonella <Organism>] [PhoP <Protein>] [mgtCB operon <Regulon-operon>] [magnesium <Chemical>] [S. Typhimurium <Organism>] [Salmonella enterica <Organism>] [PhoP <Protein>]',
    },
    'bionlp_st_2011_id.ner:dev': {
        'PMC9000211-00-TIAB': '[RpoS <Protein>] [sigma S <Protein>] [Legionella <Organism>] [RpoS <Protein>]',
    },
    'bionlp_st_2011_id.ner:test': {
        'PMC9000221-00-TIAB': '[Efflux pump AcrB <Protein>] [Escherichia coli <Organism>] [AcrB <Protein>] [ciprofloxacin <Chemical>]',
    },
    'bionlp_st_2011_id.ee:train': {
        'PMC9000201-00-TIAB': '[<Binding> <binds> <PhoP>] [<Binding> <binds> <mgtCB operon>] [<Gene_expression> <expression> <mgtCB operon>]',
    },
    'bionlp_st_2011_id.ee:dev': {
        'PMC9000211-00-TIAB': '[<Gene_expression> <Expression> <RpoS>]',
    },
    'bionlp_st_2011_id.coref:train': {
        'PMC9000201-00-TIAB:T6': '[Salmonella enterica]',
    },
    'bionlp_st_2011_id.coref:dev': {
        'PMC9000211-00-TIAB:T1': '[sigma S]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 151,
    'ee': 110,
    'coref': 169,
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
