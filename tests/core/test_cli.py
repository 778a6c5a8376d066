from __future__ import annotations

import json
import os
import subprocess
import sys

import orjson
import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.testing import registered

from .helpers import ToyPlugin, manifest, write_toy_data


@pytest.fixture
def toy_cli(tmp_path):
    bundled = write_toy_data(tmp_path / "bundled")
    with registered(("toy", ToyPlugin(task=manifest(), bundled=bundled))) as reg:
        yield reg


def run(*args, env=None):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


def test_tasks_json_and_table(toy_cli):
    result = run("tasks", "--json")
    assert result.exit_code == 0
    [task] = [t for t in json.loads(result.stdout) if t["id"] == "toy.labels"]
    assert task == {
        "id": "toy.labels", "name": "Toy labels", "category": "TXTCLASS", "dataset": "Toy", "plugin": "toy",
        "medinst_config": "Toy", "splits": ["train", "test"], "published_counts": {"train": 3, "dev": 0, "test": 1},
        "metrics": ["toy_exact"], "primary_metric": "toy_exact", "licence": "CC0-1.0", "access": "public",
        "commercial_use": True, "version": 1,
    }
    table = run("tasks", "--category", "txtclass").output
    assert "toy.labels" in table and "TXTCLASS" in table
    assert "no task matches" in run("tasks", "--category", "NER").output


def test_tasks_show(toy_cli):
    result = run("tasks", "show", "toy.labels")
    assert result.exit_code == 0
    for text in ("Toy labels", "train.tsv", "toy_lines", "Give the label of the text", "toy_exact", "CC0-1.0"):
        assert text in result.output


def test_unknown_task_is_a_one_line_usage_error(toy_cli):
    result = CliRunner().invoke(main, ["tasks", "show", "toy.label"])
    assert result.exit_code == 2
    assert result.output.strip() == "Error: unknown task 'toy.label' (did you mean 'toy.labels'?)"


def test_build_bundled_and_summary(toy_cli, tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "toy.labels", "--bundled", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "toy.labels" in result.stdout and "samples" in result.stdout
    lines = (out / "toy.labels" / "train.jsonl").read_bytes().splitlines()
    assert [orjson.loads(x)["output"] for x in lines] == ["pos"]


def test_build_needs_a_source(toy_cli, tmp_path):
    result = CliRunner().invoke(main, ["build", "toy.labels", "--out", str(tmp_path)], env={"MEDINST_DATA": None})
    assert result.exit_code == 2 and "--data-dir" in result.output


def test_build_uses_medinst_data(toy_cli, tmp_path):
    data = write_toy_data(tmp_path / "data")
    result = CliRunner().invoke(main, ["build", "toy.labels", "--out", str(tmp_path / "o")], env={"MEDINST_DATA": str(data)})
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "toy.labels" / "test.jsonl").exists()


def test_build_reports_missing_files_and_strict_exits_1(toy_cli, tmp_path):
    (tmp_path / "empty").mkdir()
    args = ["build", "toy.labels", "--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "o")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0
    assert "missing toy.labels train" in result.output and "train.tsv" in result.output
    assert CliRunner().invoke(main, [*args, "--strict"]).exit_code == 1


def test_validate_installed_and_paths(toy_cli, tmp_path):
    result = run("validate")
    assert "ok    toy.labels" in result.output
    bad = manifest(category="NERR")
    del bad["dataset"]["license"]
    bad["source"]["reader"] = "nope"
    path = tmp_path / "tasks" / "bad.json"
    path.parent.mkdir()
    path.write_bytes(orjson.dumps(bad))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: /category: 'NERR' is not one of" in result.output
    assert f"{path}: /dataset: missing required property: 'license' is a required property" in result.output
    unknown = manifest()
    unknown["source"]["reader"] = "toy_line"
    path.write_bytes(orjson.dumps(unknown))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"{path}: /source/reader: unknown reader 'toy_line' (did you mean 'toy_lines'?)" in result.output


def test_validate_checks_reader_options_against_their_schema(toy_cli, tmp_path):
    m = manifest()
    m["source"]["options"] = {"slowly": 1}
    path = tmp_path / "m.json"
    path.write_bytes(orjson.dumps(m))
    result = CliRunner().invoke(main, ["validate", "--no-run", str(path)])
    assert result.exit_code == 1 and "/source/options" in result.output and "slowly" in result.output


def test_schema_command_prints_valid_json():
    for name in ("task", "sample", "record", "suite"):
        result = run("schema", name)
        assert json.loads(result.stdout)["$id"].startswith("https://medinst.dev/schema/")


def _cli(*args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "medinst_core", *args], capture_output=True, text=True, env=env)


