"""Exit codes and summaries tell the truth: a split whose files are absent is
*missing* (with the download hint), an error is *failed*, shortfalls are said
and turned into errors by --strict, filters matching nothing exit non-zero."""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from medinst_core import hookimpl
from medinst_core.cli import main
from medinst_core.testing import registered

from .helpers import TaskOnly, ToyPlugin, manifest, write_toy_data


class SuitePlugin:
    @hookimpl
    def register_suites(self, register):
        register({
            "id": "toysuite", "name": "Toy suite", "description": "For tests.", "shots": 1,
            "tasks": [
                {"task": "toy.labels", "category": "TXTCLASS"},
                {"task": "toy.absent", "category": "NER"},
            ],
        })


def _toy(**changes):
    m = manifest(**changes)
    m["dataset"]["download"] = "toy.zip from https://example.org/toy"
    return m


@pytest.fixture
def toy(tmp_path):
    broken = _toy(id="toy.broken", instructions=["Give the label of this broken text."])
    broken["source"]["splits"] = {"test": ["broken.tsv"]}
    with registered(
        ("toy", ToyPlugin(task=_toy())), ("medinst_toy", TaskOnly(broken)), ("suite", SuitePlugin())
    ) as reg:
        yield reg


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def train_only(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "deeper" / "test.tsv").unlink()
    return data


def test_build_missing_test_files_is_missing_not_failed(toy, tmp_path):
    data = train_only(tmp_path)
    result = invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "o")
    assert result.exit_code == 0, result.output
    assert "missing toy.labels test: no file matching (data: test.tsv)" in result.output
    assert "toy.labels test: toy.labels test" not in result.output  # the task is named once
    assert "(download: toy.zip from https://example.org/toy)" in result.output
    assert "FAILED" not in result.output
    assert "2 split(s): 1 built, 1 missing, 0 failed; 1 samples written" in result.output
    strict = invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "o2", "--strict")
    assert strict.exit_code == 1 and "MISSING toy.labels test" in strict.output


def test_build_failure_exits_1_and_json_counts(toy, tmp_path):
    data = train_only(tmp_path)
    (data / "broken.tsv").write_text("only two\tcolumns\n")
    result = invoke("build", "toy.labels", "toy.broken", "--data-dir", data, "--out", tmp_path / "o")
    assert result.exit_code == 1
    assert "FAILED toy.broken test:" in result.output and "expected 3 tab-separated columns" in result.output
    assert "3 split(s): 1 built, 1 missing, 1 failed" in result.output
    js = invoke("build", "toy.labels", "toy.broken", "--data-dir", data, "--out", tmp_path / "o", "--json")
    assert js.exit_code == 1
    report = json.loads(js.stdout)
    assert report["counts"] == {"built": 1, "missing": 1, "failed": 1, "skipped": 0, "samples": 1}
    assert report["missing"][0]["task"] == "toy.labels" and report["failed"][0]["task"] == "toy.broken"
    assert report["ok"] is False


def test_build_zero_samples_and_warnings_are_printed(toy, tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "deeper" / "test.tsv").write_text("t0\tno label here\t\n")  # dropped: empty output
    result = invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "o")
    assert result.exit_code == 0
    assert "empty toy.labels test: 0 samples written (1 records read)" in result.output
    js = json.loads(invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "o", "--json").stdout)
    assert js["empty"] == [{"task": "toy.labels", "split": "test"}]


def test_warnings_are_grouped_with_counts(capsys):
    from medinst_core.cli._report import echo_warnings

    echo_warnings([
        ("a.ner train", {"offsets": {"count": 3, "examples": ["x:1: bad"]}}),
        ("a.ner test", {"offsets": {"count": 2, "examples": []}, "other": {"count": 1, "examples": []}}),
    ])
    err = capsys.readouterr().err
    assert "warnings: 6 in 2 kind(s)" in err
    assert "offsets: 5 in a.ner train (3), a.ner test (2)" in err and "e.g. x:1: bad" in err


