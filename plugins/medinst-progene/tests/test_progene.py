from __future__ import annotations

import importlib
from pathlib import Path

from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_progene"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("progene.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_types_as_annotated_and_empty_sentences_dropped(registry):
    out = sample_outputs(task_samples(registry, "progene.ner", "train", SAMPLES, bundled=True))
    assert out == {
        "0": "[p53 <protein>] [MDM2 <protein>]",
        "1": "[Bcl-2 family <protein_familiy_or_group>]",
    }
    test = sample_outputs(task_samples(registry, "progene.ner", "test", SAMPLES, bundled=True))
    assert test == {"0": "[IL-2 and -4 <protein_enum>]"}


def test_fold_zero_only_and_untyped_tags(registry, tmp_path):
    """The ten folds sit side by side; fold 0 is read. Untyped B/I tags are proteins."""
    write_file(tmp_path, "crossvalidation_data/flairSplit0/dev.txt", "TP53\tB\nmutant\tO\n\n")
    write_file(tmp_path, "crossvalidation_data/flairSplit1/dev.txt", "ATM\tB\n\n")
    out = sample_outputs(task_samples(registry, "progene.ner", "dev", tmp_path))
    assert out == {"0": "[TP53 <protein>]"}