def test_broken_plugin_does_not_stop_tasks_and_strict_mode_fails(tmp_path):
    # a real installed distribution whose module raises on import
    site = tmp_path / "site"
    (site / "medinst_brokenplugin").mkdir(parents=True)
    (site / "medinst_brokenplugin" / "__init__.py").write_text("raise RuntimeError('this plugin is broken')\n")
    dist = site / "medinst_brokenplugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: medinst-brokenplugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[medinst]\nbrokenplugin = medinst_brokenplugin\n")
    env = {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}
    listing = _cli("tasks", "--json", env_extra=env)
    assert listing.returncode == 0, listing.stderr
    json.loads(listing.stdout)
    assert "brokenplugin" in listing.stderr and "this plugin is broken" in listing.stderr
    report = _cli("plugins", env_extra=env)
    [broken] = [p for p in json.loads(report.stdout) if p["name"] == "brokenplugin"]
    assert broken["distribution"] == "medinst-brokenplugin" and "this plugin is broken" in broken["error"]
    strict = _cli("tasks", env_extra={**env, "MEDINST_STRICT_PLUGINS": "1"})
    assert strict.returncode == 1 and "MEDINST_STRICT_PLUGINS" in strict.stderr
    skipped = _cli("plugins", env_extra={**env, "MEDINST_LOAD_PLUGINS": ""})
    assert "brokenplugin" not in skipped.stdout and skipped.returncode == 0


def test_help_lists_every_verb_and_each_verb_imports():
    from medinst_core.cli import COMMANDS

    result = run("--help")
    assert result.exit_code == 0
    for verb in COMMANDS:
        assert verb in result.output
        assert run(verb, "--help").exit_code == 0, verb


def test_new_plugin_scaffold_validates_and_refuses_to_overwrite(tmp_path):
    result = run("new-plugin", "Acme Notes", "--dir", str(tmp_path))
    assert result.exit_code == 0, result.output
    folder = tmp_path / "medinst-acme-notes"
    assert (folder / "medinst_acme_notes" / "tasks" / "txtclass.json").is_file()
    assert 'acme_notes = "medinst_acme_notes"' in (folder / "pyproject.toml").read_text()
    result = run("validate", str(folder))
    assert result.exit_code == 0, result.output
    assert "ok    acme_notes.txtclass  (train 3, test 1 samples)" in result.output
    again = CliRunner().invoke(main, ["new-plugin", "acme-notes", "--dir", str(tmp_path)])
    assert again.exit_code == 2 and "already exists" in again.output


def test_the_verb_table_matches_the_verb_modules_and_help_imports_none():
    """`--help` lists the verbs from COMMANDS without importing their modules:
    the table must name every verb module's command, under its own name, with a
    one-line help."""
    import importlib
    import subprocess
    import sys
    from pathlib import Path

    import click

    from medinst_core import cli
    from medinst_core.cli import COMMANDS

    modules = sorted(p.stem for p in Path(cli.__file__).parent.glob("*_cmd.py"))
    assert sorted(ref.partition(":")[0].rsplit(".", 1)[1] for ref, _ in COMMANDS.values()) == modules
    for verb, (ref, short) in COMMANDS.items():
        module, _, attr = ref.partition(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command) and command.name == verb, verb
        assert module.endswith("." + verb.replace("-", "_") + "_cmd")
        assert short.endswith(".") and "\n" not in short and len(short) <= 70, verb
        assert (command.help or "").strip(), f"{verb} has no help of its own"
    code = ("import sys; from medinst_core.cli import main\n"
            "try:\n    main(['--help'], prog_name='medinst')\nexcept SystemExit:\n    pass\n"
            "print([m for m in sys.modules if m.endswith('_cmd')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    *help_lines, imported = done.stdout.strip().splitlines()
    assert imported == "[]"
    for verb, (_, short) in COMMANDS.items():
        assert any(line.split() == [verb, *short.split()] for line in help_lines), verb
