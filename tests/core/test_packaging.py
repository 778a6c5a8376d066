"""Every dataset plugin follows the packaging convention of
medinst_core.packaging (a plugin added without it is caught here), and so do
plugins written by ``medinst new-plugin``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.packaging import license_text, problems

REPO = Path(__file__).resolve().parents[2]
PLUGINS = sorted(p for p in (REPO / "plugins").iterdir() if (p / "pyproject.toml").is_file())

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib")


def test_the_repository_licence_is_the_one_plugins_ship():
    assert (REPO / "LICENSE").read_text(encoding="utf-8") == license_text()


@pytest.mark.parametrize("plugin", PLUGINS, ids=[p.name for p in PLUGINS])
def test_plugin_follows_the_packaging_convention(plugin):
    assert problems(plugin) == [], "run: python scripts/plugin_packaging.py " + str(plugin.relative_to(REPO))


def test_new_plugin_follows_the_packaging_convention(tmp_path):
    assert CliRunner().invoke(main, ["new-plugin", "Acme Notes", "--dir", str(tmp_path)]).exit_code == 0
    folder = tmp_path / "medinst-acme-notes"
    assert problems(folder) == []
    assert (folder / "medinst_acme_notes" / "py.typed").is_file()


def test_a_plugin_off_the_convention_is_caught(tmp_path):
    assert CliRunner().invoke(main, ["new-plugin", "acme", "--dir", str(tmp_path)]).exit_code == 0
    folder = tmp_path / "medinst-acme"
    text = (folder / "pyproject.toml").read_text()
    (folder / "pyproject.toml").write_text(text.replace('license = "Apache-2.0"', 'license = { text = "Apache-2.0" }'))
    (folder / "README.md").write_text("See [medinst](../../README.md).\n")
    (folder / "MANIFEST.in").unlink()
    found = problems(folder)
    assert len(found) == 3 and any("relative links" in p for p in found)
