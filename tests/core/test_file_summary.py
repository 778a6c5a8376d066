"""build.json's ``files_summary`` for a split of many source files: the same
information as the ``files`` list would give, folded into counts and one digest."""

from __future__ import annotations

import hashlib

import orjson

from medinst_core import filefacts
from medinst_core.filefacts import FileFacts, facts_digest
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry
from medinst_core.sources import FileIndex

from .helpers import ToyPlugin, manifest


def write(folder, files):
    for name, lines in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"{i}\ttext {i}\tpos\n" for i in lines), encoding="utf-8")
    return folder


def split_entry(tmp_path, out, data, monkeypatch, listed, **changes):
    monkeypatch.setattr(filefacts, "FILES_LISTED", listed)
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest(**changes)))])
    result = build([reg.task("toy.labels")], tmp_path / out, data_dir=data, registry=reg, splits=["train"])
    assert result.ok, result.failed
    info = orjson.loads((tmp_path / out / "build.json").read_bytes())
    return info["tasks"]["toy.labels"]["splits"]["train"]


SOURCE = {"reader": "toy_lines", "splits": {"train": ["*/train*.tsv"], "test": ["test.tsv"]}}


def test_many_files_are_summarised_with_the_digest_of_their_list(tmp_path, monkeypatch):
    data = write(tmp_path / "data", {f"d{k}/train{k}.tsv": [f"r{k}-{i}" for i in range(3)] for k in range(12)})
    listed = split_entry(tmp_path, "a", data, monkeypatch, 1000, source=SOURCE)
    summarised = split_entry(tmp_path, "b", data, monkeypatch, 11, source=SOURCE)
    assert len(listed["files"]) == 12 and "files_summary" not in listed
    assert "files" not in summarised
    assert summarised["files_summary"] == {
        "count": 12,
        "size": sum(f["size"] for f in listed["files"]),
        "sha256": facts_digest(listed["files"]),
        "expected": {"unknown": 12},
    }
    # the digest is over path, size and sha256 of each file, in the listed order
    lines = "".join(f"{f['path']}\t{f['size']}\t{f['sha256']}\n" for f in listed["files"])
    assert summarised["files_summary"]["sha256"] == hashlib.sha256(lines.encode()).hexdigest()
    assert [f["path"] for f in listed["files"]] == sorted(f"d{k}/train{k}.tsv" for k in range(12))
    # the outputs do not depend on it, and a rebuild records the same summary
    assert (tmp_path / "a/toy.labels/train.jsonl").read_bytes() == (tmp_path / "b/toy.labels/train.jsonl").read_bytes()
    again = split_entry(tmp_path, "b", data, monkeypatch, 11, source=SOURCE)
    assert again["files_summary"] == summarised["files_summary"]


def test_a_changed_file_changes_the_digest_and_expected_counts_are_kept(tmp_path, monkeypatch):
    data = write(tmp_path / "data", {f"d{k}/train{k}.tsv": [f"r{k}"] for k in range(3)})
    first = split_entry(tmp_path, "a", data, monkeypatch, 1000, source=SOURCE)["files"][0]
    dataset = {**manifest()["dataset"], "files": [{"path": "train0.tsv", "size": first["size"], "sha256": first["sha256"]},
                                                 {"path": "train1.tsv", "size": 1}]}
    summary = split_entry(tmp_path, "b", data, monkeypatch, 2, source=SOURCE, dataset=dataset)["files_summary"]
    assert summary["expected"] == {"match": 1, "mismatch": 1, "unknown": 1}
    (data / "d2" / "train2.tsv").write_text("r2\ttext changed\tpos\n", encoding="utf-8")
    changed = split_entry(tmp_path, "c", data, monkeypatch, 2, source=SOURCE, dataset=dataset)["files_summary"]
    assert changed["sha256"] != summary["sha256"] and changed["count"] == 3


def test_blank_files_are_found_in_a_summarised_split(tmp_path, monkeypatch):
    data = write(tmp_path / "data", {"a/train1.tsv": ["x"], "b/train2.tsv": []})
    monkeypatch.setattr(filefacts, "FILES_LISTED", 1)
    files = FileIndex(data).resolve({"data": ["*/train*.tsv"]}, what="t")
    hashing = FileFacts(files, None)
    assert hashing.result() == [] and hashing.summary is not None and hashing.summary["count"] == 2
    assert hashing.blank == [data / "b" / "train2.tsv"]
