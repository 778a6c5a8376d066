from __future__ import annotations

import importlib
from pathlib import Path

from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_bc2gm"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("bc2gm.ner", "bc2gm.ner_official")


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def iob_sentences(path: Path) -> list[list[tuple[str, str]]]:
    """The sentences of a token<TAB>tag file, read without the reader."""
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.strip():
            current.append(tuple(line.split("\t")))
        elif current:
            sentences.append(current)
            current = []
    return sentences + ([current] if current else [])


def test_bundled_bio_keeps_sentences_without_genes(registry):
    out = sample_outputs(task_samples(registry, "bc2gm.ner", "train", SAMPLES, bundled=True))
    assert out["1"] == "No [O] change [O] was [O] seen [O] in [O] the [O] control [O] group [O] . [O]"
    # two adjacent one-word mentions stay two B tags
    assert out["2"].startswith("Both [O] ERK1 [B] ERK2 [B] and [O] MEK [B] kinase [I]")


def test_bundled_official_files_nonspace_offsets(registry):
    out = sample_outputs(task_samples(registry, "bc2gm.ner_official", "train", SAMPLES, bundled=True))
    # the double space inside the mention is kept; the sentence without a gene is left out;
    # ALTGENE.eval (alternative boundaries) is not read
    assert out == {
        "P00010001T0001": "[Rab3A  gene <Gene>]",
        "P00010003T0003": "[ERK1 <Gene>] [ERK2 <Gene>] [MEK kinase <Gene>] [ERK1 <Gene>]",
    }


def test_official_layout_with_other_corpora_around(registry, tmp_path):
    """BC2GM/train and BC2GM/test as the archives unpack; GENE.eval is matched by its folder."""
    write_file(tmp_path, "BC2GM/test/test.in", "P9T1 The p21 ( WAF1 ) gene.\n")
    write_file(tmp_path, "BC2GM/test/GENE.eval", "P9T1|3 5|p21\nP9T1|7 10|WAF1\n")
    write_file(tmp_path, "BC2GM/test/ALTGENE.eval", "P9T1|3 6|p21(\n")
    out = sample_outputs(task_samples(registry, "bc2gm.ner_official", "test", tmp_path))
    assert out == {"P9T1": "[p21 <Gene>] [WAF1 <Gene>]"}


def test_real_iob_files(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "IOB" / "BC2GM-IOB")
    for split, name, count in (("train", "train.tsv", 12574), ("dev", "devel.tsv", 2519)):
        sentences = iob_sentences(folder / name)
        assert len(sentences) == count  # MedINST: 12,632 / 2,531 (see the manifest's note)
        samples = task_samples(registry, "bc2gm.ner", split, medinst_real_data)
        assert len(samples) == count
        # spot check: every word and tag of the first and last sentence
        for sentence, sample in ((sentences[0], samples[0]), (sentences[-1], samples[-1])):
            assert sample["input"] == " ".join(t for t, _ in sentence)
            assert sample["output"] == " ".join(f"{t} [{g[0]}]" for t, g in sentence)
