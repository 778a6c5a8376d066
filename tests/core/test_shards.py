"""One large split built in byte ranges by several workers (``--jobs``) gives
the bytes, counts, warnings and errors of a build by one process."""

from __future__ import annotations

import logging
import random
from pathlib import Path

import orjson
import pytest

from medinst_core.errors import SourceError
from medinst_core.pipeline import build
from medinst_core.readers.ranges import Part
from medinst_core.readers.tabular import read_csv
from medinst_core.sources import SourceFiles
from medinst_core.testing import registered

from .helpers import TaskOnly, ToyPlugin, kill_parallel_build, manifest

QA_FIELDS = {
    "document_id": "ABSTRACT_ID",
    "context": "TEXT",
    "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
    "type": {"const": "factoid"},
    "answers": {"path": "LABEL", "list": True},
}


def csv_task(**options):
    return manifest(
        id="t.csv", category="NED",
        source={"reader": "csv", "options": {"record": "qa", "unique_ids": False, "fields": QA_FIELDS, **options},
                "splits": {"train": ["train.csv"]}},
        formatter={"name": "abbreviation", "options": {"abbreviation_prefix": "Abbreviation: "}},
        empty_output="keep", instructions=["Expand the abbreviation.", "What does it stand for?"],
    )


def jsonl_task(**options):
    m = csv_task(**options)
    m.update(id="t.jsonl")
    m["source"]["reader"] = "jsonl"
    m["source"]["splits"] = {"train": ["train.jsonl"]}
    return m


def conll_task(**options):
    return manifest(
        id="t.conll", category="NER",
        source={"reader": "conll", "options": {"scheme": "iob2", **options}, "splits": {"train": ["train.tsv"]}},
        formatter={"name": "ner_bio", "options": {}}, empty_output="keep",
        instructions=["Tag the words.", "Tag each word."],
    )


def words(rng, n):
    return [rng.choice(["alpha", "beta", "gamma", "delta", "renal", "MS", "AF", "caf\u00e9"]) for _ in range(n)]


