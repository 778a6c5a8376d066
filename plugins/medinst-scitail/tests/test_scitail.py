from __future__ import annotations

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_scitail"
TASK = "scitail.te"
LABELS = {"entails": "Supports", "neutral": "Neutral"}
# MedINST's dev and test are the release's test and dev
FILES = {"train": "scitail_1.0_train.tsv", "dev": "scitail_1.0_test.tsv", "test": "scitail_1.0_dev.tsv"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def lines(path):
    return [line_.rstrip("\r").split("\t") for line_ in path.read_text("utf-8").split("\n") if line_.strip()]


def test_bundled_and_swapped_dev_test(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in FILES.items():
        rows = lines(folder / "SciTailV1.1" / "tsv_format" / name)
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert [s["input"] for s in got] == [f"Premise: {p}\nHypothesis: {h}" for p, h, _ in rows]
        assert [s["output"] for s in got] == [LABELS[line_] for _, _, line_ in rows]
    # the release's test file (CRLF, no final newline) is our dev split
    dev = task_samples(registry, TASK, "dev", folder, bundled=True)
    assert dev[0]["input"].startswith("Premise: Mitochondria") and dev[-1]["output"] == "Supports"
    # a quote character inside a field is kept as it is
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert train[2]["input"].startswith('Premise: A "light-year" measures distance')


def test_wrong_column_count_names_file_and_line(registry, tmp_path):
    (tmp_path / "tsv_format").mkdir()
    (tmp_path / "tsv_format" / "scitail_1.0_train.tsv").write_text("p\th\tentails\np only\tneutral\n", "utf-8")
    with pytest.raises(SourceError, match=r"scitail_1\.0_train\.tsv:2: expected 3 columns"):
        task_samples(registry, TASK, "train", tmp_path)


def test_unknown_label_is_an_error(registry, tmp_path):
    (tmp_path / "tsv_format").mkdir()
    (tmp_path / "tsv_format" / "scitail_1.0_train.tsv").write_text("p\th\tcontradiction\n", "utf-8")
    with pytest.raises(Exception, match="contradiction"):
        task_samples(registry, TASK, "train", tmp_path)
