from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_askapatient"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("askapatient.ned",)


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_fold_0(registry):
    train = task_samples(registry, "askapatient.ned", "train", SAMPLES, bundled=True)
    assert [s["input"] for s in train][:2] == ["pounding head all day", "felt sick to my stomach"]  # stripped
    assert sample_outputs(train)["3"] == "[wiped out, no energy <SNOMED-CT|AMT/84229001>]"
    assert len(task_samples(registry, "askapatient.ned", "dev", SAMPLES, bundled=True)) == 2
    test = sample_outputs(task_samples(registry, "askapatient.ned", "test", SAMPLES, bundled=True))
    # ISO-8859-1 text decoded; fold 1 is not read
    assert test["2"] == "[felt flat and blue, café trips stopped <SNOMED-CT|AMT/35489007>]"
    assert len(test) == 3


def test_line_without_three_columns(registry, tmp_path):
    write_file(tmp_path, "datasets/AskAPatient/AskAPatient.fold-0.train.txt", "25064002\tHeadache\tsore head\n25064002 Headache\n")
    with pytest.raises(SourceError, match=r"AskAPatient.fold-0.train.txt:2.*expected 3 columns"):
        task_samples(registry, "askapatient.ned", "train", tmp_path)


@pytest.mark.parametrize("split,name,medinst", [("train", "train", 15612), ("dev", "validation", 845), ("test", "test", 867)])
def test_real_counts(registry, medinst_real_data, split, name, medinst):
    path = find_real(medinst_real_data, f"AskAPatient.fold-0.{name}.txt")
    lines = [line for line in path.read_bytes().decode("latin-1").splitlines() if line.strip()]
    samples = task_samples(registry, "askapatient.ned", split, path.parent)
    assert len(samples) == len(lines)
    assert len(samples) == medinst, "MedINST's fold may not be fold 0"
