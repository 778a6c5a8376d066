from __future__ import annotations

import pytest

from medinst_core.plugin_api import MedinstError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_scielo"
TASK = "scielo.transl"
LANGUAGES = {"es": "Spanish", "pt": "Portuguese"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def pairs(folder, stem):
    target = stem.split("_")[1]
    en = (folder / f"{stem}.en").read_text(encoding="utf-8").splitlines()
    other = (folder / f"{stem}.{target}").read_text(encoding="utf-8").splitlines()
    return [(f"Translate into {LANGUAGES[target]}.\nEnglish: {a.strip()}", b.strip()) for a, b in zip(en, other)]


def test_both_language_pairs_in_one_training_split(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in train] == pairs(folder, "en_es") + pairs(folder, "en_pt")
    assert [s["id"].split(":")[-1] for s in train] == ["en_es_0", "en_es_1", "en_pt_0", "en_pt_1", "en_pt_2"]
    # CRLF line ends and surrounding spaces are dropped; the trilingual en_pt_es files are not read
    assert train[3]["input"].endswith("English: Leprosy remains endemic in the region.")
    assert not any("lido" in s["output"] or "Not read" in s["input"] for s in train)


def test_archives_unpacked_in_their_folders(registry, tmp_path):
    for stem, target in (("en_es", "es"), ("en_pt", "pt")):
        folder = tmp_path / f"scielo_{stem}"
        folder.mkdir()
        (folder / f"{stem}.en").write_text("One.\nTwo.\n", encoding="utf-8")
        (folder / f"{stem}.{target}").write_text(f"Uno {target}.\nDos {target}.\n", encoding="utf-8")
    got = task_samples(registry, TASK, "train", tmp_path)
    assert [s["output"] for s in got] == ["Uno es.", "Dos es.", "Uno pt.", "Dos pt."]


def test_missing_or_misaligned_files(registry, tmp_path):
    (tmp_path / "en_es.en").write_text("One.\nTwo.\n", encoding="utf-8")
    (tmp_path / "en_es.es").write_text("Uno.\n", encoding="utf-8")
    (tmp_path / "en_pt.pt").write_text("Um.\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"en_pt.pt: has no parallel file: no text_1 file is named en_pt.<suffix>"):
        task_samples(registry, TASK, "train", tmp_path)
    (tmp_path / "en_pt.en").write_text("One.\n", encoding="utf-8")
    with pytest.raises(MedinstError, match=r"different line counts: .*en_es.en has 2 lines, .*en_es.es has 1 lines"):
        task_samples(registry, TASK, "train", tmp_path)
