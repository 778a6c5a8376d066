from __future__ import annotations

import importlib
from pathlib import Path

from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_anatem"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("anatem.ner", "anatem.ner_documents")


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_bio(registry):
    out = sample_outputs(task_samples(registry, "anatem.ner", "train", SAMPLES, bundled=True))
    assert out == {
        "0": "Biopsies [O] of [O] the [O] renal [B] cortex [I] showed [O] fibroblasts [B] . [O]",
        "1": "Statistical [O] analysis [O] used [O] t-tests [O] . [O]",
    }


def test_bundled_standoff_documents(registry):
    out = sample_outputs(task_samples(registry, "anatem.ner_documents", "train", SAMPLES, bundled=True))
    # the document with an empty .ann is left out
    assert out == {"PMID-9000001": "[Renal cortex <Multi-tissue_structure>] [Fibroblasts <Cell>] "
                                   "[renal cortex <Multi-tissue_structure>] [tubules <Multi-tissue_structure>]"}


def test_openbiocorpora_layout_and_macos_companions(registry, tmp_path):
    text = "Hepatocytes line the sinusoids.\n"
    write_file(tmp_path, "anatem/original-data/standoff/test/PMID-1.txt", text)
    write_file(tmp_path, "anatem/original-data/standoff/test/PMID-1.ann",
               textbound(text, "T1", "Cell", "Hepatocytes") + "\n" + textbound(text, "T2", "Tissue", "sinusoids") + "\n")
    add_macos_companions(tmp_path)
    out = sample_outputs(task_samples(registry, "anatem.ner_documents", "test", tmp_path))
    assert out == {"PMID-1": "[Hepatocytes <Cell>] [sinusoids <Tissue>]"}


def test_real_iob_files(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "IOB" / "AnatEM-IOB")
    for split, name, count in (("train", "train.tsv", 5861), ("dev", "devel.tsv", 2118)):
        blocks = [b for b in (folder / name).read_text(encoding="utf-8").split("\n\n") if b.strip()]
        assert len(blocks) == count  # = MedINST
        samples = task_samples(registry, "anatem.ner", split, medinst_real_data)
        assert len(samples) == count
        rows = [line.split("\t") for line in blocks[-1].splitlines()]
        assert samples[-1]["output"] == " ".join(f"{t} [{g[0]}]" for t, g in rows)


def test_real_official_conll_holds_the_same_sentences(medinst_real_data):
    """The release's conll/ folders (one file per document) have the IOB files' sentence counts."""
    folder = require_path(medinst_real_data / "AnatEM" / "original-data" / "conll")
    for name, count in (("train", 5861), ("devel", 2118)):
        blocks = sum(len([b for b in p.read_text(encoding="utf-8").split("\n\n") if b.strip()])
                     for p in (folder / name).glob("*.conll"))
        assert blocks == count


def test_real_standoff_documents(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "AnatEM" / "original-data" / "standoff")
    for split, name in (("train", "train"), ("dev", "devel")):
        with_mentions = {p.stem for p in (folder / name).glob("*.ann")
                         if any(line.startswith("T") for line in p.read_text(encoding="utf-8").splitlines())}
        samples = task_samples(registry, "anatem.ner_documents", split, medinst_real_data)
        assert {s["id"].split(":")[2] for s in samples} == with_mentions
        assert len(with_mentions) == {"train": 504, "dev": 161}[split]
