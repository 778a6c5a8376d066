"""Tests of the CPI plugin: conformance, the bundled sample file (every task), and the layout of a clone of
the CPI-Pipeline repository. No copy of the real file was available."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_cpi"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

WANTED = {
    "cpi.ner": {
        "DS.d0": "[Quercetin <compound>] [PIM1 <protein>] [glucose <compound>] [PIM1 <protein>] [quercetin <compound>]",
        # the file's own mention boundary ("Lithium (Li+") is kept as annotated
        "DS.d1": "[Lithium (Li+ <compound>] [serum albumin <protein>]",
        "DS.d2": "[Warfarin <compound>] [CYP2C9 <protein>] [tolbutamide <compound>]",
    },
    "cpi.re": {  # pairs with interaction="False" are left out; DS.d1 has none that interact
        "DS.d0": "[<Quercetin> <compound-protein-interaction> <PIM1>]",
        "DS.d2": "[<Warfarin> <compound-protein-interaction> <CYP2C9>] "
                 "[<tolbutamide> <compound-protein-interaction> <CYP2C9>]",
    },
    "cpi.ned": {
        "DS.d0": "[Quercetin <PubChem/5280343>] [PIM1 <UniProt/P11309>] [PIM1 <UniProt/Q2TUZ2>] [PIM1 <UniProt/Q9Z2K3>] "
                 "[glucose <PubChem/206>] [glucose <PubChem/5793>] [PIM1 <UniProt/P11309>] [PIM1 <UniProt/Q2TUZ2>] "
                 "[PIM1 <UniProt/Q9Z2K3>] [quercetin <PubChem/5280343>]",
        "DS.d1": "[Lithium (Li+ <PubChem/3028194>] [serum albumin <UniProt/P02768>] [serum albumin <UniProt/P02769>]",
        "DS.d2": "[Warfarin <PubChem/54678486>] [CYP2C9 <UniProt/P11712>] [tolbutamide <PubChem/5505>]",
    },
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = tuple(WANTED)


registry = plugin_registry_fixture(PLUGIN)


@pytest.mark.parametrize("task_id", sorted(WANTED))
def test_bundled_samples(registry, task_id):
    assert sample_outputs(task_samples(registry, task_id, "train", SAMPLES, bundled=True)) == WANTED[task_id]


def test_documents_are_their_sentences_joined_by_a_space(registry):
    [d0] = [s for s in task_samples(registry, "cpi.ner", "train", SAMPLES, bundled=True) if s["id"].endswith("DS.d0")]
    assert d0["input"] == ("Quercetin inhibits the kinase PIM1 in vitro. "
                           "Neither glucose nor PIM1 levels changed after quercetin & serum were added.")


def test_repository_clone_reads_each_document_once(registry, tmp_path):
    """A clone of KerstenDoering/CPI-Pipeline keeps CPI-DS.xml in data_sets/xml/ and copies of it under
    scripts/generate_XML_files/; the subsets CPI-DS_IV.xml and CPI-DS_NIV.xml are not read."""
    data = (SAMPLES / "CPI-DS.xml").read_bytes()
    for folder in ("data_sets/xml", "scripts/generate_XML_files/CPI-DS", "scripts/generate_XML_files/DS"):
        (tmp_path / "CPI-Pipeline" / folder).mkdir(parents=True)
        (tmp_path / "CPI-Pipeline" / folder / "CPI-DS.xml").write_bytes(data)
    for name in ("CPI-DS_IV.xml", "CPI-DS_NIV.xml"):
        (tmp_path / "CPI-Pipeline" / "data_sets" / "xml" / name).write_text("<corpus/>", encoding="utf-8")
    for task_id, wanted in WANTED.items():
        assert sample_outputs(task_samples(registry, task_id, "train", tmp_path)) == wanted
