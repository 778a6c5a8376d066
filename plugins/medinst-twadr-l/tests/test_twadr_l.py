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

PLUGIN = "medinst_twadr_l"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("twadr_l.ned",)


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_fold_0(registry):
    train = sample_outputs(task_samples(registry, "twadr_l.ned", "train", SAMPLES, bundled=True))
    # CRLF line ends removed
    assert train == {
        "0": "[my head is killing me <SIDER 4/C0018681>]",
        "1": "[so tired i cant even <SIDER 4/C0015672>]",
        "2": "[this pill makes me wanna throw up <SIDER 4/C0027497>]",
        "3": "[3am and still wide awake #meds <SIDER 4/C0917801>]",
    }
    test = task_samples(registry, "twadr_l.ned", "test", SAMPLES, bundled=True)
    # a trailing no-break space is stripped; fold 9 is not read
    assert [s["input"] for s in test] == ["stomach running all day", "starving 24/7 on this stuff"]


def test_line_without_three_columns(registry, tmp_path):
    write_file(tmp_path, "datasets/TwADR-L/TwADR-L.fold-0.test.txt", "C0018681\theadache\n")
    with pytest.raises(SourceError, match=r"TwADR-L.fold-0.test.txt:1.*expected 3 columns"):
        task_samples(registry, "twadr_l.ned", "test", tmp_path)


@pytest.mark.parametrize("split,name,medinst", [("train", "train", 4816), ("dev", "validation", 115), ("test", "test", 143)])
def test_real_counts(registry, medinst_real_data, split, name, medinst):
    path = find_real(medinst_real_data, f"TwADR-L.fold-0.{name}.txt")
    lines = [line for line in path.read_bytes().decode("latin-1").splitlines() if line.strip()]
    samples = task_samples(registry, "twadr_l.ned", split, path.parent)
    assert len(samples) == len(lines)
    assert len(samples) == medinst, "MedINST's fold may not be fold 0"
