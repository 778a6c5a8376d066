"""medinst export --format lm-eval: lm-evaluation-harness loads the task
folder, and its scores are medinst evaluate's (gold answers score 1.0)."""

from __future__ import annotations

import orjson
import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.errors import UsageError
from medinst_core.lmeval import PRIMARY, export_lmeval
from medinst_core.pipeline import build
from medinst_core.scoring import evaluate
from medinst_core.suite import build_suite
from medinst_core.testing import registered

from .helpers import TaskOnly, ToyPlugin, manifest
from .test_export import SuitePlugin

pytest.importorskip("lm_eval", reason="lm-eval is not installed (pip install 'medinst-core[lmeval]')")
yaml = pytest.importorskip("yaml", reason="PyYAML (an lm-eval dependency) is not installed")


@pytest.fixture
def reg(tmp_path):
    data = tmp_path / "data"
    (data / "a").mkdir(parents=True)
    (data / "a" / "train.tsv").write_text("".join(f"r{i}\ttrain text {i}\tl{i % 3}\n" for i in range(20)))
    (data / "a" / "test.tsv").write_text("".join(f"t{i}\ttest text {i}\tl{i % 3}\n" for i in range(9)))
    labels = manifest(metrics=["label_f1", "exact_match", "rouge_l"], empty_output="keep")
    errors = manifest(id="toy_nc.labels", name="Toy STS", category="STS", metrics=["mse", "exact_match"])
    errors["dataset"] = {**errors["dataset"], "license": "CC-BY-NC-4.0"}
    with registered(("toy", ToyPlugin(task=labels)), ("toy_nc", TaskOnly(errors)), ("suite", SuitePlugin())) as registry:
        yield registry, data


@pytest.fixture
def built(reg, tmp_path):
    registry, data = reg
    out = tmp_path / "built"
    build(list(registry.tasks.values()), out, data_dir=data, registry=registry)
    return out


def load_yaml(path):
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!function", lambda loader, node: ("function", loader.construct_scalar(node)))
    return yaml.load(path.read_text(), Loader=Loader)  # noqa: S506 (a SafeLoader subclass)


def gold_lm(answer):
    """An lm-eval model that answers each request with ``answer(doc)``."""
    from lm_eval.api.model import LM

    class Answers(LM):
        def loglikelihood(self, requests):
            raise NotImplementedError

        def loglikelihood_rolling(self, requests):
            raise NotImplementedError

        def generate_until(self, requests):
            return [answer(req.doc) for req in requests]

    return Answers()


def run(folder, tasks, answer):
    from lm_eval import simple_evaluate
    from lm_eval.tasks import TaskManager

    manager = TaskManager(include_path=str(folder), include_defaults=False)
    return simple_evaluate(model=gold_lm(answer), tasks=tasks, task_manager=manager,
                           log_samples=False)["results"]


def test_the_folder_holds_tasks_groups_data_and_utils(reg, built, tmp_path):
    registry, _ = reg
    out = tmp_path / "lm"
    result = export_lmeval(built, out, registry=registry)
    assert result.counts == {("toy.labels", "test"): 9, ("toy_nc.labels", "test"): 9}
    config = load_yaml(out / "medinst_toy_labels.yaml")
    assert config["output_type"] == "generate_until"
    assert config["dataset_path"] == "json"
    assert config["dataset_kwargs"]["data_files"]["test"] == str((out / "data" / "toy.labels" / "test.jsonl").resolve())
    assert config["doc_to_text"] == ("function", "utils.doc_to_text")
    assert [m["metric"] for m in config["metric_list"]] == ["label_f1", "exact_match", "rouge_l", PRIMARY]
    assert config["metric_list"][0]["aggregation"] == ("function", "utils.agg_label_f1")
    assert config["metric_list"][-1]["aggregation"] == ("function", "utils.agg_label_f1")
    mse = load_yaml(out / "medinst_toy_nc_labels.yaml")["metric_list"]
    assert [(m["metric"], m["higher_is_better"]) for m in mse] == [("mse", False), ("exact_match", True), (PRIMARY, False)]
    txtclass, sts, whole = (load_yaml(out / f"_medinst{g}.yaml") for g in ("_txtclass", "_sts", ""))
    assert txtclass["task"] == ["medinst_toy_labels"] and "aggregate_metric_list" in txtclass
    assert whole["task"] == ["medinst_sts", "medinst_txtclass"]
    assert "aggregate_metric_list" not in whole  # MSE and F1 are not averaged together
    rows = [orjson.loads(x) for x in (out / "data" / "toy.labels" / "test.jsonl").read_bytes().splitlines()]
    assert len(rows) == 9 and rows[0]["history"] == []
    assert "| medinst_toy_labels | toy.labels | test | 9 |" in (out / "README.md").read_text()
    compile((out / "utils.py").read_text(), "utils.py", "exec")


