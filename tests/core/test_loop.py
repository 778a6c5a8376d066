"""The whole loop a researcher runs: suite build -> predict (against a real
local chat server) -> evaluate -> report."""

from __future__ import annotations

import orjson
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.testing import registered

from .chat_server import ChatServer
from .helpers import TaskOnly, ToyPlugin, manifest
from .test_suite import SuitePlugin


def test_suite_predict_evaluate_report(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.tsv").write_text("".join(f"r{i}\ttrain text {i}\tl{i % 3}\n" for i in range(30)))
    (data / "test.tsv").write_text("".join(f"t{i}\ttest text {i}\tl{i % 3}\n" for i in range(8)))
    notrain = manifest(id="toy.notrain", instructions=["Another instruction for a task without training data."])
    notrain["source"]["splits"] = {"test": ["test.tsv"]}
    gold = {f"test text {i}": f"l{i % 3}" for i in range(8)}
    runner = CliRunner()
    with registered(("toy", ToyPlugin(task=manifest())), ("medinst_toy", TaskOnly(notrain)), ("suite", SuitePlugin())):
        result = runner.invoke(main, ["suite", "build", "toysuite", "--data-dir", str(data), "--out", str(tmp_path / "suite")])
        assert result.exit_code == 0, result.output
        assert "not installed toy.absent: not installed" in result.output
        shots = tmp_path / "suite" / "2-shot"
        results = []
        for model, answer in [("oracle", lambda p: gold[p.rsplit("\n", 1)[-1]]), ("constant", lambda p: "l0")]:
            preds = tmp_path / f"{model}.jsonl"
            with ChatServer(answer=answer) as server:
                result = runner.invoke(main, ["predict", str(shots), "--base-url", server.base_url, "--model", model,
                                              "--concurrency", "3", "--out", str(preds)])
                assert result.exit_code == 0, result.output
                # the few-shot history reaches the server as earlier turns
                assert server.requests == 11
            out = tmp_path / f"{model}.results.json"
            result = runner.invoke(main, ["evaluate", "--predictions", str(preds), "--gold", str(shots), "--out", str(out)])
            assert result.exit_code == 0, result.output
            results.append(out)
        oracle = orjson.loads(results[0].read_bytes())
        assert oracle["model"] == "oracle"
        assert oracle["tasks"]["toy.labels"]["primary"] == 1.0 and oracle["tasks"]["toy.notrain"]["n"] == 8
        constant = orjson.loads(results[1].read_bytes())
        assert constant["tasks"]["toy.notrain"]["primary"] == 3 / 8  # t0, t3, t6 are l0
        result = runner.invoke(main, ["report", *map(str, results), "--suite", "toysuite", "--format", "csv"])
        assert result.exit_code == 0, result.output
        lines = result.stdout.splitlines()
        assert lines[0] == "kind,name,category,metric,better,oracle,constant"
        assert "task,toy.notrain,TXTCLASS,toy_exact,higher,1.0000,0.3750" in lines
        assert any(line.startswith("category,TXTCLASS average,TXTCLASS,mean of toy_exact,higher,1.0000,") for line in lines)


def test_medinst32_loop_on_bundled_samples_of_installed_plugins(tmp_path):
    """medinst32 from the plugins' bundled samples, an oracle model that answers
    with the gold output, and the scores each task's own metrics give it."""
    from medinst_core import plugins

    plugins.reset_registry()
    try:
        reg = plugins.get_registry()
        installed = [e["task"] for e in reg.suite("medinst32")["tasks"] if e["task"] in reg.tasks and reg.tasks[e["task"]].bundled]
        if "biosses.sts" not in installed:
            import pytest

            pytest.skip("the medinst-biosses plugin is not installed")
        runner = CliRunner()
        suite_dir = tmp_path / "suite"
        result = runner.invoke(main, ["suite", "build", "medinst32", "--bundled", "--out", str(suite_dir), "--seed", "3"])
        assert result.exit_code == 0, result.output
        built = {p.stem for p in (suite_dir / "zero-shot").glob("*.jsonl")}
        assert "biosses.sts" in built and built <= set(installed)
        summary = orjson.loads((suite_dir / "suite.json").read_bytes())
        skipped = {t["task"] for t in summary["tasks"] if t["skipped"]}
        assert len(built) + len(skipped) == 32
        sources = {t["task"]: t["shot_source"] for t in summary["tasks"]}
        gold = {}
        for path in (suite_dir / "2-shot").glob("*.jsonl"):
            for line in path.read_bytes().splitlines():
                sample = orjson.loads(line)
                gold[sample["instruction"] + "\n" + sample["input"]] = sample["output"]
                # examples exist unless no installed task of the category has training samples
                assert bool(sample["history"]) == bool(sources[sample["task"]]), sample["id"]
        preds = tmp_path / "oracle.jsonl"
        with ChatServer(answer=lambda prompt: gold[prompt]) as server:
            result = runner.invoke(main, ["predict", str(suite_dir / "2-shot"), "--base-url", server.base_url,
                                          "--model", "oracle", "--out", str(preds)])
            assert result.exit_code == 0, result.output
        out = tmp_path / "results.json"
        result = runner.invoke(main, ["evaluate", "--predictions", str(preds), "--gold", str(suite_dir / "2-shot"), "--out", str(out)])
        assert result.exit_code == 0, result.output
        results = orjson.loads(out.read_bytes())
        for task, entry in results["tasks"].items():
            best = 0.0 if entry["primary_metric"].startswith("mse") else 1.0
            assert entry["primary"] == best, (task, entry)
        result = runner.invoke(main, ["report", str(out), "--suite", "medinst32", "--format", "markdown"])
        assert result.exit_code == 0 and "| biosses.sts | STS | mse ↓ | 0.0000 |" in result.stdout
    finally:
        plugins.reset_registry()
