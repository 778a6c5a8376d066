from __future__ import annotations

import importlib
import re
from pathlib import Path

from medinst_core.testing import (
    assert_readme_table_current, SplitStats, TaskConformance, plugin_registry_fixture, sample_outputs, task_samples, write_file,
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