def test_lm_eval_loads_the_tasks_and_gold_answers_score_one(reg, built, tmp_path):
    registry, _ = reg
    out = tmp_path / "lm"
    export_lmeval(built, out, registry=registry)
    from lm_eval.tasks import TaskManager

    manager = TaskManager(include_path=str(out), include_defaults=False)
    assert {"medinst_toy_labels", "medinst_toy_nc_labels", "medinst", "medinst_txtclass"} <= set(manager.all_tasks)
    results = run(out, ["medinst"], lambda doc: doc["output"])
    labels = results["medinst_toy_labels"]
    assert labels["label_f1,none"] == labels["exact_match,none"] == labels["rouge_l,none"] == 1.0
    assert labels[f"{PRIMARY},none"] == 1.0
    assert results["medinst_toy_nc_labels"]["exact_match,none"] == 1.0
    assert results["medinst_txtclass"][f"{PRIMARY},none"] == 1.0


def test_scores_equal_medinst_evaluate(reg, built, tmp_path):
    """Wrong answers on a third of the samples: every metric as medinst evaluate has it,
    corpus-level macro F1 included."""
    registry, _ = reg
    out = tmp_path / "lm"
    export_lmeval(built, out, registry=registry)

    def answer(doc):
        n = int(doc["id"].rsplit(":", 1)[-1].lstrip("t") or 0) if doc["id"][-1].isdigit() else 0
        return "l0" if n % 3 == 1 else doc["output"] + (" extra" if n % 4 == 0 else "")

    results = run(out, ["medinst_toy_labels", "medinst_toy_nc_labels"], answer)
    samples = [orjson.loads(x) for task in ("toy.labels", "toy_nc.labels")
               for x in (out / "data" / task / "test.jsonl").read_bytes().splitlines()]
    ours = evaluate({s["id"]: answer(s) for s in samples}, gold=samples, registry=registry).results["tasks"]
    for lm_task, task in (("medinst_toy_labels", "toy.labels"), ("medinst_toy_nc_labels", "toy_nc.labels")):
        got = {k.removesuffix(",none"): v for k, v in results[lm_task].items() if k.endswith(",none") and "_stderr" not in k}
        assert got.pop(PRIMARY) == ours[task]["primary"]
        assert got == ours[task]["metrics"]
    assert 0 < ours["toy.labels"]["metrics"]["label_f1"] < 1


def test_history_precedes_the_question(reg, tmp_path):
    registry, data = reg
    suite = tmp_path / "suite"
    build_suite("toysuite", suite, data_dir=data, seed=3, registry=registry)
    out = tmp_path / "lm"
    result = export_lmeval(suite, out, registry=registry)
    assert {split for _, split in result.counts} == {"zero_shot", "2_shot"}
    import importlib.util

    spec = importlib.util.spec_from_file_location("medinst_lm_utils", out / "utils.py")
    utils = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(utils)
    doc = orjson.loads((out / "data" / "toy.labels" / "2_shot.jsonl").read_bytes().splitlines()[0])
    (u1, a1), (u2, a2) = doc["history"]
    assert utils.doc_to_text(doc) == f"{u1}\n{a1}\n\n{u2}\n{a2}\n\n{doc['instruction']}\n{doc['input']}\n"
    assert load_yaml(out / "_medinst_2_shot.yaml")["task"] == ["medinst_toy_labels_2_shot", "medinst_toy_nc_labels_2_shot"]
    results = run(out, ["medinst_2_shot"], lambda doc: doc["output"])
    assert results["medinst_toy_labels_2_shot"]["label_f1,none"] == 1.0


def test_refusals(reg, built, tmp_path):
    registry, _ = reg
    mixture = tmp_path / "mix.jsonl"
    mixture.write_bytes((built / "toy.labels" / "train.jsonl").read_bytes())
    with pytest.raises(UsageError, match="build or a suite"):
        export_lmeval(mixture, tmp_path / "x", registry=registry)
    only_train = tmp_path / "only_train"
    (only_train / "toy.labels").mkdir(parents=True)
    (only_train / "toy.labels" / "train.jsonl").write_bytes((built / "toy.labels" / "train.jsonl").read_bytes())
    with pytest.raises(UsageError, match="no test split"):
        export_lmeval(only_train, tmp_path / "y", registry=registry)


def test_the_licence_filters_apply(reg, built, tmp_path):
    from medinst_core.licenses import LicenseFilter

    registry, _ = reg
    out = tmp_path / "lm"
    result = export_lmeval(built, out, registry=registry, license_filter=LicenseFilter(exclude_noncommercial=True))
    assert set(result.left_out) == {"toy_nc.labels"} and set(result.counts) == {("toy.labels", "test")}
    assert not (out / "medinst_toy_nc_labels.yaml").exists() and not (out / "_medinst_sts.yaml").exists()


def test_cli(reg, built, tmp_path):
    registry, _ = reg
    out = tmp_path / "lm"
    r = CliRunner().invoke(main, ["export", str(built), "--format", "lm-eval", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert (out / "medinst_toy_labels.yaml").is_file() and (out / "utils.py").is_file()
    r = CliRunner().invoke(main, ["export", str(built), "--format", "lm-eval", "--out", str(out), "--system", "Hi."])
    assert r.exit_code != 0 and "--system_instruction" in r.output
