"""The plugin boundary: strict registration, unknown hooks, and the public
``medinst_core.plugin_api`` as the only thing plugin code imports."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import medinst_core.plugin_api as api
from medinst_core.plugin_api import hookimpl
from medinst_core.plugins import load_registry

from .helpers import read_lines

REPO = Path(__file__).resolve().parents[2]
ALLOWED = {"medinst_core.plugin_api", "medinst_core.testing"}


def _load(obj):
    return load_registry(entrypoints=False, plugins=[("lab", obj)])


class MisspeltKeyword:
    @hookimpl
    def register_readers(self, register):
        register("lab_lines", read_lines, recordkind="text")


class MisspeltHook:
    @hookimpl
    def register_task(self, register):  # the hook is register_tasks
        register({})


class Unmarked:
    def register_tasks(self, register):  # no @hookimpl: never called
        register({})


class BadValues:
    @hookimpl
    def register_metrics(self, register):
        register("lab_metric", "x:y", higher_is_better=True, aggregation="meen")


def test_a_misspelt_keyword_is_a_problem_naming_the_plugin_and_the_keyword():
    reg = _load(MisspeltKeyword())
    [(plugin, message)] = reg.problems
    assert plugin == "lab"
    assert "unknown keyword 'recordkind' (did you mean 'record_kind'?)" in message
    assert "lab_lines" not in reg.readers


def test_a_misspelt_hook_is_a_problem_naming_the_plugin():
    reg = _load(MisspeltHook())
    [(plugin, message)] = reg.problems
    assert plugin == "lab" and "unknown hook 'register_task' (did you mean 'register_tasks'" in message


def test_a_hook_without_its_marker_is_reported():
    reg = _load(Unmarked())
    assert reg.problems == [("lab", "defines register_tasks() without the @hookimpl marker, so it is never called")]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda r: r("m", "x:y", higher_is_better=True, aggregation="meen"), "aggregation 'meen' is not one of mean, corpus"),
        (lambda r: r("m", "x:y", higher_is_better="yes", aggregation="mean"), "higher_is_better must be True or False"),
        (lambda r: r("m", "x:y", aggregation="mean"), "missing a required argument: 'higher_is_better'"),
    ],
)
def test_metric_registration_values_are_checked(call, message):
    class Plugin:
        @hookimpl
        def register_metrics(self, register):
            call(register)

    reg = _load(Plugin())
    [(plugin, problem)] = reg.problems
    assert plugin == "lab" and message in problem


def test_reader_record_kind_and_formatter_kinds_are_checked():
    class Plugin:
        @hookimpl
        def register_readers(self, register):
            register("lab_r", read_lines, record_kind="txt")

        @hookimpl
        def register_formatters(self, register):
            register("lab_f", "x:y", record_kinds=("kb", "qa2"))

    problems = [m for _, m in _load(Plugin()).problems]
    assert any("record_kind 'txt' is not one of" in m and "did you mean 'text'" in m for m in problems)
    assert any("record_kinds must be some of" in m and "qa2" in m for m in problems)


def _install_fake(site: Path, name: str, source: str) -> dict[str, str]:
    (site / f"medinst_{name}").mkdir(parents=True)
    (site / f"medinst_{name}" / "__init__.py").write_text(source)
    dist = site / f"medinst_{name}-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: medinst-{name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(f"[medinst]\n{name} = medinst_{name}\n")
    return {"PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])}


def _cli(*args, env):
    return subprocess.run([sys.executable, "-m", "medinst_core", *args], capture_output=True, text=True,
                          env=dict(os.environ, **env))


@pytest.mark.parametrize(
    "source, expected",
    [
        (
            "from medinst_core.plugin_api import hookimpl\n"
            "@hookimpl\ndef register_readers(register):\n"
            "    register('typo_reader', 'medinst_typo:read', option_schema={})\n",
            "unknown keyword 'option_schema' (did you mean 'options_schema'?)",
        ),
        (
            "from medinst_core.plugin_api import hookimpl\n"
            "@hookimpl\ndef register_task(register):\n    pass\n",
            "unknown hook 'register_task'",
        ),
    ],
)
def test_medinst_plugins_reports_the_mistake_and_strict_mode_fails(tmp_path, source, expected):
    env = _install_fake(tmp_path / "site", "typo", source)
    report = _cli("plugins", env=env)
    assert report.returncode == 0, report.stderr
    [typo] = [p for p in json.loads(report.stdout) if p["name"] == "typo"]
    assert typo["distribution"] == "medinst-typo" and expected in typo["error"]
    strict = _cli("tasks", env={**env, "MEDINST_STRICT_PLUGINS": "1"})
    assert strict.returncode == 1 and expected in strict.stderr


def test_every_public_name_resolves():
    for name in api.__all__:
        assert getattr(api, name) is not None, name
    assert api.core_reader("pubtator").__name__ == "read_pubtator"
    assert api.reader_options("jsonl")["type"] == "object"
    with pytest.raises(api.MedinstError, match="did you mean 'pubtator'"):
        api.core_reader("pubtatr")


def _imported_modules(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def test_plugins_import_only_the_public_api():
    offenders = []
    for path in sorted((REPO / "plugins").glob("*/**/*.py")):
        if any(part in ("build", ".venv") or part.endswith(".egg-info") for part in path.parts):
            continue
        for line, module in _imported_modules(path):
            if module == "medinst_core" or (module.startswith("medinst_core.") and module.split(".")[:2] != ["medinst_core", "testing"]
                                            and module != "medinst_core.plugin_api"):
                offenders.append(f"{path.relative_to(REPO)}:{line}: {module}")
    assert offenders == [], "plugins must import medinst_core.plugin_api (or .testing in tests) only:\n" + "\n".join(offenders)


def test_two_distributions_claiming_one_plugin_name_load_neither(tmp_path):
    site = tmp_path / "site"
    env = _install_fake(site, "twin", "from medinst_core.plugin_api import hookimpl\n")
    other = site / "medinst_twin_fork-1.0.dist-info"
    other.mkdir()
    (other / "METADATA").write_text("Metadata-Version: 2.1\nName: medinst-twin-fork\nVersion: 1.0\n")
    (other / "entry_points.txt").write_text("[medinst]\ntwin = medinst_twin\n")
    report = _cli("plugins", env=env)
    [twin] = [p for p in json.loads(report.stdout) if p["name"] == "twin"]
    assert "claimed by medinst-twin and medinst-twin-fork; neither is loaded" in twin["error"]
    assert twin["hooks"] == [] and report.returncode == 0


@pytest.mark.parametrize("fault", ["raise SystemExit(3)", "raise KeyboardInterrupt"])
def test_a_plugin_raising_systemexit_or_keyboardinterrupt_is_reported(tmp_path, fault):
    env = _install_fake(tmp_path / "site", "exiting", fault + "\n")
    listing = _cli("tasks", "--json", env=env)
    assert listing.returncode == 0, listing.stderr
    assert len(json.loads(listing.stdout)) > 0
    assert "exiting" in listing.stderr and ("SystemExit" in listing.stderr or "KeyboardInterrupt" in listing.stderr)
    hooked = _install_fake(tmp_path / "site2", "hooked",
                           "from medinst_core.plugin_api import hookimpl\n"
                           f"@hookimpl\ndef register_tasks(register):\n    {fault}\n")
    listing = _cli("tasks", "--json", env=hooked)
    assert listing.returncode == 0 and "hooked" in listing.stderr and "register_tasks raised" in listing.stderr
