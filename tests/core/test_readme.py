"""Plugin README task tables are generated from the manifests and kept equal to them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.errors import ManifestError
from medinst_core.readme import BEGIN, END, update

from .helpers import MANIFEST

REPO = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p for p in (REPO / "plugins").iterdir() if (p / "pyproject.toml").is_file())


@pytest.mark.parametrize("plugin", PLUGINS, ids=[p.name for p in PLUGINS])
def test_every_plugin_readme_table_equals_its_manifests(plugin):
    assert update(plugin, check=True), f"run: medinst readme {plugin.relative_to(REPO)}"


def _plugin(tmp_path: Path, readme: str) -> Path:
    tasks = tmp_path / "medinst-toy" / "medinst_toy" / "tasks"
    tasks.mkdir(parents=True)
    (tasks / "labels.json").write_text(json.dumps({**MANIFEST, "medinst": {**MANIFEST["medinst"], "note": "Three lines."}}))
    (tmp_path / "medinst-toy" / "README.md").write_text(readme)
    return tmp_path / "medinst-toy"


def test_the_table_is_written_between_the_markers_and_the_rest_kept(tmp_path):
    plugin = _plugin(tmp_path, f"# toy\n\nIntro.\n\n{BEGIN}\nold table\n{END}\n\nMore prose.\n")
    assert not update(plugin)
    text = (plugin / "README.md").read_text()
    assert text.startswith("# toy\n\nIntro.\n\n" + BEGIN + "\n| task |")
    assert "| `toy.labels` | Toy | TXTCLASS | train, test | 3 / 0 / 1 | toy_exact |" in text
    assert "Licence: CC0-1.0; access: public." in text and "* `toy.labels`: Three lines." in text
    assert text.endswith(END + "\n\nMore prose.\n") and "old table" not in text
    assert update(plugin, check=True)  # idempotent


def test_check_mode_reports_a_stale_table_and_changes_nothing(tmp_path):
    plugin = _plugin(tmp_path, f"{BEGIN}\n| stale |\n{END}\n")
    before = (plugin / "README.md").read_text()
    result = CliRunner().invoke(main, ["readme", "--check", str(plugin)])
    assert result.exit_code == 1 and "stale" in result.output
    assert (plugin / "README.md").read_text() == before
    assert CliRunner().invoke(main, ["readme", str(plugin)]).exit_code == 0
    assert CliRunner().invoke(main, ["readme", "--check", str(plugin)]).exit_code == 0


def test_a_readme_without_markers_is_an_error_naming_it(tmp_path):
    plugin = _plugin(tmp_path, "# toy\n")
    with pytest.raises(ManifestError, match="has no task table markers"):
        update(plugin)
