from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

import pytest
from medinst_chemdner.reader import read_original

from medinst_core.plugin_api import Diagnostics, SourceError
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_chemdner"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
FILES = {"train": "training", "dev": "development", "test": "evaluation"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("chemdner.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def located_mentions(path: Path) -> dict[str, int]:
    """Document id -> annotations with a location, read from the XML text without the core reader."""
    return {re.search(r"<id>(.*?)</id>", d).group(1): d.count("<location ")
            for d in path.read_text().split("<document>")[1:]}


def test_counts_are_the_abstracts_with_mentions(registry):
    for split, name in FILES.items():
        counts = located_mentions(SAMPLES / f"BC7T2-CHEMDNER-corpus-{name}.BioC.xml")
        stats = SplitStats("chemdner.ner", split)
        samples = task_samples(registry, "chemdner.ner", split, SAMPLES, stats=stats)
        assert stats.records == len(counts)
        assert {k: v.count("<Chemical>") for k, v in sample_outputs(samples).items()} == {
            k: n for k, n in counts.items() if n}


def test_indexing_terms_are_not_mentions(registry):
    assert "MeSH_Indexing_Chemical" in (SAMPLES / "BC7T2-CHEMDNER-corpus-training.BioC.xml").read_text()
    out = sample_outputs(task_samples(registry, "chemdner.ner", "train", SAMPLES))
    assert out["90600001"].count("DMSO") == 1


def test_unpacked_archive_in_a_folder(registry, tmp_path):
    for name in FILES.values():
        path = SAMPLES / f"BC7T2-CHEMDNER-corpus-{name}.BioC.xml"
        write_file(tmp_path / "BC7T2-CHEMDNER-corpus_v2", path.name, path.read_text())
    for split in FILES:
        assert task_samples(registry, "chemdner.ner", split, tmp_path) == task_samples(
            registry, "chemdner.ner", split, SAMPLES)


# -- the original BioCreative IV files ------------------------------------------------------------------------------

ORIGINAL = Path(__file__).resolve().parent / "data" / "chemdner_corpus"  # the bundled abstracts in that layout


def test_original_files_give_the_samples_of_the_bioc_release(registry, tmp_path):
    shutil.copytree(ORIGINAL, tmp_path / "chemdner_corpus")
    for split in FILES:
        assert task_samples(registry, "chemdner.ner", split, tmp_path) == task_samples(
            registry, "chemdner.ner", split, SAMPLES)


def test_original_abstract_offsets_count_from_the_abstract():
    line = next(line_ for line_ in (ORIGINAL / "training.annotations.txt").read_text().splitlines() if "\tDMSO\t" in line_)
    assert line.split("\t")[1:4] == ["A", "63", "67"]
    [record] = [r for r in read_original(ORIGINAL / "training.abstracts.txt", ORIGINAL / "training.annotations.txt",
                                         {}, Diagnostics()) if r.id == "90600001"]
    dmso = next(e for e in record.entities if e.text == ("DMSO",))
    assert record.text[dmso.offsets[0][0]:dmso.offsets[0][1]] == "DMSO"
    assert dmso.type == "Chemical" and ("sacem_class", "ABBREVIATION") in dmso.attributes


def test_original_types_by_class(registry, tmp_path):
    records = list(read_original(ORIGINAL / "evaluation.abstracts.txt", ORIGINAL / "evaluation.annotations.txt",
                                 {"tsv_type": "class"}, Diagnostics()))
    assert [e.type for e in records[0].entities] == ["TRIVIAL", "TRIVIAL", "FORMULA", "FORMULA"]


def test_bioc_release_is_preferred_when_both_are_present(registry, tmp_path):
    shutil.copytree(ORIGINAL, tmp_path / "chemdner_corpus")
    shutil.copy(SAMPLES / "BC7T2-CHEMDNER-corpus-evaluation.BioC.xml", tmp_path)
    diagnostics = Diagnostics()
    samples = task_samples(registry, "chemdner.ner", "test", tmp_path, diagnostics=diagnostics)
    assert samples == task_samples(registry, "chemdner.ner", "test", SAMPLES)
    assert diagnostics.as_dict()["chemdner.original_files_ignored"]["count"] == 2


@pytest.mark.parametrize(
    "abstracts, annotations, message",
    [
        ("1\tTitle\tAbstract NaCl.\n", "1\tA\t9\t13\tNaCl\n", r"training.annotations.txt:1: expected 6 tab-separated"),
        ("1\tTitle\tAbstract NaCl.\n", "1\tB\t9\t13\tNaCl\tFORMULA\n", r"annotations.txt:1: expected T \(title\) or A"),
        ("1\tTitle\tAbstract NaCl.\n", "1\tA\t9\t4\tNaCl\tFORMULA\n", r"annotations.txt:1: expected offsets"),
        ("1\tTitle\n", "", r"training.abstracts.txt:1: expected 3 tab-separated"),
        ("1\tTitle\tAbstract NaCl.\n", "2\tA\t9\t13\tNaCl\tFORMULA\n", r"annotations.txt:1: mention of document 2"),
    ],
)
def test_original_files_errors_name_file_and_line(registry, tmp_path, abstracts, annotations, message):
    write_file(tmp_path, "training.abstracts.txt", abstracts)
    write_file(tmp_path, "training.annotations.txt", annotations)
    with pytest.raises(SourceError, match=message):
        task_samples(registry, "chemdner.ner", "train", tmp_path)


def test_original_abstracts_without_annotations_file(registry, tmp_path):
    write_file(tmp_path, "training.abstracts.txt", "1\tTitle\tAbstract.\n")
    with pytest.raises(SourceError, match="no training.annotations.txt beside it"):
        task_samples(registry, "chemdner.ner", "train", tmp_path)
