"""medinst export: chat messages JSONL, alpaca + dataset_info.json, Parquet and
a Hugging Face dataset folder, from a build, a suite (with and without history)
and a mixture."""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from medinst_core import hookimpl
from medinst_core.cli import main
from medinst_core.errors import SourceError
from medinst_core.export import COLUMNS, export, messages, to_yaml
from medinst_core.mixture import make_mixture
from medinst_core.pipeline import build
from medinst_core.suite import build_suite
from medinst_core.testing import registered

from .helpers import TaskOnly, ToyPlugin, manifest


class SuitePlugin:
    @hookimpl
    def register_suites(self, register):
        register({
            "id": "toysuite", "name": "Toy suite", "description": "For tests.", "shots": 2,
            "tasks": [{"task": "toy.labels", "category": "TXTCLASS"}, {"task": "toy_nc.labels", "category": "TXTCLASS"}],
        })


@pytest.fixture
def reg(tmp_path):
    data = tmp_path / "data"
    (data / "a").mkdir(parents=True)
    (data / "a" / "train.tsv").write_text("".join(f"r{i}\ttrain text {i}\tl{i % 3}\n" for i in range(20)))
    (data / "a" / "test.tsv").write_text("".join(f"t{i}\ttest | text {i}\tl{i % 3}\n" for i in range(6)))
    nc = manifest(id="toy_nc.labels", name="Toy NC")
    nc["dataset"] = {**nc["dataset"], "name": "Toy NC", "license": "CC-BY-NC-4.0", "citation": "Somebody. NC toy. 2025."}
    with registered(("toy", ToyPlugin(task=manifest(empty_output="keep"))), ("toy_nc", TaskOnly(nc)),
                    ("suite", SuitePlugin())) as registry:
        yield registry, data


@pytest.fixture
def built(reg, tmp_path):
    registry, data = reg
    out = tmp_path / "built"
    build(list(registry.tasks.values()), out, data_dir=data, registry=registry)
    return out


@pytest.fixture
def suite_dir(reg, tmp_path):
    registry, data = reg
    out = tmp_path / "suite"
    build_suite("toysuite", out, data_dir=data, seed=3, registry=registry)
    return out


def jsonl(path):
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


