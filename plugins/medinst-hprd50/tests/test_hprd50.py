"""Tests of the HPRD50 plugin: conformance, the bundled samples, the test file in the repository's
layout, and the real training file (counts, every sample checked against an independent parse)."""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, FileIndex, core_reader
from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_hprd50"
TASKS = ("hprd50.ner", "hprd50.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


BUNDLED = {
    "hprd50.ner:train": {
        "HPRD50.d0": "[Janus kinase 2 <protein>] [STAT5 <protein>] [STAT3 <protein>] [Jak2 <protein>] [STAT5 <protein>]",
        "HPRD50.d1": "[PKX1 <protein>] [PKX2 <protein>]",
        "HPRD50.d2": "[Calmodulin <protein>] [KCNQ2 <protein>] [calmodulin <protein>] [KCNQ2 <protein>] "
                     "[KCNQ3 <protein>]",
    },
    "hprd50.ner:test": {
        "HPRD50.d40": "[Grb2 <protein>] [EGFR <protein>] [Sos1 <protein>]",
        "HPRD50.d41": "[cyclin E <protein>]",
    },
    "hprd50.re:train": {
        "HPRD50.d0": "[<Janus kinase 2> <PPI> <STAT5>] [<Janus kinase 2> <PPI> <STAT3>]",
        # Calmodulin-KCNQ2 is annotated in both sentences (once capitalised): one bracket
        "HPRD50.d2": "[<Calmodulin> <PPI> <KCNQ2>] [<calmodulin> <PPI> <KCNQ3>]",
    },
    "hprd50.re:test": {"HPRD50.d40": "[<Grb2> <PPI> <EGFR>] [<Grb2> <PPI> <Sos1>]"},
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, SAMPLES, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_split]


def test_documents_are_their_sentences_joined_by_a_space(registry):
    [sample] = [s for s in task_samples(registry, "hprd50.ner", "train", SAMPLES, bundled=True)
                if s["id"].endswith("HPRD50.d0")]
    assert sample["input"] == ("Janus kinase 2 associates with the STAT5 & STAT3 docking sites of the receptor "
                               "In resting cells Jak2 did not bind STAT5")


def test_bundled_files_have_cr_line_ends_like_the_real_file():
    for name in ("HPRD50-train.xml", "HPRD50-test.xml"):
        data = (SAMPLES / name).read_bytes()
        assert b"\r" in data and b"\n" not in data


def test_hprd_ids_are_normalisations(registry):
    """The ids in the type attribute (alternatives joined by ||) become the mentions' HPRD normalisations."""
    options = registry.tasks["hprd50.ner"].manifest["source"]["options"]
    files = FileIndex(SAMPLES).resolve({"data": ["HPRD50-train.xml"]}, what="test")
    record = next(iter(core_reader("ppi_xml")(files, options, Diagnostics())))
    stat5 = record.entities[1]
    assert [(n.db_name, n.db_id) for n in stat5.normalized] == [("HPRD", "pm0102001"), ("HPRD", "pm0102002")]


def test_test_file_in_the_repository_layout(registry, tmp_path):
    """csv_output/ of metalrt/ppi-dataset holds every PPI corpus as XML and CSV; only HPRD50-<split>.xml is read."""
    folder = tmp_path / "ppi-dataset" / "csv_output"
    folder.mkdir(parents=True)
    for name in ("AIMed", "BioInfer", "IEPA", "LLL"):
        (folder / f"{name}-test.xml").write_text("<corpus/>", encoding="utf-8")
    (folder / "HPRD50-test.csv").write_text("not,read\n", encoding="utf-8")
    (folder / "HPRD50-test.xml").write_bytes((SAMPLES / "HPRD50-test.xml").read_bytes())
    assert sample_outputs(task_samples(registry, "hprd50.re", "test", tmp_path)) == BUNDLED["hprd50.re:test"]


# -- the real training file -------------------------------------------------------


@pytest.fixture
def real_train(medinst_real_data) -> Path:
    return require_path(medinst_real_data / "HPRD50" / "csv_output" / "HPRD50-train.xml")


def test_real_counts(registry, real_train):
    data = real_train.read_bytes()
    documents = re.findall(rb"<document .*?</document>", data, re.S)
    assert len(documents) == data.count(b"<document ") == 34
    with_interactions = sum(b"<interaction " in d for d in documents)
    assert with_interactions == 28
    folder = real_train.parent
    for task_id, wanted in (("hprd50.ner", 34), ("hprd50.re", 28)):
        assert len(task_samples(registry, task_id, "train", folder)) == wanted
        assert registry.tasks[task_id].manifest["medinst"]["counts"]["train"] == wanted


def test_real_samples_match_an_independent_parse(registry, real_train):
    folder = real_train.parent
    ner = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "hprd50.ner", "train", folder)}
    rel = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "hprd50.re", "train", folder)}
    for document in ET.parse(real_train).getroot().iter("document"):
        did = document.get("id")
        sentences = list(document.iter("sentence"))
        assert ner[did]["input"] == " ".join(s.get("text") for s in sentences)
        mentions, rows, pairs, start = {}, [], [], 0
        for sentence in sentences:
            for e in sentence.iter("entity"):
                a, b = map(int, e.get("charOffset").split("-"))
                assert sentence.get("text")[a:b] == e.get("text")
                mentions[e.get("id")] = e.get("text")
                rows.append((start + a, start + b, e.get("id"), e.get("text")))
            pairs += [f"[<{mentions[i.get('e1')]}> <PPI> <{mentions[i.get('e2')]}>]" for i in sentence.iter("interaction")]
            start += len(sentence.get("text")) + 1
        assert ner[did]["output"] == " ".join(f"[{m} <protein>]" for *_, m in sorted(rows))
        if pairs:
            got = re.findall(r"\[<.*?> <PPI> <.*?>\]", rel[did]["output"])
            assert Counter(g.lower() for g in got) == Counter(set(p.lower() for p in pairs)), did
        else:
            assert did not in rel
