"""Tests of the DrugProt plugin: conformance, the bundled samples and the layout of the Zenodo archive. No
copy of the real files was available; the reader's own tests are tests/readers/test_chemprot.py of the core."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_drugprot"
TASKS = ("drugprot.ner", "drugprot.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

RE = {
    "train": {"91000001": "[<Imatinib> <INHIBITOR> <BCR-ABL>] [<Imatinib> <DIRECT-REGULATOR> <ABL1>] "
                          "[<Imatinib> <SUBSTRATE> <CYP3A4>] [<N-desmethyl imatinib> <PRODUCT-OF> <CYP3A4>]"},
    # a relation to a gene mention nested in another one ("receptor" in "β2-adrenergic receptor")
    "dev": {"91000101": "[<Salbutamol> <AGONIST> <β2-adrenergic receptor>] [<Salbutamol> <ACTIVATOR> <receptor>]"},
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


@pytest.mark.parametrize("split", sorted(RE))
def test_bundled_relations(registry, split):
    assert sample_outputs(task_samples(registry, "drugprot.re", split, SAMPLES, bundled=True)) == RE[split]


def test_bundled_mentions(registry):
    ner = sample_outputs(task_samples(registry, "drugprot.ner", "train", SAMPLES, bundled=True))
    assert ner["91000002"] == "[Vitamin D <CHEMICAL>] [VDR <GENE-Y>] [Vitamin D <CHEMICAL>] [VDR <GENE-Y>]"
    assert len(ner) == 2  # every abstract, with or without relations


def test_zenodo_layout_with_the_test_background_folder_and_either_spelling(registry, tmp_path):
    root = tmp_path / "drugprot-gs-training-development"
    shutil.copytree(SAMPLES / "drugprot-gs-training-development", root)
    background = root / "test-background"
    background.mkdir()
    (background / "test_background_abstracts.tsv").write_text("1\tt\ta\n", encoding="utf-8")
    (background / "test_background_entities.tsv").write_text("", encoding="utf-8")
    for split, wanted in RE.items():
        assert sample_outputs(task_samples(registry, "drugprot.re", split, tmp_path)) == wanted
    # a re-packed copy that corrected the file name
    dev = root / "development"
    (dev / "drugprot_development_abstracs.tsv").rename(dev / "drugprot_development_abstracts.tsv")
    assert sample_outputs(task_samples(registry, "drugprot.re", "dev", tmp_path)) == RE["dev"]
