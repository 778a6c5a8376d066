"""Tables fit the terminal (``$COLUMNS``: checked at 80 and 200 columns),
every verb that prints a summary has ``--json``, and a split that reads an
official split of another name says so in ``data status`` and ``tasks show``."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.errors import ManifestError
from medinst_core.tables import fit_table, table
from medinst_core.testing import registered

from .helpers import ToyPlugin, manifest, write_toy_data
from .test_report import ReportPlugin, results

ROWS = [
    (f"plugin_{i}.a_rather_long_task_name", "NER", "A dataset with a long name " * 2, "train,dev,test", "entity_f1",
     "CC-BY-NC-SA-4.0")
    for i in range(5)
]
HEADERS = ["task", "category", "dataset", "splits", "metric", "licence"]


def invoke(*args, columns: int | None = None):
    env = {"COLUMNS": str(columns)} if columns else {}
    return CliRunner(env=env).invoke(main, [str(a) for a in args], catch_exceptions=False)


def widest(text: str) -> int:
    return max(len(line) for line in text.splitlines())


def test_fit_table_drops_then_shortens_then_wraps():
    assert fit_table(ROWS, HEADERS, width=None) == table(ROWS, HEADERS)
    assert fit_table(ROWS, HEADERS, width=200) == table(ROWS, HEADERS)  # fits: unchanged
    dropped = fit_table(ROWS, HEADERS, width=80, drop=["licence", "dataset"])
    assert widest(dropped) <= 80 and "licence" not in dropped and "dataset" not in dropped
    assert "plugin_4.a_rather_long_task_name" in dropped  # nothing shortened when dropping was enough
    short = fit_table(ROWS, HEADERS, width=60, drop=["licence", "dataset"], shrink=["task"])
    assert widest(short) <= 60 and "…" in short and "entity_f1" in short
    wrapped = fit_table(ROWS, HEADERS, width=50)
    assert widest(wrapped) <= 50
    blocks = wrapped.split("\n\n")
    assert len(blocks) > 1 and all(b.startswith("task") for b in blocks)  # the key column repeats
    assert all(h in wrapped for h in HEADERS)  # nothing lost


@pytest.fixture
def toy(tmp_path):
    long_id = "toy.a_task_whose_identifier_is_long_enough_to_matter"
    m = manifest(
        id=long_id,
        name="A toy task with a name long enough to make the table wide",
        dataset={**manifest()["dataset"], "name": "The toy dataset of the terminal tests, named at length",
                 "license": "CC-BY-NC-SA-4.0"},
    )
    m["source"]["official_splits"] = {"test": "development"}
    with registered(("toy", ToyPlugin(task=m))) as reg:
        assert not reg.problems, reg.problems
        yield long_id


@pytest.mark.parametrize("columns", [80, 200])
def test_tasks_table_fits(toy, columns):
    out = invoke("tasks", columns=columns).stdout
    assert widest(out) <= columns and toy in out
    assert ("licence" in out) is (columns == 200)


@pytest.mark.parametrize("columns", [80, 200])
def test_tasks_show_option_tables_fit(toy, columns):
    out = invoke("tasks", "show", toy, columns=columns).stdout
    option_lines = [line for line in out.splitlines() if line.startswith("  ") and "  " in line.strip()]
    assert option_lines and all(len(line) <= columns for line in option_lines)


@pytest.mark.parametrize("columns", [80, 200])
def test_data_status_fits_and_explains_the_official_split(toy, tmp_path, columns):
    data = write_toy_data(tmp_path / "data")
    result = invoke("data", "status", toy, "--data-dir", data, columns=columns)
    assert result.exit_code == 0, result.output
    assert widest(result.stdout) <= columns
    test_line = next(line for line in result.stdout.splitlines() if " test " in line)
    assert test_line.split()[1:3] == ["test", "present"] and test_line.endswith("← official development (as MedINST)")
    train_line = next(line for line in result.stdout.splitlines() if " train " in line)
    assert "official" not in train_line
    as_json = json.loads(invoke("data", "status", toy, "--data-dir", data, "--json").stdout)
    by_split = {s["split"]: s for s in as_json["splits"]}
    assert by_split["test"]["official"] == "test ← official development (as MedINST)"
    assert "official" not in by_split["train"]


def test_tasks_show_explains_the_official_split(toy):
    out = invoke("tasks", "show", toy).stdout
    lines = out.splitlines()
    i = lines.index("  test   ← official development (as MedINST)")
    assert lines[i + 1].startswith("  test   data:")


def test_official_splits_must_name_a_split_of_the_task():
    m = manifest(id="toy.badmap")
    m["source"]["official_splits"] = {"dev": "test"}  # the task has no dev split
    with registered(("toy", ToyPlugin(task=m))) as reg:
        assert any("/source/official_splits/dev" in msg and "no 'dev' split" in msg for _, msg in reg.problems), reg.problems
    m["source"]["official_splits"] = {"validation": "test"}  # not a split name: the schema refuses it
    with registered(("toy", ToyPlugin(task=m))) as reg:
        assert any("official_splits" in msg for _, msg in reg.problems), reg.problems
    assert issubclass(ManifestError, Exception)


@pytest.fixture
def many_models(tmp_path):
    values = {"toyrep.ner_a": 0.51, "toyrep.ner_b": 0.7, "toyrep.qa_c": 0.25, "toyrep.sts_d": 2.0}
    with registered(("toyrep", ReportPlugin())):
        yield [results(tmp_path / f"m{i}.json", f"a-model-with-a-long-name-{i}", values) for i in range(8)]


@pytest.mark.parametrize("columns", [80, 200])
def test_report_table_fits(many_models, columns):
    out = invoke("report", *many_models, columns=columns).stdout
    assert widest(out) <= columns
    assert all(f"a-model-with-a-long-name-{i}" in out for i in range(8))  # every model shown, wrapped if need be
    blocks = [b for b in out.split("\n\n") if b.startswith("task")]
    assert len(blocks) == 2 if columns == 200 else len(blocks) >= 4  # the model columns wrapped in blocks
    assert all("toyrep.ner_a" in b and "entity_f1 ↑" in b for b in blocks)  # task and metric repeated, never shortened


def test_report_json_is_format_json(many_models, tmp_path):
    a = invoke("report", *many_models[:2], "--json")
    b = invoke("report", *many_models[:2], "--format", "json")
    assert a.exit_code == 0 and json.loads(a.stdout) == json.loads(b.stdout)
    assert invoke("report", *many_models[:2], "--json", "--format", "csv").exit_code == 2
    # a file written with --out is never fitted to the terminal
    out = tmp_path / "table.txt"
    assert invoke("report", *many_models, "--out", out, columns=80).exit_code == 0
    assert widest(out.read_text()) > 80


def test_suite_list_json_and_width():
    listed = json.loads(invoke("suite", "list", "--json").stdout)
    assert any(s["suite"] == "medinst32" and s["tasks"] == 32 for s in listed)
    assert widest(invoke("suite", "list", columns=80).stdout) <= 80


def test_validate_json(toy):
    result = invoke("validate", "--json", "--no-run")
    data = json.loads(result.stdout)
    assert result.exit_code == (0 if data["ok"] else 1)
    assert any(t["task"] == toy and t["ok"] for t in data["tasks"])


def test_export_json(toy, tmp_path):
    data = write_toy_data(tmp_path / "data")
    assert invoke("build", toy, "--data-dir", data, "--out", tmp_path / "b").exit_code == 0
    result = invoke("export", tmp_path / "b", "--format", "chat", "--out", tmp_path / "e", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["format"] == "chat" and data["samples"] == sum(c["samples"] for c in data["counts"]) > 0
    assert {c["split"] for c in data["counts"]} == {"train", "test"}


SUMMARY_VERBS = [["tasks"], ["tasks", "show"], ["build"], ["suite", "list"], ["suite", "build"], ["suite", "check"],
                 ["mix"], ["predict"], ["evaluate"], ["report"], ["data", "status"], ["data", "download"], ["export"], ["validate"],
                 ["readme"], ["new-plugin"]]


@pytest.mark.parametrize("verb", SUMMARY_VERBS, ids=" ".join)
def test_every_summary_verb_has_json(verb):
    result = invoke(*verb, "--help")
    assert result.exit_code == 0 and "--json" in result.stdout


def test_tasks_show_prose_fits(toy):
    out = invoke("tasks", "show", toy, columns=60).stdout
    description = out.split("\n\n")[1]
    assert max(len(line) for line in description.splitlines()) < 60


def test_fake_model_answers_gold_except_every_nth(tmp_path):
    import httpx

    from medinst_core.testing.fake_model import UNKNOWN, FakeModel, gold_answers

    samples = tmp_path / "s.jsonl"
    rows = [{"id": f"t:test:{i}", "task": "t", "instruction": "Say it.", "input": f"text {i}", "output": f"gold {i}"}
            for i in range(30)]
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows))
    answers = gold_answers(samples)
    with FakeModel(answers, wrong=3) as model:
        def ask(prompt):
            response = httpx.post(model.base_url + "/chat/completions",
                                  json={"model": "m", "messages": [{"role": "user", "content": prompt}]})
            return response.json()["choices"][0]["message"]["content"]

        got = [ask(f"Say it.\ntext {i}") for i in range(30)]
        assert ask("an unknown prompt") == UNKNOWN
        assert httpx.post(model.base_url.removesuffix("/v1") + "/other", json={}).status_code == 404
    right = sum(g == f"gold {i}" for i, g in enumerate(got))
    assert 10 < right < 30 and all(g in (f"gold {i}", UNKNOWN) for i, g in enumerate(got))
    with FakeModel(answers, wrong=3) as again:  # the same prompts are wrong every run
        assert [again.answer(f"Say it.\ntext {i}") for i in range(30)] == got


@pytest.mark.parametrize("columns", [80, 200])
def test_build_mix_and_export_tables_fit(toy, tmp_path, columns):
    data = write_toy_data(tmp_path / "data")
    built = invoke("build", toy, "--data-dir", data, "--out", tmp_path / "b", columns=columns)
    assert built.exit_code == 0 and widest(built.stdout) <= columns
    assert ("seconds" in built.stdout) is (columns == 200) and toy[:8] in built.stdout
    mixed = invoke("mix", "--size", "2", "--build", tmp_path / "b", "--out", tmp_path / "m.jsonl", columns=columns)
    assert mixed.exit_code == 0 and widest(mixed.stdout) <= columns
    exported = invoke("export", tmp_path / "b", "--format", "chat", "--out", tmp_path / "e", columns=columns)
    assert exported.exit_code == 0 and widest(exported.stdout) <= columns


def test_new_plugin_and_readme_json(tmp_path):
    made = json.loads(invoke("new-plugin", "acme", "--dir", tmp_path, "--json").stdout)
    assert made["task"] == "acme.txtclass" and any(f.endswith("tasks/txtclass.json") for f in made["files"])
    checked = invoke("readme", made["plugin"], "--check", "--json")
    assert checked.exit_code == 0 and json.loads(checked.stdout)["stale"] == []
