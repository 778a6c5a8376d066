"""Tests of the CellFinder plugin: conformance, the bundled samples, and the fixed
document lists that make the split (other documents, and the per-section files of the
sections archive, are left out)."""

from __future__ import annotations

import pytest

from medinst_core.testing import (
    TaskConformance,
    assert_split_builds,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_cellfinder"
TRAIN = ["16316465", "17381551", "17389645", "18162134", "18286199"]
TEST = ["15971941", "16623949", "16672070", "17288595", "17967047"]


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("cellfinder.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled(registry):
    folder = registry.tasks["cellfinder.ner"].bundled
    train = task_samples(registry, "cellfinder.ner", "train", folder, bundled=True)
    assert sample_outputs(train) == {
        "16316465": "[Human embryonic stem cells <CellType>] [hESC <CellType>] [cardiomyocytes <CellType>] "
                    "[BMP4 <GeneProtein>] [H9 <CellLine>] [OCT4 <GeneProtein>] [nucleus <CellComponent>] "
                    "[mouse <Species>] [fibroblasts <CellType>]"}
    test = task_samples(registry, "cellfinder.ner", "test", folder, bundled=True)
    assert sample_outputs(test) == {"15971941": "[Neural crest cells <CellType>] [heart <Anatomy>] [outflow tract <Anatomy>]"}


def test_split_lists(registry):
    select = registry.tasks["cellfinder.ner"].manifest["source"]["select"]
    assert select == {"train": {"ids": TRAIN}, "test": {"ids": TEST}}
    assert not set(TRAIN) & set(TEST)


TEXT = "Mesenchymal stem cells from bone marrow.\n"


@pytest.mark.parametrize("split,ids", [("train", TRAIN), ("test", TEST)])
def test_all_ten_articles_and_the_sections_archive(registry, tmp_path, split, ids):
    whole = tmp_path / "cellfinder1_brat"
    sections = tmp_path / "cellfinder1_brat_sections"
    ann = textbound(TEXT, "T1", "CellType", "Mesenchymal stem cells") + textbound(TEXT, "T2", "Anatomy", "bone marrow")
    for pmid in TRAIN + TEST:
        write_file(whole, f"{pmid}.txt", TEXT)
        write_file(whole, f"{pmid}.ann", ann)
        write_file(sections, f"{pmid}_1_Abstract.txt", TEXT)
        write_file(sections, f"{pmid}_1_Abstract.ann", ann)
    write_file(whole, "LICENSE", "CC BY-SA 3.0\n")
    output = "[Mesenchymal stem cells <CellType>] [bone marrow <Anatomy>]"
    assert_split_builds(registry, "cellfinder.ner", split, tmp_path, records=5, outputs={i: output for i in ids})
