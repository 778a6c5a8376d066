"""``source.select`` with ``id_list``: a split's records kept by an id-list file
of the distribution, found under the data folder like any other file."""

from __future__ import annotations

import orjson
import pytest

from medinst_core.errors import SourceError
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry
from medinst_core.selection import read_id_lists

from .helpers import ToyPlugin, manifest, write_toy_data


def id_list_manifest(train_ids="train_ids.txt"):
    m = manifest(empty_output="keep")
    m["source"]["splits"] = {
        "train": {"data": ["train.tsv"], "ids": [train_ids]},
        "test": {"data": ["train.tsv"], "ids": ["test_ids.txt"]},
    }
    m["source"]["select"] = {"train": {"id_list": "ids"}, "test": {"id_list": "ids"}}
    return m


def read_jsonl(path):
    return [orjson.loads(line) for line in path.read_bytes().splitlines()]


def test_one_corpus_file_split_by_id_lists(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=6)
    # a list in the distribution's own folder; CRLF, blank lines, a comment and white space are tolerated
    (data / "lists").mkdir()
    (data / "lists" / "train_ids.txt").write_bytes(b"# training documents\r\nr1\r\n\r\n  r4 \r\nr2\r\n")
    (data / "lists" / "test_ids.txt").write_text("r5\nr0\n")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=id_list_manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg)
    assert result.ok, result.failed
    # records keep the corpus file's order, not the list's
    train = [s["id"].rsplit(":", 1)[1] for s in read_jsonl(tmp_path / "out/toy.labels/train.jsonl")]
    test = [s["id"].rsplit(":", 1)[1] for s in read_jsonl(tmp_path / "out/toy.labels/test.jsonl")]
    assert (train, test) == (["r1", "r2", "r4"], ["r0", "r5"])
    info = orjson.loads((tmp_path / "out/build.json").read_bytes())["tasks"]["toy.labels"]["splits"]
    # the id list is a source file of the split: recorded with its sha256
    assert sorted(f["path"] for f in info["train"]["files"]) == ["lists/train_ids.txt", "nested/train.tsv"]
    assert info["train"]["records"] == 3 and info["train"]["warnings"] == {}


def test_listed_ids_without_a_record_are_counted(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=3)
    (data / "train_ids.txt").write_text("r1\nr9\nr8\n")
    (data / "test_ids.txt").write_text("r0\n")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=id_list_manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
    [stats] = result.splits
    assert stats.records == 1
    warning = stats.warnings["select.unmatched_ids"]
    assert warning["count"] == 2 and "'r9'" in warning["examples"][0] and "train_ids.txt" in warning["examples"][0]


def test_missing_id_list_makes_the_split_missing_naming_the_pattern(tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=3)
    (data / "test_ids.txt").write_text("r0\n")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=id_list_manifest()))])
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg)
    [(task, split, error)] = result.missing
    assert split == "train" and "ids: train_ids.txt" in error


def test_empty_id_list_is_an_error(tmp_path):
    (tmp_path / "ids.txt").write_text("\n# nothing\n")
    with pytest.raises(SourceError, match="ids.txt: the id list holds no id"):
        read_id_lists([tmp_path / "ids.txt"])


def test_several_list_files_are_joined(tmp_path):
    (tmp_path / "a.txt").write_text("1\n2\n")
    (tmp_path / "b.txt").write_text("2\n3\n")
    assert read_id_lists([tmp_path / "a.txt", tmp_path / "b.txt"]) == ["1", "2", "3"]


def test_id_list_must_name_a_role_of_the_split():
    m = id_list_manifest()
    m["source"]["select"]["train"] = {"id_list": "pmids"}
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=m))])
    assert "toy.labels" not in reg.tasks
    [(_plugin, message)] = reg.problems
    assert "/source/select/train/id_list" in message and "'pmids' is not among the file roles" in message


def test_tasks_show_says_which_documents_a_split_keeps(tmp_path):
    from click.testing import CliRunner

    from medinst_core.cli import main
    from medinst_core.testing import registered

    with registered(("toy", ToyPlugin(task=id_list_manifest()))):
        output = CliRunner().invoke(main, ["tasks", "show", "toy.labels"], catch_exceptions=False).output
    assert "train  ids: train_ids.txt" in output
    assert "train  keeps the documents listed in the 'ids' file(s)" in output
