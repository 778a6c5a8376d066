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


def test_the_project_urls_are_one_setting(tmp_path, monkeypatch):
    """The core's [project.urls] and every plugin's come from packaging's
    REPOSITORY and HOMEPAGE: changing the setting changes them all, and a file
    left behind is caught."""
    import medinst_core.packaging as packaging

    core = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert packaging.core_urls(core) == core, "run: python scripts/plugin_packaging.py"
    assert CliRunner().invoke(main, ["new-plugin", "acme", "--dir", str(tmp_path)]).exit_code == 0
    folder = tmp_path / "medinst-acme"
    monkeypatch.setattr(packaging, "REPOSITORY", "https://example.org/released/medinst")
    monkeypatch.setattr(packaging, "HOMEPAGE", "https://example.org/medinst")
    (folder / "README.md").write_text("A [medinst](https://github.com/medinst/medinst/blob/main/README.md) plugin.\n")
    assert packaging.problems(folder) == [
        "pyproject.toml does not follow the template (run python scripts/plugin_packaging.py)",
        "README.md has relative links (they break on an index page) or links to the placeholder repository",
    ]
    packaging.apply(folder)
    text = (folder / "pyproject.toml").read_text()
    assert 'Homepage = "https://example.org/medinst"' in text
    assert 'Source = "https://example.org/released/medinst/tree/main/plugins/medinst-acme"' in text
    assert packaging.problems(folder) == []
    assert "(https://example.org/released/medinst/blob/main/README.md)" in (folder / "README.md").read_text()
    released = packaging.core_urls(core)
    assert 'Issues = "https://example.org/released/medinst/issues"' in released
    assert released.replace("example.org/released/medinst", "github.com/medinst/medinst").replace(
        "https://example.org/medinst", "https://medinst.dev") == core