def write_csv(path: Path, rows: int, *, seed=0, newline_every=0, blank_every=0, long_fields=False) -> None:
    rng = random.Random(seed)
    out = ["ABSTRACT_ID,TEXT,LOCATION,LABEL\n"]
    for i in range(rows):
        w = words(rng, rng.randint(5, 20))
        text = " ".join(w)
        if newline_every and i % newline_every == 3 % newline_every:
            text = text.replace(" ", "\n", 3 if long_fields else 1)
        if i % 7 == 0:
            text += ', "quoted"'
        field = '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
        out.append(f"{i // 3},{field},1,label {i % 5}\n")
        if blank_every and i % blank_every == 0:
            out.append("\n" if i % 2 else "   \n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(out), encoding="utf-8")


def write_jsonl(path: Path, rows: int, *, seed=0, duplicate: tuple[int, int] | None = None) -> None:
    rng = random.Random(seed)
    lines = []
    for i in range(rows):
        item = {"ABSTRACT_ID": str(i // 3), "TEXT": " ".join(words(rng, rng.randint(5, 20))), "LOCATION": 1,
                "LABEL": f"label {i % 5}", "KEY": str(i)}
        if duplicate and i == duplicate[1]:
            item["KEY"] = str(duplicate[0])
        lines.append(orjson.dumps(item).decode() + "\n" + ("\n" if i % 11 == 0 else ""))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(lines), encoding="utf-8")


def write_conll(path: Path, sentences: int, *, seed=0) -> None:
    rng = random.Random(seed)
    out = []
    for i in range(sentences):
        if i % 9 == 0:
            out.append("-DOCSTART-\tO\n\n")
        for _ in range(rng.randint(2, 9)):
            tag = rng.choice(["O", "O", "O", "B-Disease", "I-Disease"])  # orphan I tags give warnings
            token = rng.choice(["renal", "failure", "of", "the", "MS", "caf\u00e9"])
            out.append(f"{token}\t{tag}\n")
        out.append("\n" if i % 5 else "\n  \n\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(out), encoding="utf-8")


def both(tmp_path, task_manifest, data, monkeypatch, caplog, *, jobs=2, threshold=20_000, variable="MEDINST_SHARD_BYTES"):
    """Build serially and sharded (cut when the split reaches ``threshold``,
    set through ``variable``); the sharded build's log messages and both results."""
    monkeypatch.setenv(variable, str(threshold))
    with registered(("toy", ToyPlugin()), ("medinst_t", TaskOnly(task_manifest))) as reg:
        task = reg.task(task_manifest["id"])
        serial = build([task], tmp_path / "serial", data_dir=data, registry=reg)
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="medinst.shards"):
            sharded = build([task], tmp_path / "sharded", data_dir=data, registry=reg, jobs=jobs)
    return [r.getMessage() for r in caplog.records], serial, sharded


def build_json(folder: Path) -> dict:
    info = orjson.loads((folder / "build.json").read_bytes())
    info["last_run"].pop("elapsed_s")
    info["last_run"].pop("data_dir", None)
    for task in info["tasks"].values():
        task.pop("source", None)
        for split in task["splits"].values():
            split.pop("elapsed_s")
    return info


def assert_identical(tmp_path, task_id):
    a = tmp_path / "serial" / task_id / "train.jsonl"
    b = tmp_path / "sharded" / task_id / "train.jsonl"
    assert a.read_bytes() and a.read_bytes() == b.read_bytes()
    assert build_json(tmp_path / "serial") == build_json(tmp_path / "sharded")
    assert not [p for p in (tmp_path / "sharded").rglob("*partial*")]


@pytest.mark.parametrize("jobs", [2, 3])
def test_csv_with_quoted_newlines_and_blank_rows(tmp_path, monkeypatch, caplog, jobs):
    write_csv(tmp_path / "data" / "train.csv", 1500, newline_every=10, blank_every=13)
    log, serial, sharded = both(tmp_path, csv_task(), tmp_path / "data", monkeypatch, caplog, jobs=jobs)
    assert serial.ok and sharded.ok
    assert f"t.csv train: built in {jobs} ranges" in log
    assert_identical(tmp_path, "t.csv")


def test_csv_cut_inside_a_quoted_field_is_built_whole(tmp_path, monkeypatch, caplog):
    # every text spans four lines: a cut between two of them looks like a line start
    write_csv(tmp_path / "data" / "train.csv", 1500, newline_every=1, long_fields=True)
    log, serial, sharded = both(tmp_path, csv_task(), tmp_path / "data", monkeypatch, caplog)
    assert serial.ok and sharded.ok
    assert any("range 0 failed" in m and "built whole" in m for m in log), log
    assert_identical(tmp_path, "t.csv")


def test_jsonl(tmp_path, monkeypatch, caplog):
    write_jsonl(tmp_path / "data" / "train.jsonl", 2000)
    log, serial, sharded = both(tmp_path, jsonl_task(), tmp_path / "data", monkeypatch, caplog, jobs=3)
    assert serial.ok and sharded.ok and "t.jsonl train: built in 3 ranges" in log
    assert_identical(tmp_path, "t.jsonl")


def test_conll_with_documents_and_warnings(tmp_path, monkeypatch, caplog):
    write_conll(tmp_path / "data" / "train.tsv", 3000)
    log, serial, sharded = both(tmp_path, conll_task(), tmp_path / "data", monkeypatch, caplog)
    assert serial.ok and sharded.ok and "t.conll train: built in 2 ranges" in log
    assert serial.splits[0].warnings["conll_orphan_inside"]["count"] > 5
    assert_identical(tmp_path, "t.conll")


def test_small_split_or_one_job_is_not_cut(tmp_path, monkeypatch, caplog):
    write_jsonl(tmp_path / "data" / "train.jsonl", 200)
    log, _, _ = both(tmp_path, jsonl_task(), tmp_path / "data", monkeypatch, caplog, threshold=10_000_000)
    assert log == []
    log, _, _ = both(tmp_path, jsonl_task(), tmp_path / "data", monkeypatch, caplog, jobs=1, threshold=1)
    assert log == []


def test_error_in_a_later_range_names_the_absolute_line(tmp_path, monkeypatch, caplog):
    path = tmp_path / "data" / "train.csv"
    write_csv(path, 1500)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1400] = "1,only three,columns\n"
    path.write_text("".join(lines), encoding="utf-8")
    log, serial, sharded = both(tmp_path, csv_task(), tmp_path / "data", monkeypatch, caplog)
    [(_, _, error)] = serial.failed
    assert "train.csv:1401" in error
    assert [e for _, _, e in sharded.failed] == [error]
    assert any("range 1 failed" in m and "train.csv:1401" in m for m in log)
    assert not (tmp_path / "sharded" / "t.csv" / "train.jsonl").exists()


def test_a_range_reader_counts_lines_from_its_base(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("ABSTRACT_ID,TEXT,LOCATION,LABEL\n1,a b,1,x\n2,c d,1,y\n3,e,f\n", encoding="utf-8")
    start = len("ABSTRACT_ID,TEXT,LOCATION,LABEL\n1,a b,1,x\n")
    part = Part(path, start, path.stat().st_size, {"index": 1, "line": 3})
    files = SourceFiles(tmp_path, {"data": (path,)})
    options = {"record": "qa", "unique_ids": False, "fields": QA_FIELDS}
    records = read_csv(files, options, None, part=part)
    first = next(records)
    assert first.id == "1" and first.source.endswith("train.csv:3")
    with pytest.raises(SourceError) as err:
        next(records)
    assert err.value.line == 4


def test_duplicate_ids_across_ranges_are_found(tmp_path, monkeypatch, caplog):
    write_jsonl(tmp_path / "data" / "train.jsonl", 2000, duplicate=(10, 1900))
    task = jsonl_task(fields={**QA_FIELDS, "id": "KEY"})
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog)
    [(_, _, error)] = serial.failed
    assert "made twice" in error
    assert [e for _, _, e in sharded.failed] == [error]
    assert any("also made before it" in m for m in log)


def test_killed_sharded_build_leaves_no_partial_output(tmp_path):
    write_conll(tmp_path / "data" / "train.tsv", 60_000)
    kill_parallel_build(tmp_path, make_task="from core.test_shards import conll_task\ntask = conll_task()",
                        task_id="t.conll", env={"MEDINST_SHARD_BYTES": "10000"})
