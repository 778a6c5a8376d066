"""Tests of the EU-ADR plugin: conformance, the bundled samples (annotation files and a PubMed XML export),
a PubTator export of the same text, and the reader's quirks. No copy of the real files was available."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest
from medinst_eu_adr.reader import read_euadr

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_eu_adr"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
PUBTATOR = Path(__file__).parent / "data" / "euadr_text.pubtator"

NER = {
    "90000801": "[Warfarin <Chemicals & Drugs>] [bleeding <Diseases & Disorders>] [CYP2C9 <Genes & Molecular Sequences>] "
                "[Warfarin <Chemicals & Drugs>] [major bleeding <Diseases & Disorders>] "
                "[CYP2C9*3 <SNP & Sequence variations>] [aspirin <Chemicals & Drugs>]",
    "90000802": "[Simvastatin <Chemicals & Drugs>] [myopathy <Diseases & Disorders>] [SLCO1B1 <Genes & Molecular Sequences>]",
    "90000803": "[Sjögren's syndrome <Diseases & Disorders>]",  # a Latin-1 annotation file
}
RE = {
    # "major bleeding" is annotated 3 characters off and found nearby; the FA relation names no concept for INR
    "90000801": "[<Warfarin> <PA> <major bleeding>] [<CYP2C9*3> <SA> <Warfarin>] [<aspirin> <FA> <INR>]",
    "90000802": "[<Simvastatin> <PA> <myopathy>] [<SLCO1B1> <NA> <myopathy>]",
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("eu_adr.ner", "eu_adr.re")


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples(registry):
    assert sample_outputs(task_samples(registry, "eu_adr.ner", "train", SAMPLES, bundled=True)) == NER
    assert sample_outputs(task_samples(registry, "eu_adr.re", "train", SAMPLES, bundled=True)) == RE


def test_structured_abstract_text_from_pubmed_xml(registry):
    [first] = [s for s in task_samples(registry, "eu_adr.ner", "train", SAMPLES, bundled=True) if s["id"].endswith("801")]
    assert first["input"] == ("Warfarin and bleeding risk in carriers of CYP2C9 variants. BACKGROUND: Warfarin causes "
                              "major bleeding in some patients. RESULTS: CYP2C9*3 carriers needed lower doses; aspirin "
                              "did not change the INR.")


def _folder(tmp_path: Path, text: Path) -> Path:
    shutil.copytree(SAMPLES / "euadr_corpus", tmp_path / "euadr" / "euadr_corpus")
    shutil.copy(text, tmp_path / text.name)
    return tmp_path


def test_pubtator_export_gives_the_same_samples(registry, tmp_path):
    folder = _folder(tmp_path, PUBTATOR)
    (folder / "euadr" / "euadr_corpus" / "._90000801.txt").write_bytes(b"\x00\x05\x16\x07")  # macOS companion
    (folder / "euadr" / "euadr_corpus" / "90000801_raw.txt").write_text("not\tread\n", encoding="utf-8")
    assert sample_outputs(task_samples(registry, "eu_adr.ner", "train", folder)) == NER
    assert sample_outputs(task_samples(registry, "eu_adr.re", "train", folder)) == RE


def _read(folder: Path, options=None, diagnostics=None):
    files = FileIndex(folder).resolve({"annotations": ["euadr_corpus/[0-9]*.txt"], "text": ["euadr_text*"]},
                                      what="test")
    return list(read_euadr(files, options or {}, diagnostics if diagnostics is not None else Diagnostics()))


def test_accepted_only(tmp_path):
    records = {r.id: r for r in _read(_folder(tmp_path, PUBTATOR), {"accepted_only": True})}
    assert "T7" not in {e.id for e in records["90000801"].entities}
    assert [r.type for r in records["90000801"].relations] == ["PA", "SA"]


def test_a_pmid_missing_from_the_export(tmp_path):
    folder = _folder(tmp_path, PUBTATOR)
    (folder / "euadr_text.pubtator").write_text(PUBTATOR.read_text(encoding="utf-8").split("90000802|t|")[0],
                                                encoding="utf-8")
    with pytest.raises(SourceError, match=r"90000802.txt: PMID 90000802 has no title or abstract in euadr_text.pubtator"):
        _read(folder)


def test_an_annotation_the_text_does_not_hold(tmp_path):
    folder = _folder(tmp_path, PUBTATOR)
    path = folder / "euadr" / "euadr_corpus" / "90000802.txt"
    path.write_text(path.read_text(encoding="utf-8").replace("\tSLCO1B1\t", "\tSLCO1B2\t"), encoding="utf-8")
    diagnostics = Diagnostics()
    records = {r.id: r for r in _read(folder, {}, diagnostics)}
    assert diagnostics.counts["offset_mismatch"] == 1
    assert records["90000802"].entities[2].text == ("SLCO1B2",)
    with pytest.raises(SourceError, match=r"90000802.txt:3: concept 3 is annotated as 'SLCO1B2'"):
        _read(folder, {"offset_check": "error"})


def test_malformed_line(tmp_path):
    folder = _folder(tmp_path, PUBTATOR)
    (folder / "euadr" / "euadr_corpus" / "90000803.txt").write_text("Drug-Disorder\tTrue\tconcept\tx\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"90000803.txt:1: expected a concept line of 10 columns"):
        _read(folder)
