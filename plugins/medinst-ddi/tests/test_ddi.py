"""Tests of the DDI plugin: conformance, the bundled samples, the real training files
(counts against MedINST's, every sample against the .ann lines read on their own), and
the quirks: discontinuous mentions, CRLF texts, fragments annotated without their space."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    TaskConformance,
    assert_samples_match_standoff,
    assert_split_builds,
    count_documents,
    ner_brackets,
    plugin_registry_fixture,
    re_brackets,
    require_path,
    sample_outputs,
    standoff_documents,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_ddi"
TASKS = ("ddi.ner", "ddi.re", "ddi.ner_xml", "ddi.re_xml")
REAL = "DDI/DDICorpusBrat/Train"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    "ddi.ner:train": {
        "Zentrol_ddi": "[Zentrol <BRAND>] [potassium-sparing diuretics <GROUP>] [loop diuretics <GROUP>] [Antacids <GROUP>] "
                       "[Zentrol <BRAND>] [oxylamine-X <DRUG_N>]",
        "19000001": "[ketoconazole <DRUG>] [midazolam <DRUG>] [Ketoconazole <DRUG>] [midazolam <DRUG>] [aspirin <DRUG>]",
        # 'Quietamab beta_ddi' has an empty .ann: dropped
    },
    "ddi.ner:test": {"Warfarin_ddi": "[Warfarin <DRUG>] [fluconazole <DRUG>]", "19000002": "[digoxin <DRUG>]"},
    "ddi.re:train": {
        "Zentrol_ddi": "[<Zentrol> <EFFECT> <potassium-sparing diuretics>] [<Zentrol> <EFFECT> <loop diuretics>] "
                       "[<Antacids> <MECHANISM> <Zentrol>]",
        "19000001": "[<Ketoconazole> <MECHANISM> <midazolam>]",
    },
    "ddi.re:test": {"Warfarin_ddi": "[<Warfarin> <ADVISE> <fluconazole>]"},
    # the XML release of the same kind of documents: ids are the <document> ids, types as the BRAT release writes them
    "ddi.ner_xml:train": {
        "DDI-DrugBank.d9001": "[Zentrol <BRAND>] [potassium-sparing diuretics <GROUP>] [loop diuretics <GROUP>] "
                              "[Antacids <GROUP>] [Zentrol <BRAND>]",
        "DDI-MedLine.d9002": "[ketoconazole <DRUG>] [midazolam <DRUG>] [Oxylamine-X <DRUG_N>]",
    },
    # both test folders of the XML release (DrugNER and DDI Extraction) are read
    "ddi.ner_xml:test": {"DDI-DrugBank.d9101": "[Warfarin <DRUG>] [fluconazole <DRUG>]", "DDI-MedLine.d9102": "[digoxin <DRUG>]"},
    "ddi.re_xml:train": {
        "DDI-DrugBank.d9001": "[<Zentrol> <EFFECT> <potassium-sparing diuretics>] [<Zentrol> <EFFECT> <loop diuretics>] "
                              "[<Antacids> <MECHANISM> <Zentrol>]",
    },
    "ddi.re_xml:test": {"DDI-DrugBank.d9101": "[<Warfarin> <ADVISE> <fluconazole>]"},
}


def test_the_xml_tasks_are_not_medinst_configs(registry):
    # the same corpus as ddi.ner / ddi.re, whose configs MedINST built from the BRAT release
    for task_id in ("ddi.ner_xml", "ddi.re_xml"):
        assert "medinst" not in registry.tasks[task_id].manifest
        assert registry.tasks[task_id].manifest["source"]["reader"] == "ppi_xml"


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, registry.tasks[task_id].bundled, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_split]


def test_bundled_crlf_text_is_kept(registry):
    samples = task_samples(registry, "ddi.ner", "train", registry.tasks["ddi.ner"].bundled, bundled=True)
    (medline,) = [s for s in samples if s["id"].endswith(":19000001")]
    assert "\r\n" in medline["input"]


@pytest.mark.parametrize("task_id,medinst", [("ddi.ner", 673), ("ddi.re", 510)])
def test_real_training_files(registry, medinst_real_data, task_id, medinst):
    folder = require_path(medinst_real_data / REAL)
    docs = {}
    for sub in ("DrugBank", "MedLine"):
        docs.update(standoff_documents(folder / sub, (".ann",)))
    assert len(docs) == 714
    task = task_id.split(".")[1]
    independent = count_documents(docs, ner_brackets if task == "ner" else re_brackets)
    assert independent == medinst == registry.tasks[task_id].manifest["medinst"]["counts"]["train"]
    diagnostics = Diagnostics()
    samples = task_samples(registry, task_id, "train", medinst_real_data, diagnostics=diagnostics)
    assert len(samples) == medinst
    assert not diagnostics  # five fragments annotated without their space are accepted as written
    # those mentions are written as their fragments joined by a space (the core's rule for
    # discontinuous mentions), not as annotated: their documents are checked on their own
    text_of = {stem: (folder / sub / f"{stem}.txt") for sub in ("DrugBank", "MedLine")
               for stem in docs if (folder / sub / f"{stem}.txt").is_file()}
    unspaced = {stem for stem, doc in docs.items() for t in doc.textbounds.values()
                if len(t.spans) > 1 and " ".join(text_of[stem].read_bytes().decode()[a:b] for a, b in t.spans) != t.text}
    assert len(unspaced) == 4
    assert_samples_match_standoff(task, [s for s in samples if s["id"].split(":")[2] not in unspaced],
                                  {k: v for k, v in docs.items() if k not in unspaced})


def test_real_spot_check(registry, medinst_real_data):
    folder = require_path(medinst_real_data / REAL / "DrugBank")
    samples = {s["id"]: s for s in task_samples(registry, "ddi.ner", "train", medinst_real_data)}
    sample = samples["ddi.ner:train:Dopamine_ddi"]
    assert sample["input"] == (folder / "Dopamine_ddi.txt").read_bytes().decode("utf-8")
    assert "[alpha- adrenergic blocking agents <GROUP>]" in sample["output"]


TEXT = "Beta- and alpha-blockers interact with Veloxin.\r\n"


def test_discontinuous_mention_annotated_without_its_space(registry, tmp_path):
    folder = tmp_path / "DDICorpusBrat" / "Train" / "DrugBank"
    write_file(folder, "Veloxin_ddi.txt", TEXT)
    write_file(folder, "Veloxin_ddi.ann",
               "T1\tGROUP 0 5;16 24\tBeta-blockers\n" + textbound(TEXT, "T2", "GROUP", "alpha-blockers")
               + textbound(TEXT, "T3", "BRAND", "Veloxin") + "R1\tINT Arg1:T1 Arg2:T3\n")
    diagnostics = Diagnostics()
    samples = task_samples(registry, "ddi.re", "train", tmp_path, diagnostics=diagnostics)
    assert sample_outputs(samples) == {"Veloxin_ddi": "[<Beta- blockers> <INT> <Veloxin>]"}
    assert not diagnostics
    assert_split_builds(registry, "ddi.ner", "train", tmp_path, records=1, outputs={
        "Veloxin_ddi": "[Beta- blockers <GROUP>] [alpha-blockers <GROUP>] [Veloxin <BRAND>]"})
