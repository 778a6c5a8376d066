"""What travels from predict to evaluate to report: the run's settings, the
suite, the per-sample log with its hashes, and the report's warnings when
results are not comparable."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import jsonschema
import orjson
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.prompting import Generation, doc_hash, prompt_hash, target_hash

from .chat_server import ChatServer

ROOT = Path(__file__).resolve().parents[2]
RESULTS_SCHEMA = json.loads((ROOT / "schema" / "results.schema.json").read_text())
PREDICTIONS_SCHEMA = json.loads((ROOT / "schema" / "predictions.schema.json").read_text())
META_SCHEMA = json.loads((ROOT / "schema" / "predictions-meta.schema.json").read_text())


def write_suite(root: Path, n: int = 6) -> Path:
    """A suite folder as `medinst suite build` writes it: suite.json, zero-shot/ and 2-shot/."""
    for folder, history in (("zero-shot", []), ("2-shot", [["Answer.\nexample 1", "e1"], ["Answer.\nexample 2", "e2"]])):
        (root / folder).mkdir(parents=True)
        with open(root / folder / "t.x.jsonl", "wb") as f:
            for i in range(n):
                f.write(orjson.dumps({"id": f"t.x:test:{i}", "task": "t.x", "instruction": "Answer.", "input": f"question {i}",
                                      "output": f"answer: question {i}" if i % 2 == 0 else "other", "history": history}) + b"\n")
    (root / "suite.json").write_text(json.dumps({"suite": "toy", "shots": 2, "seed": 11, "tasks": []}))
    return root


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result


def predict_cli(server, source, out, *extra):
    result = run("predict", source, "--base-url", server.base_url, "--model", "m", "--out", out, *extra)
    assert result.exit_code == 0, result.output
    return result


def test_settings_travel_from_predict_to_the_results(tmp_path):
    suite = write_suite(tmp_path / "suite")
    (tmp_path / "system.txt").write_text("You are a careful biomedical annotator.\n")
    preds = tmp_path / "p.jsonl"
    with ChatServer() as server:
        result = predict_cli(server, suite / "2-shot", preds, "--system-file", tmp_path / "system.txt", "--temperature", "0.2",
                    "--max-tokens", "64", "--stop", "###", "--stop", "END", "--seed", "7")
    for line in preds.read_bytes().splitlines():
        jsonschema.validate(orjson.loads(line), PREDICTIONS_SCHEMA)
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal
    meta = orjson.loads((tmp_path / "p.jsonl.meta.json").read_bytes())
    jsonschema.validate(meta, META_SCHEMA)
    settings = {"endpoint": "chat", "prompt_format": "medinst-chat-1", "system": "You are a careful biomedical annotator.",
                "temperature": 0.2, "max_tokens": 64, "stop": ["###", "END"], "seed": 7}
    assert meta["generation"] == settings and meta["model"] == "m" and meta["base_urls"] == [server.base_url]
    samples_file = suite / "2-shot" / "t.x.jsonl"
    assert meta["inputs"]["files"] == [{"path": str(samples_file), "sha256": hashlib.sha256(samples_file.read_bytes()).hexdigest(),
                                        "samples": 6}]
    assert meta["inputs"]["suite"] == {"name": "toy", "shots": 2, "seed": 11}
    assert meta["inputs"]["tasks"]["t.x"]["samples"] == 6
    assert meta["runs"][0]["predicted"] == 6 and "finished" in meta["runs"][0]

    out = tmp_path / "results.json"
    result = run("evaluate", "-p", preds, "--gold", suite / "2-shot", "--metric", "exact_match", "--out", out)
    assert result.exit_code == 0, result.output
    assert "\r" not in result.stderr
    results = orjson.loads(out.read_bytes())
    jsonschema.validate(results, RESULTS_SCHEMA)
    assert results["generation"]["settings"] == settings
    assert results["generation"]["model"] == "m" and results["generation"]["base_urls"] == [server.base_url]
    assert results["generation"]["settings_sha256"] == meta["settings_sha256"]
    assert results["suite"] == {"name": "toy", "shots": 2, "seed": 11}
    assert results["prompt_check"] == {"checked": 6, "mismatched": 0} and results["warnings"] == []
    assert results["tasks"]["t.x"]["primary"] == 0.5


def test_the_per_sample_log_holds_prompt_target_prediction_scores_and_hashes(tmp_path):
    suite = write_suite(tmp_path / "suite")
    preds = tmp_path / "p.jsonl"
    with ChatServer() as server:
        predict_cli(server, suite / "2-shot", preds, "--system", "Be brief.")
    log = tmp_path / "log.jsonl"
    result = run("evaluate", "-p", preds, "--gold", suite / "2-shot", "--metric", "exact_match", "--log-samples", log)
    assert result.exit_code == 0, result.output
    rows = [orjson.loads(x) for x in log.read_bytes().splitlines()]
    gold = [orjson.loads(x) for x in (suite / "2-shot" / "t.x.jsonl").read_bytes().splitlines()]
    assert [r["id"] for r in rows] == [g["id"] for g in gold]
    first, second = rows[0], rows[1]
    messages = Generation(system="Be brief.").prompt(gold[0])
    assert first["prompt"] == messages and messages[0] == {"role": "system", "content": "Be brief."}
    assert first["prompt"][1:5] == [{"role": "user", "content": "Answer.\nexample 1"}, {"role": "assistant", "content": "e1"},
                                    {"role": "user", "content": "Answer.\nexample 2"}, {"role": "assistant", "content": "e2"}]
    assert first["target"] == "answer: question 0" and first["prediction"] == "answer: question 0"
    assert first["scores"] == {"exact_match": 1.0} and second["scores"] == {"exact_match": 0.0}
    assert first["doc_hash"] == doc_hash(gold[0]) and first["target_hash"] == target_hash("answer: question 0")
    assert first["prompt_hash"] == prompt_hash(messages)
    assert all(r["prompt_match"] is True for r in rows)
    sent = {orjson.loads(x)["id"]: orjson.loads(x)["prompt_hash"] for x in preds.read_bytes().splitlines()}
    assert sent[first["id"]] == first["prompt_hash"]


def test_predictions_of_other_prompts_are_flagged(tmp_path):
    suite = write_suite(tmp_path / "suite")
    preds = tmp_path / "p.jsonl"
    with ChatServer() as server:
        predict_cli(server, suite / "2-shot", preds)
    log = tmp_path / "log.jsonl"
    out = tmp_path / "r.json"
    result = run("evaluate", "-p", preds, "--gold", suite / "zero-shot", "--metric", "exact_match", "--samples-out", log, "--out", out)
    assert result.exit_code == 0, result.output
    assert "6 of 6 predictions were made on other prompts" in result.stderr
    assert "made on the 2-shot samples (seed 11) and the gold is 0-shot" in result.stderr
    results = orjson.loads(out.read_bytes())
    assert results["prompt_check"] == {"checked": 6, "mismatched": 6} and len(results["warnings"]) == 2
    assert all(orjson.loads(x)["prompt_match"] is False for x in log.read_bytes().splitlines())


def test_evaluate_without_a_record_still_logs_the_default_prompt(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_bytes(orjson.dumps({"id": "a:test:1", "task": "a", "instruction": "Do.", "input": "x", "output": "y"}) + b"\n")
    preds = tmp_path / "p.jsonl"
    preds.write_bytes(b'{"id": "a:test:1", "prediction": "y"}\n')
    log = tmp_path / "log.jsonl"
    out = tmp_path / "r.json"
    result = run("evaluate", "-p", preds, "--gold", gold, "--metric", "exact_match", "--samples-out", log, "--out", out)
    assert result.exit_code == 0, result.output
    row = orjson.loads(log.read_bytes())
    assert row["prompt"] == [{"role": "user", "content": "Do.\nx"}] and row["prompt_match"] is None
    results = orjson.loads(out.read_bytes())
    assert results["generation"] is None and results["suite"] is None
    jsonschema.validate(results, RESULTS_SCHEMA)


def _results(tmp_path, name, server, *extra, shots="2-shot"):
    suite = tmp_path / "suite"
    if not suite.exists():
        write_suite(suite)
    preds = tmp_path / f"{name}.jsonl"
    result = run("predict", suite / shots, "--base-url", server.base_url, "--model", name, "--out", preds, *extra)
    assert result.exit_code == 0, result.output
    out = tmp_path / f"{name}.results.json"
    result = run("evaluate", "-p", preds, "--gold", suite / shots, "--metric", "exact_match", "--out", out)
    assert result.exit_code == 0, result.output
    return out


def test_report_warns_when_results_were_made_differently(tmp_path):
    with ChatServer() as server:
        a = _results(tmp_path, "a", server)
        b = _results(tmp_path, "b", server)
        c = _results(tmp_path, "c", server, "--temperature", "0.7")
        d = _results(tmp_path, "d", server, shots="zero-shot")
    same = run("report", a, b)
    assert same.exit_code == 0 and "warning" not in same.stderr
    hot = run("report", a, c)
    assert "different generation settings (a: temperature=0.0; c: temperature=0.7)" in hot.stderr
    fewer = run("report", a, d)
    assert "different few-shot examples: a: 2, d: 0" in fewer.stderr
    data = orjson.loads(c.read_bytes())
    data["tasks"]["t.x"]["version"] = 3
    c.write_bytes(orjson.dumps(data))
    changed = run("report", a, c, "--format", "json")
    assert "task versions or manifests differ between the results files: t.x (a: vNone, c: v3)" in changed.stderr
    assert any("task versions" in w for w in orjson.loads(changed.stdout)["warnings"])


def test_gold_without_a_usable_prompt_is_logged_without_one(tmp_path):
    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "a:test:1", "task": "a", "output": "y"},
            {"id": "a:test:2", "task": "a", "instruction": "Do.", "input": "x", "history": [["one"]], "output": "y"}]
    gold.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in rows))
    preds = tmp_path / "p.jsonl"
    preds.write_bytes(b'{"id": "a:test:1", "prediction": "y", "prompt_hash": "00"}\n{"id": "a:test:2", "prediction": "n"}\n')
    log = tmp_path / "log.jsonl"
    result = run("evaluate", "-p", preds, "--gold", gold, "--metric", "exact_match", "--samples-out", log)
    assert result.exit_code == 0, result.output
    logged = [orjson.loads(x) for x in log.read_bytes().splitlines()]
    assert [(r["prompt"], r["prompt_hash"], r["prompt_match"]) for r in logged] == [(None, None, None), (None, None, None)]
    assert [r["scores"]["exact_match"] for r in logged] == [1.0, 0.0]
