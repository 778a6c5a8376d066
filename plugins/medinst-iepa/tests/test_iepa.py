"""Tests of the IEPA plugin: conformance, the bundled samples, the test file in the repository's layout,
and the real training file (counts, every sample checked against an independent parse)."""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_iepa"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("iepa.re",)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples(registry):
    train = task_samples(registry, "iepa.re", "train", SAMPLES, bundled=True)
    assert sample_outputs(train) == {
        "IEPA.d0": "[<Insulin> <PPI> <glucagon>]",
        # two sentences, the first without an interaction; two mentions of oxytocin, each in one pair
        "IEPA.d1": "[<Prolactin> <PPI> <oxytocin>] [<oxytocin> <PPI> <cAMP>]",
    }  # IEPA.d2 has mentions but no interaction: left out
    [d1] = [s for s in train if s["id"].endswith("IEPA.d1")]
    assert d1["input"] == ("Leptin <10 nM> did not change insulin release "
                           "Prolactin enhanced the action of oxytocin, and oxytocin raised cAMP")
    test = task_samples(registry, "iepa.re", "test", SAMPLES, bundled=True)
    assert sample_outputs(test) == {"IEPA.d50": "[<Vasopressin> <PPI> <inositol trisphosphate>]"}


def test_bundled_files_have_cr_line_ends_and_no_entity_types_like_the_real_file():
    for name in ("IEPA-train.xml", "IEPA-test.xml"):
        data = (SAMPLES / name).read_bytes()
        assert b"\r" in data and b"\n" not in data and b"<entity " in data and b" type=" not in data.split(b"<interaction")[0]


def test_test_file_in_the_repository_layout(registry, tmp_path):
    folder = tmp_path / "ppi-dataset-master" / "csv_output"
    folder.mkdir(parents=True)
    for name in ("AIMed", "BioInfer", "HPRD50", "LLL"):
        (folder / f"{name}-test.xml").write_text("<corpus/>", encoding="utf-8")
    (folder / "IEPA-test.csv").write_text("not,read\n", encoding="utf-8")
    (folder / "IEPA-test.xml").write_bytes((SAMPLES / "IEPA-test.xml").read_bytes())
    assert sample_outputs(task_samples(registry, "iepa.re", "test", tmp_path)) == {
        "IEPA.d50": "[<Vasopressin> <PPI> <inositol trisphosphate>]"}


@pytest.fixture
def real_train(medinst_real_data) -> Path:
    return require_path(medinst_real_data / "IEPA" / "csv_output" / "IEPA-train.xml")


def test_real_counts(registry, real_train):
    data = real_train.read_bytes()
    documents = re.findall(rb"<document .*?</document>", data, re.S)
    assert len(documents) == data.count(b"<document ") == 160
    assert sum(b"<interaction " in d for d in documents) == 114
    assert len(task_samples(registry, "iepa.re", "train", real_train.parent)) == 114
    assert registry.tasks["iepa.re"].manifest["medinst"]["counts"]["train"] == 114


def test_real_samples_match_an_independent_parse(registry, real_train):
    rel = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "iepa.re", "train", real_train.parent)}
    for document in ET.parse(real_train).getroot().iter("document"):
        did = document.get("id")
        sentences = list(document.iter("sentence"))
        mentions, pairs = {}, []
        for sentence in sentences:
            for e in sentence.iter("entity"):
                a, b = map(int, e.get("charOffset").split("-"))
                assert sentence.get("text")[a:b] == e.get("text")
                mentions[e.get("id")] = e.get("text")
            pairs += [f"[<{mentions[i.get('e1')]}> <PPI> <{mentions[i.get('e2')]}>]" for i in sentence.iter("interaction")]
        if pairs:
            assert rel[did]["input"] == " ".join(s.get("text") for s in sentences)
            got = re.findall(r"\[<.*?> <PPI> <.*?>\]", rel[did]["output"])
            assert Counter(g.lower() for g in got) == Counter(set(p.lower() for p in pairs)), did
        else:
            assert did not in rel