def test_build_json_records_whether_inputs_matched(toy, tmp_path):
    import hashlib

    data = write_toy_data(tmp_path / "data")
    train = data / "nested" / "train.tsv"
    m = _toy()
    m["dataset"]["files"] = [
        {"path": "nested/train.tsv", "size": train.stat().st_size, "sha256": hashlib.sha256(train.read_bytes()).hexdigest()},
        {"path": "test.tsv", "sha256": "0" * 64},
    ]
    with registered(("toy", ToyPlugin(task=m))):
        assert invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "o").exit_code == 0
    info = orjson.loads((tmp_path / "o" / "build.json").read_bytes())
    splits = info["tasks"]["toy.labels"]["splits"]
    assert splits["train"]["files"][0]["expected"] == "match"
    assert splits["test"]["files"][0]["expected"] == "mismatch"


def test_suite_build_says_how_much_was_built(toy, tmp_path):
    data = write_toy_data(tmp_path / "data")
    result = invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s")
    assert result.exit_code == 0, result.output
    assert "1 of 2 tasks built (1 not installed)" in result.output
    strict = invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s", "--strict")
    assert strict.exit_code == 1 and "incomplete" in strict.output
    js = invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s", "--json")
    report = json.loads(js.stdout)
    assert (report["requested_tasks"], report["built_tasks"]) == (2, 1)
    assert report["status_counts"] == {"built": 1, "not_installed": 1}
    suite_json = orjson.loads((tmp_path / "s" / "suite.json").read_bytes())
    assert suite_json["built_tasks"] == 1 and suite_json["requested_tasks"] == 2


def test_suite_build_reports_empty_and_missing(toy, tmp_path):
    data = write_toy_data(tmp_path / "data")
    # one record whose answer is empty: dropped, so the split has no sample (an empty file is an error)
    (data / "nested" / "deeper" / "test.tsv").write_text("t0\ta test text\t\n")
    result = invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s")
    assert "empty toy.labels: 0 test samples written" in result.output
    assert invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s", "--strict").exit_code == 1
    (data / "nested" / "deeper" / "test.tsv").unlink()
    result = invoke("suite", "build", "toysuite", "--data-dir", data, "--out", tmp_path / "s")
    assert "missing toy.labels: no file matching (data: test.tsv)" in result.output
    assert "0 of 2 tasks built" in result.output


def test_mix_shortfall_is_said_and_strict_fails(toy, tmp_path):
    data = write_toy_data(tmp_path / "data", n_train=6)
    build = invoke("build", "toy.labels", "--data-dir", data, "--out", tmp_path / "b")
    assert build.exit_code == 0
    result = invoke("mix", "--size", 100, "--build", tmp_path / "b", "--out", tmp_path / "m.jsonl", "toy.labels")
    assert result.exit_code == 0
    assert "warning: only 3 of the 100 samples asked for were available (3.0%)" in result.output
    strict = invoke("mix", "--size", 100, "--build", tmp_path / "b", "--out", tmp_path / "m.jsonl", "--strict", "toy.labels")
    assert strict.exit_code == 1 and "ERROR: only 3 of the 100" in strict.output
    js = json.loads(invoke("mix", "--size", 100, "--build", tmp_path / "b", "--out", tmp_path / "m.jsonl", "--json", "toy.labels").stdout)
    assert (js["size"], js["requested"], js["shortfall"]) == (3, 100, 97)


def test_filters_matching_nothing_exit_non_zero(toy):
    result = invoke("tasks", "--category", "FOO")
    assert result.exit_code == 1 and "no task matches --category FOO" in result.output
    assert invoke("tasks", "--category", "FOO", "--json").exit_code == 1
    assert invoke("tasks", "--category", "TXTCLASS").exit_code == 0


def test_tasks_show_gives_the_download_hint(toy):
    result = invoke("tasks", "show", "toy.labels")
    assert "download:      toy.zip from https://example.org/toy" in result.output


def test_tables_drop_low_value_columns_to_fit():
    from medinst_core.cli._report import fit_columns

    rows = [("a.ner", "NER", "A very long dataset name " * 3, "CC-BY-4.0 " * 5)]
    headers = ["task", "category", "dataset", "licence"]
    assert fit_columns(rows, headers, ["licence", "dataset"], width=200)[1] == headers
    assert fit_columns(rows, headers, ["licence", "dataset"], width=100)[1] == ["task", "category", "dataset"]
    assert fit_columns(rows, headers, ["licence", "dataset"], width=20)[1] == ["task", "category"]
