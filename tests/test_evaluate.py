"""medinst evaluate and medinst_core.evaluate.evaluate: matching predictions
to gold samples, the problems report, the results document."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import orjson
import pytest
from click.testing import CliRunner

from medinst_core import hookimpl
from medinst_core.cli import main
from medinst_core.errors import SourceError, UsageError
from medinst_core.metrics import reference
from medinst_core.samples import Draft
from medinst_core.scoring import PredictionsError, evaluate
from medinst_core.testing import registered

REPO = Path(__file__).resolve().parent.parent
RESULTS_SCHEMA = json.loads((REPO / "schema" / "results.schema.json").read_text())
PREDICTIONS_SCHEMA = json.loads((REPO / "schema" / "predictions.schema.json").read_text())

BASE = {
    "version": 3,
    "description": "A toy task for the evaluate tests.",
    "dataset": {
        "name": "Toy", "homepage": "https://example.org/toy", "citation": "Nobody. Toy data. 2026.",
        "license": "CC0-1.0", "access": "public",
    },
    "source": {"reader": "toyev_lines", "splits": {"test": ["test.tsv"]}},
    "formatter": {"name": "toyev_echo"},
    "empty_output": "drop",
    "instructions": ["Give the answer to the text, please."],
}  # fmt: skip


def task(task_id, category, metrics, primary=None):
    m = copy.deepcopy(BASE)
    m.update(id=task_id, name=task_id, category=category, metrics=metrics)
    if primary:
        m["primary_metric"] = primary
    return m


class EvalPlugin:
    @hookimpl
    def register_readers(self, register):
        register("toyev_lines", lambda files, options, diagnostics: iter(()), record_kind="text")

    @hookimpl
    def register_formatters(self, register):
        register("toyev_echo", lambda record, options, diagnostics: [Draft(input=record.text, output="")], record_kinds=("text",))

    @hookimpl
    def register_tasks(self, register):
        register(task("toyev.ner", "NER", ["entity_f1", "rouge_l", "word_f1"]))
        register(task("toyev.cls", "TE", ["rouge_l", "label_f1", "word_f1"], primary="label_f1"))
        register(task("toyev.sts", "STS", ["mse", "mse_corrected", "rouge_l"]))


GOLD = {
    "toyev.ner": [
        ("[BRCA1 <Gene>] [breast cancer <Disease>]", "[BRCA1 <Gene>] [cancer <Disease>]"),
        ("[aspirin <Chemical>]", "[Aspirin <chemical>]"),
        ("[p53 <Gene>]", "nothing found"),
    ],
    "toyev.cls": [("Supports", "supports"), ("Refutes", "Supports."), ("Neutral", "Neutral"), ("Refutes", "refutes")],
    "toyev.sts": [("4", "4"), ("2", "3.0"), ("0", "1")],
}


@pytest.fixture
def reg():
    with registered(("toyev", EvalPlugin())) as r:
        assert not [p for p in r.problems if p[0] == "toyev"], r.problems
        yield r


def write_jsonl(path: Path, rows) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    return path


def gold_rows(task_id):
    return [
        {"id": f"{task_id}:test:{i}", "task": task_id, "instruction": "Do it.", "input": f"text {i}", "output": g}
        for i, (g, _) in enumerate(GOLD[task_id])
    ]


def pred_rows(task_id):
    return [{"id": f"{task_id}:test:{i}", "prediction": p, "model": "toy-model"} for i, (_, p) in enumerate(GOLD[task_id])]


@pytest.fixture
def build_dir(tmp_path):
    for t in GOLD:
        write_jsonl(tmp_path / "build" / t / "test.jsonl", gold_rows(t))
        write_jsonl(tmp_path / "build" / t / "train.jsonl", gold_rows(t)[:1])
    return tmp_path / "build"


@pytest.fixture
def preds(tmp_path):
    return write_jsonl(tmp_path / "preds.jsonl", [r for t in GOLD for r in pred_rows(t)])


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def expected(task_id, metric):
    golds = [g for g, _ in GOLD[task_id]]
    preds = [p for _, p in GOLD[task_id]]
    return reference.score(metric, golds, preds)


def test_cli_scores_every_task_with_its_manifest_metrics(reg, build_dir, preds, tmp_path):
    out, samples_out = tmp_path / "res" / "results.json", tmp_path / "scores.jsonl"
    result = run("evaluate", "--predictions", preds, "--build", build_dir, "--out", out, "--samples-out", samples_out)
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    jsonschema.validate(res, RESULTS_SCHEMA)
    assert res["model"] == "toy-model"
    assert res["gold"] == {"kind": "build", "path": str(build_dir), "split": "test", "files": 3}
    assert res["predictions"]["lines"] == 10 and len(res["predictions"]["sha256"]) == 64
    ner, cls, sts = res["tasks"]["toyev.ner"], res["tasks"]["toyev.cls"], res["tasks"]["toyev.sts"]
    assert ner["n"] == 3 and ner["version"] == 3 and ner["plugin"] == "toyev"
    assert ner["primary_metric"] == "entity_f1" and ner["primary"] == ner["metrics"]["entity_f1"]
    for m in ("entity_f1", "rouge_l", "word_f1"):
        assert ner["metrics"][m] == expected("toyev.ner", m)
    assert cls["primary_metric"] == "label_f1"
    for m in ("label_f1", "rouge_l", "word_f1"):
        assert cls["metrics"][m] == expected("toyev.cls", m)
    assert sts["metrics"]["mse"] == expected("toyev.sts", "mse") == (0 + 25 + 1) / 3
    assert sts["metrics"]["mse_corrected"] == pytest.approx((0 + 1 + 1) / 3)
    assert res["metrics"]["mse"] == {"higher_is_better": False, "aggregation": "mean", "plugin": "medinst_core.default_plugins.metrics"}
    assert res["metrics"]["label_f1"]["aggregation"] == "corpus"
    assert all(p["count"] == 0 for p in res["problems"].values())
    # the terminal table
    for text in ("toyev.ner", "entity_f1", "label_f1", f"{ner['primary']:.4f}"):
        assert text in result.stdout
    # per-sample scores: mean metrics only, in gold order
    rows = [json.loads(line) for line in samples_out.read_text().splitlines()]
    assert [r["id"] for r in rows][:3] == ["toyev.cls:test:0", "toyev.cls:test:1", "toyev.cls:test:2"]
    by_id = {r["id"]: r for r in rows}
    assert set(by_id["toyev.cls:test:0"]["scores"]) == {"rouge_l", "word_f1"}
    assert by_id["toyev.ner:test:1"]["scores"]["entity_f1"] == 1.0
    assert by_id["toyev.sts:test:1"]["scores"]["mse"] == 25.0


def test_results_feed_medinst_report(reg, build_dir, preds, tmp_path):
    out = tmp_path / "r.json"
    assert run("evaluate", "-p", preds, "--build", build_dir, "--out", out, "--model", "m1").exit_code == 0
    from medinst_core.report import load_results

    model, tasks = load_results(out)
    assert model == "m1"
    assert tasks["toyev.cls"][0] == "label_f1"


def test_missing_predictions_fail_with_count_and_examples(reg, build_dir, tmp_path):
    rows = [r for t in GOLD for r in pred_rows(t)][3:]  # the three NER predictions are missing
    preds = write_jsonl(tmp_path / "p.jsonl", rows)
    out = tmp_path / "results.json"
    result = run("evaluate", "-p", preds, "--build", build_dir, "--out", out)
    assert result.exit_code == 1
    assert "3 missing predictions (e.g. toyev.ner:test:0, toyev.ner:test:1, toyev.ner:test:2)" in result.stderr
    assert "--missing empty" in result.stderr
    assert not out.exists()


def test_missing_empty_scores_them_as_empty_answers(reg, build_dir, tmp_path):
    rows = [r for t in GOLD for r in pred_rows(t) if r["id"] != "toyev.ner:test:1"]
    preds = write_jsonl(tmp_path / "p.jsonl", rows)
    out = tmp_path / "results.json"
    result = run("evaluate", "-p", preds, "--build", build_dir, "--out", out, "--missing", "empty")
    assert result.exit_code == 0, result.output
    assert "1 missing prediction" in result.stderr and "toyev.ner:test:1" in result.stderr
    res = json.loads(out.read_text())
    jsonschema.validate(res, RESULTS_SCHEMA)
    assert res["missing_policy"] == "empty"
    assert res["problems"]["missing"] == {"count": 1, "examples": ["toyev.ner:test:1"]}
    assert res["tasks"]["toyev.ner"]["scored_empty"] == 1
    golds = [g for g, _ in GOLD["toyev.ner"]]
    preds_ = [p for _, p in GOLD["toyev.ner"]]
    preds_[1] = ""
    assert res["tasks"]["toyev.ner"]["metrics"]["entity_f1"] == reference.score("entity_f1", golds, preds_)
    assert "(1 empty)" in result.stdout


def test_malformed_duplicate_and_unknown_lines_are_reported_with_locations(reg, build_dir, tmp_path):
    rows = [orjson.dumps(r).decode() for t in GOLD for r in pred_rows(t)]
    rows[0] = '{"id": "toyev.ner:test:0", "prediction": '  # truncated JSON
    rows.insert(2, "[1, 2]")
    rows.insert(3, '{"prediction": "x"}')
    rows.insert(4, '{"id": "toyev.cls:test:0", "prediction": null}')
    rows.append(orjson.dumps({"id": "toyev.cls:test:1", "prediction": "Refutes"}).decode())  # conflicting duplicate
    rows.append(orjson.dumps({"id": "toyev.cls:test:2", "prediction": "Neutral"}).decode())  # same answer again
    rows.append(orjson.dumps({"id": "toyev.nope:test:9", "prediction": "x"}).decode())
    preds = tmp_path / "p.jsonl"
    preds.write_text("\n".join(rows) + "\n\n")
    result = run("evaluate", "-p", preds, "--build", build_dir)
    assert result.exit_code == 1
    err = result.stderr
    assert f"{preds}:1: not valid JSON" in err
    assert f"{preds}:3: expected a JSON object, found list" in err
    assert f"{preds}:4: no string \"id\"" in err
    assert f"{preds}:5: \"prediction\" is NoneType, not a string (id toyev.cls:test:0)" in err
    assert "4 malformed lines" in err
    assert "2 duplicate ids" in err and "different answers" in err and "same answer" in err
    assert "1 id not in the gold set" in err and "toyev.nope:test:9" in err
    assert "1 missing prediction" in err  # toyev.ner:test:0 (its line is malformed)

    out = tmp_path / "r.json"
    lenient = run("evaluate", "-p", preds, "--build", build_dir, "--missing", "empty", "--out", out)
    assert lenient.exit_code == 0, lenient.output
    res = json.loads(out.read_text())
    assert {k: v["count"] for k, v in res["problems"].items()} == {"missing": 1, "duplicate": 2, "unknown": 1, "malformed": 4}
    # the conflicting duplicate is scored as empty, the identical one is used
    assert res["tasks"]["toyev.cls"]["scored_empty"] == 1
    assert res["tasks"]["toyev.ner"]["scored_empty"] == 1


def test_task_not_installed_needs_metric_option(reg, tmp_path):
    gold = write_jsonl(tmp_path / "gold.jsonl", [{"id": "other.qa:test:0", "task": "other.qa", "output": "B"}])
    preds = write_jsonl(tmp_path / "p.jsonl", [{"id": "other.qa:test:0", "prediction": "b"}])
    result = run("evaluate", "-p", preds, "--gold", gold)
    assert result.exit_code == 2
    assert "task other.qa (1 gold samples) is not installed" in result.stderr and "--metric" in result.stderr
    out = tmp_path / "r.json"
    result = run("evaluate", "-p", preds, "--gold", gold, "--metric", "exact_match", "--metric", "rouge_l", "--out", out)
    assert result.exit_code == 0, result.output
    res = json.loads(out.read_text())
    jsonschema.validate(res, RESULTS_SCHEMA)
    assert res["tasks"]["other.qa"] == {
        "n": 1, "scored_empty": 0, "metrics": {"exact_match": 1.0, "rouge_l": 1.0}, "primary_metric": "exact_match",
        "primary": 1.0, "version": None, "plugin": None, "manifest_sha256": None,
    }  # fmt: skip
    assert res["model"] is None
    bad = run("evaluate", "-p", preds, "--gold", gold, "--metric", "exact_matc")
    assert bad.exit_code == 2 and "did you mean 'exact_match'" in bad.stderr


def test_gold_folder_and_task_filter(reg, build_dir, preds, tmp_path):
    folder = tmp_path / "zero-shot"
    for t in GOLD:
        write_jsonl(folder / f"{t}.jsonl", gold_rows(t))
    out = tmp_path / "r.json"
    result = run("evaluate", "-p", preds, "--gold", folder, "--task", "toyev.sts", "--out", out, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["tasks"].keys() == {"toyev.sts"}
    res = json.loads(out.read_text())
    assert res["gold"] == {"kind": "directory", "path": str(folder), "files": 3}
    assert all(p["count"] == 0 for p in res["problems"].values())  # other tasks' predictions are not "unknown"
    assert run("evaluate", "-p", preds, "--gold", folder, "--task", "toyev.st").exit_code == 2


def test_gold_and_build_are_exclusive_and_required(reg, build_dir, preds):
    assert run("evaluate", "-p", preds).exit_code == 2
    assert run("evaluate", "-p", preds, "--build", build_dir, "--gold", build_dir).exit_code == 2
    result = run("evaluate", "-p", preds, "--build", build_dir, "--split", "dev")
    assert result.exit_code == 1 and "no dev split" in result.stderr


def test_malformed_gold_names_file_and_line(reg, tmp_path, preds):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a:test:0", "task": "toyev.cls", "output": "Supports"}\n{"id": "a:test:1", "task": "toyev.cls"}\n')
    with pytest.raises(SourceError, match=r"gold\.jsonl:2: a gold sample needs a string 'output'"):
        evaluate(preds, gold=gold)
    gold.write_text('{"id": "a:test:0", "task": "toyev.cls", "output": "x"}\n' * 2)
    with pytest.raises(SourceError, match=r"gold\.jsonl:2: gold id 'a:test:0' appears twice"):
        evaluate(preds, gold=gold)


def test_python_api_with_mappings(reg):
    gold = gold_rows("toyev.cls")
    answers = {r["id"]: r["prediction"] for r in pred_rows("toyev.cls")}
    ev = evaluate(answers, gold=gold)
    assert ev.results["tasks"]["toyev.cls"]["primary"] == expected("toyev.cls", "label_f1")
    assert len(ev.samples) == 4 and not ev.problems
    assert "toyev.cls" in ev.table()
    del answers["toyev.cls:test:3"]
    with pytest.raises(PredictionsError) as err:
        evaluate(answers, gold=gold)
    assert err.value.problems.missing.count == 1
    with pytest.raises(UsageError):
        evaluate(answers, gold=gold, missing="drop")


def test_predictions_schema_accepts_predict_lines():
    jsonschema.validate({"id": "a:test:1", "prediction": "x", "model": "m", "usage": None, "latency_s": 0.2}, PREDICTIONS_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"id": "a:test:1", "prediction": None}, PREDICTIONS_SCHEMA)


def test_schema_command_prints_the_schemas():
    for name in ("predictions", "results"):
        result = run("schema", name)
        assert result.exit_code == 0
        assert json.loads(result.stdout)["$id"] == f"https://medinst.dev/schema/{name}/v1.json"


def test_package_attribute_stays_the_function():
    """`medinst_core.evaluate` is the API function on every access, even
    though importing it loads the submodule of the same name."""
    import subprocess
    import sys

    code = (
        "import medinst_core, types\n"
        "first = medinst_core.evaluate\n"
        "second = medinst_core.evaluate\n"
        "assert callable(first) and not isinstance(second, types.ModuleType), second\n"
        "assert first is second\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.mark.parametrize("columns", [60, 200])
def test_the_cli_table_fits_the_terminal(reg, build_dir, preds, tmp_path, columns):
    result = CliRunner().invoke(main, ["evaluate", "--predictions", str(preds), "--build", str(build_dir),
                                       "--out", str(tmp_path / "r.json")], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[0].split()[:4] == ["task", "n", "metric", "value"]
    assert {line.split()[0] for line in lines[2:]} == set(GOLD)  # every task on its line, never shortened
    shortened = any(line.rstrip().endswith("…") for line in lines)
    assert shortened == (columns == 60)  # only the other metrics give way
