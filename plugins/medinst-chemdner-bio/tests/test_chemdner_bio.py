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

PLUGIN = "medinst_chemdner_bio"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("chemdner_bio.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_bio_tags(registry):
    out = sample_outputs(task_samples(registry, "chemdner_bio.ner", "train", SAMPLES, bundled=True))
    assert out == {
        "0": "Rats [O] were [O] treated [O] with [O] sodium [B] nitroprusside [I] and [O] L-NAME [B] . [O]",
        "1": "Body [O] weight [O] did [O] not [O] change [O] . [O]",
    }


def test_clone_of_the_collection(registry, tmp_path):
    """A clone of MTL-Bioinformatics-2016: BC4CHEMD/ beside the other corpora's train.tsv files."""
    write_file(tmp_path, "MTL-Bioinformatics-2016/data/BC4CHEMD/test.tsv", "Caffeine\tB-Chemical\nlevels\tO\n")
    write_file(tmp_path, "MTL-Bioinformatics-2016/data/BC2GM-IOB/test.tsv", "p53\tB-GENE\n")
    out = sample_outputs(task_samples(registry, "chemdner_bio.ner", "test", tmp_path))
    assert out == {"0": "Caffeine [B] levels [O]"}