def check_chat(row, sample):
    turns = row["messages"]
    body = turns[1:] if turns[0]["role"] == "system" else turns
    assert [t["role"] for t in body] == ["user", "assistant"] * (len(body) // 2) and len(body) % 2 == 0
    assert body[-1] == {"role": "assistant", "content": sample["output"]}
    assert body[-2] == {"role": "user", "content": sample["instruction"] + "\n" + sample["input"]}
    history = [[body[i]["content"], body[i + 1]["content"]] for i in range(0, len(body) - 2, 2)]
    assert history == (sample.get("history") or [])


def test_chat_from_a_build(reg, built, tmp_path):
    registry, _ = reg
    out = tmp_path / "chat"
    result = export(built, out, "chat", system="You are a biomedical assistant.", registry=registry)
    assert result.counts == {("toy.labels", "train"): 20, ("toy.labels", "test"): 6,
                             ("toy_nc.labels", "train"): 20, ("toy_nc.labels", "test"): 6}
    gold = {s["id"]: s for t in ("toy.labels", "toy_nc.labels") for sp in ("train", "test") for s in jsonl(built / t / f"{sp}.jsonl")}
    rows = jsonl(out / "train.jsonl") + jsonl(out / "test.jsonl")
    assert len(rows) == 52
    for row in rows:
        assert row["messages"][0] == {"role": "system", "content": "You are a biomedical assistant."}
        check_chat(row, gold[row["id"]])


def test_chat_from_a_suite_puts_history_as_earlier_turns(reg, suite_dir, tmp_path):
    out = tmp_path / "chat"
    export(suite_dir, out, "chat")
    few = jsonl(out / "2_shot.jsonl")
    zero = jsonl(out / "zero_shot.jsonl")
    gold = {s["id"]: s for p in (suite_dir / "2-shot").glob("*.jsonl") for s in jsonl(p)}
    assert few and len(few) == len(zero) == 12
    for row in few:
        assert len(row["messages"]) == 6  # two examples, then the question
        check_chat(row, gold[row["id"]])
    assert all(len(r["messages"]) == 2 for r in zero)


def test_messages_alternate_whatever_the_history():
    sample = {"instruction": "I", "input": "x", "output": "y", "history": [["a", "b"], ["c", "d"]]}
    assert [m["role"] for m in messages(sample, "S")] == ["system", "user", "assistant", "user", "assistant", "user", "assistant"]


def test_alpaca_with_dataset_info(reg, suite_dir, tmp_path):
    out = tmp_path / "llamafactory"
    (out).mkdir()
    (out / "dataset_info.json").write_text(json.dumps({"theirs": {"file_name": "theirs.json"}}))
    export(suite_dir, out, "alpaca", name="medinst32")
    info = json.loads((out / "dataset_info.json").read_text())
    assert info["theirs"] == {"file_name": "theirs.json"}  # an existing entry is kept
    entry = info["medinst32_2_shot"]
    assert entry == {"file_name": "medinst32_2_shot.json", "formatting": "alpaca",
                     "columns": {"prompt": "instruction", "query": "input", "response": "output", "system": "system", "history": "history"}}
    rows = json.loads((out / "medinst32_2_shot.json").read_text())
    assert len(rows) == 12 and all(len(r["history"]) == 2 for r in rows)
    assert set(rows[0]) == {"instruction", "input", "output", "system", "history", "id", "task"}
    zero = json.loads((out / "medinst32_zero_shot.json").read_text())
    assert all(r["history"] == [] for r in zero)


def test_parquet_columns_are_uniform(reg, suite_dir, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow (the [parquet] extra) is not installed")
    out = tmp_path / "pq"
    export(suite_dir, out, "parquet")
    zero = pq.read_table(out / "toy.labels" / "zero_shot.parquet")
    few = pq.read_table(out / "toy.labels" / "2_shot.parquet")
    assert zero.schema == few.schema and zero.column_names == list(COLUMNS)
    assert zero.column("history").to_pylist() == [[]] * 6
    assert all(len(h) == 2 for h in few.column("history").to_pylist())


def test_hf_folder_card_structure(reg, built, tmp_path):
    pytest.importorskip("pyarrow", reason="pyarrow (the [parquet] extra) is not installed")
    registry, _ = reg
    out = tmp_path / "hf"
    export(built, out, "hf", name="toyset", registry=registry)
    card = (out / "README.md").read_text()
    assert card.startswith("---\n")
    front = card.split("---\n")[1]
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    meta = yaml.safe_load(front)
    assert meta["license"] == ["cc-by-nc-4.0", "cc0-1.0"]
    configs = {c["config_name"]: c for c in meta["configs"]}
    assert configs["all"]["default"] is True
    assert configs["all"]["data_files"] == [{"split": "train", "path": "data/*/train.parquet"},
                                            {"split": "test", "path": "data/*/test.parquet"}]
    assert configs["toy_nc.labels"]["data_files"][0] == {"split": "train", "path": "data/toy_nc.labels/train.parquet"}
    for c in meta["configs"]:
        for f in c["data_files"]:
            assert list(out.glob(f["path"])), f["path"]
    assert {s["name"]: s["num_examples"] for s in meta["dataset_info"]["splits"]} == {"train": 40, "test": 12}
    assert "| toy_nc.labels | TXTCLASS | Toy NC | CC-BY-NC-4.0 | public | 20 | 6 |" in card
    assert "Somebody. NC toy. 2025." in card and "Nobody. Toy data. 2026." in card


def _load_dataset():
    datasets = pytest.importorskip("datasets", reason="the datasets library is not installed")
    return datasets.load_dataset


@pytest.mark.parametrize("kind", ["build", "suite"])
def test_hf_folder_loads_with_datasets(reg, built, suite_dir, tmp_path, kind, monkeypatch):
    load_dataset = _load_dataset()
    registry, _ = reg
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf_home"))
    out = tmp_path / f"hf_{kind}"
    export(built if kind == "build" else suite_dir, out, "hf", registry=registry)
    ds = load_dataset(str(out), cache_dir=str(tmp_path / "cache"))
    if kind == "build":
        assert {k: len(v) for k, v in ds.items()} == {"train": 40, "test": 12}
        assert sorted(set(ds["train"]["task"])) == ["toy.labels", "toy_nc.labels"]
        one = load_dataset(str(out), "toy.labels", cache_dir=str(tmp_path / "cache"))
        assert {k: len(v) for k, v in one.items()} == {"train": 20, "test": 6}
    else:
        assert {k: len(v) for k, v in ds.items()} == {"2_shot": 12, "zero_shot": 12}
        assert all(h == [] for h in ds["zero_shot"]["history"])
        assert all(len(h) == 2 for h in ds["2_shot"]["history"])
    assert ds[next(iter(ds))].column_names == list(COLUMNS)


def test_mixture_file_exports_as_train(reg, built, tmp_path):
    registry, _ = reg
    mix = tmp_path / "mix.jsonl"
    make_mixture(mix, 10, build_dir=built, seed=2, registry=registry)
    result = export(mix, tmp_path / "chat", "chat", registry=registry)
    assert sum(result.counts.values()) == 10 and {s for _, s in result.counts} == {"train"}
    assert len(jsonl(tmp_path / "chat" / "train.jsonl")) == 10


def test_bad_sample_names_file_and_line(tmp_path):
    (tmp_path / "b" / "toy.labels").mkdir(parents=True)
    bad = {"id": "toy.labels:train:1", "task": "toy.labels", "instruction": "I", "input": "x", "output": 3}
    (tmp_path / "b" / "toy.labels" / "train.jsonl").write_text(json.dumps(bad) + "\n")
    with pytest.raises(SourceError, match=r"train.jsonl:1: .*'output'"):
        export(tmp_path / "b", tmp_path / "o", "chat")


def test_cli_export(reg, built, tmp_path):
    result = CliRunner().invoke(main, ["export", str(built), "--format", "chat", "--out", str(tmp_path / "c"), "--task", "toy.labels"])
    assert result.exit_code == 0, result.output
    assert "26 samples exported as chat" in result.stderr
    assert {r["task"] for r in jsonl(tmp_path / "c" / "train.jsonl")} == {"toy.labels"}


def test_to_yaml_round_trips():
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed")
    value = {"a": [{"b": "x: y", "c": True, "d": []}, {"e": ['quote "q"', "back\\slash"]}], "f": {"g": 1}, "h": "#not a comment"}
    assert yaml.safe_load(to_yaml(value)) == value
