from __future__ import annotations

import gzip
import importlib
import shutil
from pathlib import Path

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_medmentions"
TASKS = ("medmentions.ner", "medmentions.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
CATALOG = {"train": 2635, "dev": 878, "test": 879}  # MedINST's MedMentions and MedMentions-NED
LISTS = {"train": "corpus_pubtator_pmids_trng.txt", "dev": "corpus_pubtator_pmids_dev.txt",
         "test": "corpus_pubtator_pmids_test.txt"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def bundled_corpus() -> str:
    return gzip.decompress((SAMPLES / "full/data/corpus_pubtator.txt.gz").read_bytes()).decode()


# -- bundled samples ---------------------------------------------------------


def test_splits_follow_the_pmid_lists_and_skip_unlisted_documents(registry):
    assert bundled_corpus().count("|t|") == 5  # 90100005 is in the corpus file but in no list
    for task in TASKS:
        ids = {split: list(sample_outputs(task_samples(registry, task, split, SAMPLES))) for split in LISTS}
        assert ids == {"train": ["90100001", "90100003"], "dev": ["90100002"], "test": ["90100004"]}


def test_ner_one_mention_per_semantic_type(registry):
    out = sample_outputs(task_samples(registry, "medmentions.ner", "train", SAMPLES))
    assert out["90100001"].startswith("[DCTN4 <T116>] [DCTN4 <T123>] [chronic airway infection <T047>]")
    assert "[Zinc <T121>] [Zinc <T196>]" in out["90100003"]
    assert out["90100003"].endswith("[Q-17 <UnknownType>]")


def test_ned_one_cui_per_mention_without_prefix(registry):
    out = sample_outputs(task_samples(registry, "medmentions.ned", "train", SAMPLES))
    assert out["90100001"].startswith("[DCTN4 <UMLS/C4308010>] [chronic airway infection <UMLS/C0854135>]")
    assert out["90100001"].count("DCTN4") == 1  # two semantic types, one concept: one link
    assert "UMLS:" not in out["90100001"]


def test_unpacked_corpus_beside_the_archive_gives_the_same_samples(registry, tmp_path):
    data = tmp_path / "MedMentions-master" / "full" / "data"
    data.mkdir(parents=True)
    for path in (SAMPLES / "full/data").iterdir():
        (data / path.name).write_bytes(path.read_bytes())
    write_file(data, "corpus_pubtator.txt", bundled_corpus())  # gunzipped next to the .gz
    for task in TASKS:
        assert task_samples(registry, task, "train", tmp_path) == task_samples(registry, task, "train", SAMPLES)


def test_listed_pmid_missing_from_the_corpus_is_counted(registry, tmp_path):
    data = tmp_path / "full" / "data"
    write_file(data, "corpus_pubtator.txt", bundled_corpus())
    write_file(data, LISTS["dev"], "90100002\n29999999\n")
    diagnostics = Diagnostics()
    samples = task_samples(registry, "medmentions.ned", "dev", tmp_path, diagnostics=diagnostics)
    assert list(sample_outputs(samples)) == ["90100002"]
    assert diagnostics.as_dict()["select.unmatched_ids"]["count"] == 1


# -- the real split lists ----------------------------------------------------


def real_lists(medinst_real_data: Path) -> Path:
    return require_path(medinst_real_data / "MedMentions" / "full" / "data")


def test_real_lists_have_the_catalog_counts(medinst_real_data):
    folder = real_lists(medinst_real_data)
    for split, name in LISTS.items():
        path = folder / name
        if not path.exists():
            continue  # the test list is not among the copies here
        pmids = [line.strip() for line in path.read_text().splitlines() if line.strip()]
        assert len(pmids) == len(set(pmids)) == CATALOG[split], split


def test_real_lists_select_the_catalog_counts(registry, medinst_real_data, tmp_path):
    """The real PMID lists next to a corpus file holding one abstract per listed PMID (plus one
    unlisted): each split gives exactly its catalog count of samples."""
    folder = real_lists(medinst_real_data)
    data = tmp_path / "full" / "data"
    data.mkdir(parents=True)
    blocks = []
    present = [s for s, name in LISTS.items() if (folder / name).exists()]
    for split in present:
        shutil.copyfile(folder / LISTS[split], data / LISTS[split])
        for pmid in (folder / LISTS[split]).read_text().split():
            blocks.append(f"{pmid}|t|Title {pmid}\n{pmid}|a|Abstract.\n{pmid}\t0\t5\tTitle\tT170\tUMLS:C1550550\n")
    blocks.append("1|t|Unlisted\n1|a|x\n1\t0\t8\tUnlisted\tT170\tUMLS:C1550550\n")
    with gzip.open(data / "corpus_pubtator.txt.gz", "wt") as f:
        f.write("\n".join(blocks))
    for split in present:
        for task in TASKS:
            stats = SplitStats(task, split)
            samples = task_samples(registry, task, split, tmp_path, stats=stats)
            assert len(samples) == stats.records == CATALOG[split], (task, split)
