from __future__ import annotations

import importlib
from pathlib import Path

from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_tmvar_v1"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("tmvar_v1.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def pubtator_counts(path: Path) -> tuple[int, int]:
    """(documents, documents with a mention line), read without the core reader."""
    docs, with_mentions = set(), set()
    for line in path.read_text().splitlines():
        if "|t|" in line[:20]:
            docs.add(line.split("|", 1)[0])
        elif line.count("\t") >= 5 and line.split("\t")[1].isdigit():
            with_mentions.add(line.split("\t", 1)[0])
    return len(docs), len(with_mentions)


def test_abstract_without_variants_is_dropped(registry):
    assert pubtator_counts(SAMPLES / "tmVarCorpus/train.PubTator.txt") == (3, 2)
    stats = SplitStats("tmvar_v1.ner", "train")
    samples = task_samples(registry, "tmvar_v1.ner", "train", SAMPLES, stats=stats)
    assert list(sample_outputs(samples)) == ["90300001", "90300003"] and stats.records == 3


def test_variant_kinds_in_text_order(registry):
    out = sample_outputs(task_samples(registry, "tmvar_v1.ner", "train", SAMPLES))
    assert out["90300001"] == ("[G1228A <DNAMutation>] [c.1138G>A <DNAMutation>] [p.Gly380Arg <ProteinMutation>] "
                               "[rs28931614 <SNP>]")
    assert out["90300003"] == "[delF508 <ProteinMutation>] [c.1521_1523delCTT <DNAMutation>] [Leu88fsX <ProteinMutation>]"


def test_last_block_without_final_newline(registry):
    assert not (SAMPLES / "tmVarCorpus/test.PubTator.txt").read_text().endswith("\n")
    out = sample_outputs(task_samples(registry, "tmvar_v1.ner", "test", SAMPLES))
    assert out["90300011"].endswith("[Glu429Ala <ProteinMutation>]")


def test_crlf_copy_of_the_archive(registry, tmp_path):
    # the zip unpacked as distributed (tmVarCorpus/ inside a download folder), re-saved with CRLF line ends
    for name in ("train.PubTator.txt", "test.PubTator.txt"):
        text = (SAMPLES / "tmVarCorpus" / name).read_text()
        write_file(tmp_path / "downloads" / "tmVarCorpus", name, text.replace("\n", "\r\n"))
    for split in ("train", "test"):
        assert task_samples(registry, "tmvar_v1.ner", split, tmp_path) == task_samples(
            registry, "tmvar_v1.ner", split, SAMPLES)
