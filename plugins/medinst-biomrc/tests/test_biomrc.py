from __future__ import annotations

import gzip
import json

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_biomrc"
TASK = "biomrc.qa"
FILES = {"train": "dataset_train.jsonl.gz", "dev": "dataset_val.jsonl", "test": "dataset_test.jsonl.gz"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def items(path):
    data = gzip.decompress(path.read_bytes()) if path.name.endswith(".gz") else path.read_bytes()
    return [json.loads(line_) for line_ in data.decode("utf-8").splitlines() if line_.strip()]


def letters(n):
    out = []
    for i in range(1, n + 1):
        label = ""
        while i:
            i, r = divmod(i - 1, 26)
            label = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[r] + label
        out.append(label)
    return out


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in FILES.items():
        want = items(folder / "biomrc_large" / name)
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert len(got) == len(want)
        for sample, item in zip(got, want):
            ids = [e.split(" :: ")[0] for e in item["entities_list"]]
            options = "\n".join(f"{line_}. {e}" for line_, e in zip(letters(len(ids)), ids))
            assert sample["input"] == f"Title: {item['title']}\nAbstract: {item['abstract']}\nOptions:\n{options}"
            assert sample["output"] == item["answer"].split(" :: ")[0]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # setting B's file beside the setting A files is not read
    assert len(train) == 3 and not any("setting B" in s["input"] for s in train)
    # more than 26 candidates: options AA, AB, ... and the answer among them
    assert "\nAC. @entity28\nAD. @entity29" in train[2]["input"] and train[2]["output"] == "@entity28"


def test_plain_and_gzip_files_read_alike(registry, tmp_path):
    src = registry.tasks[TASK].bundled / "biomrc_large" / FILES["train"]
    (tmp_path / "biomrc_large").mkdir()
    (tmp_path / "biomrc_large" / "dataset_train.jsonl").write_bytes(gzip.decompress(src.read_bytes()))
    plain = task_samples(registry, TASK, "train", tmp_path)
    bundled = task_samples(registry, TASK, "train", registry.tasks[TASK].bundled, bundled=True)
    assert [(s["input"], s["output"]) for s in plain] == [(s["input"], s["output"]) for s in bundled]


def test_truncated_gzip_and_bad_line(registry, tmp_path):
    folder = tmp_path / "biomrc_large"
    folder.mkdir()
    data = gzip.compress(b'{"abstract": "a", "title": "t", "entities_list": ["@entity0"], "answer": "@entity0"}\n' * 50)
    (folder / "dataset_val.jsonl.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(SourceError, match="dataset_val.jsonl.gz"):
        task_samples(registry, TASK, "dev", tmp_path)
    (folder / "dataset_val.jsonl.gz").unlink()
    (folder / "dataset_val.jsonl").write_text('{"abstract": "a", "title": "t", "entities_list": ["@entity0"], '
                                              '"answer": "@entity0"}\n{"abstract": "b",\n', "utf-8")
    with pytest.raises(SourceError, match=r"dataset_val\.jsonl:2"):
        task_samples(registry, TASK, "dev", tmp_path)


def test_answer_not_among_entities_is_an_error(registry, tmp_path):
    (tmp_path / "biomrc_large").mkdir()
    line = {"abstract": "a", "title": "t", "entities_list": ["@entity0 :: ('1', 'Gene') :: ['x']"],
            "answer": "@entity5 :: ('2', 'Gene') :: ['y']"}
    (tmp_path / "biomrc_large" / "dataset_test.jsonl").write_text(json.dumps(line) + "\n", "utf-8")
    with pytest.raises(SourceError, match="answer '@entity5' is not one of the options"):
        task_samples(registry, TASK, "test", tmp_path)
