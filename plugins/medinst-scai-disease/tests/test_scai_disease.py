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

PLUGIN = "medinst_scai_disease"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("scai_disease.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_documents(registry):
    samples = task_samples(registry, "scai_disease.ner", "train", SAMPLES, bundled=True)
    assert sample_outputs(samples) == {
        "0": "[Hepatotoxicity <ADVERSE>] [breast cancer <DISEASE>] [Nausea <ADVERSE>]",
        "2": "[Type 2 diabetes mellitus <DISEASE>] [stroke <DISEASE>]",
    }
    assert samples[0]["input"] == "Hepatotoxicity was reported in two patients with breast cancer. Nausea resolved."


def test_abstracts_counted_independently(registry):
    text = (SAMPLES / "Disease-ae-corpus.iob").read_text(encoding="utf-8")
    abstracts = text.split("### ")[1:]
    with_mentions = [a for a in abstracts if "|B-" in a]
    assert len(task_samples(registry, "scai_disease.ner", "train", SAMPLES, bundled=True)) == len(with_mentions) == 2


def test_tag_column_with_a_prefix_before_the_bar(registry, tmp_path):
    """Only the text after the last '|' of the tag column is the tag."""
    write_file(tmp_path, "Disease-ae-corpus.iob",
               "### 1\nSevere\t0\t6\t\tJJ|O\nsepsis\t7\t13\tsepsis\tNN|B-DISEASE\n.\t13\t14\t\t.|O\n\n")
    out = sample_outputs(task_samples(registry, "scai_disease.ner", "train", tmp_path))
    assert out == {"0": "[sepsis <DISEASE>]"}
