"""Tests of the LLL'05 plugin: conformance, the bundled samples (both training files), the challenge's
folder layout. No copy of the real files was available; the reader's own tests are tests/readers/test_lll.py."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_lll05"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
WANTED = {
    "90000501-1": "[<GerE> <genic_interaction> <cotD>] [<GerE> <genic_interaction> <sigK>]",
    "90000502-3": "[<SpoIIID> <genic_interaction> <spoIIID>] [<SpoIIID> <genic_interaction> <sigK>]",
    # from the coreference file
    "90000504-5": "[<K> <genic_interaction> <gerE>]",
}  # 90000503-2 has no interaction: left out


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("lll05.re",)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples(registry):
    samples = task_samples(registry, "lll05.re", "train", SAMPLES, bundled=True)
    assert sample_outputs(samples) == WANTED
    assert samples[0]["input"] == "GerE stimulates cotD transcription and inhibits sigK."


def test_challenge_layout_reads_both_training_files_and_not_the_test_file(registry, tmp_path):
    task2 = tmp_path / "LLLChalenge05" / "data" / "train" / "task2"
    shutil.copytree(SAMPLES, task2)
    test = tmp_path / "LLLChalenge05" / "data" / "test" / "task2"
    test.mkdir(parents=True)
    (test / "enriched_test_data.txt").write_text("ID\t1\nsentence\tNot read.\n", encoding="utf-8")
    (task2 / "basic_training_data.txt").write_text("not read\n", encoding="utf-8")
    assert sample_outputs(task_samples(registry, "lll05.re", "train", tmp_path)) == WANTED
