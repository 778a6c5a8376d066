"""Installing medinst the way a user does, into a brand-new virtual environment.

Needs a wheelhouse (``MEDINST_WHEELHOUSE``, prepared by ``.ci/run``) holding the
wheels of medinst-core, medinst-biosses, their dependencies and the build
backend, so nothing is fetched from the network during the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
WHEELHOUSE = os.environ.get("MEDINST_WHEELHOUSE")

pytestmark = [pytest.mark.slow, pytest.mark.skipif(
    not WHEELHOUSE or not Path(WHEELHOUSE).is_dir(),
    reason="MEDINST_WHEELHOUSE is not set (.ci/run prepares it); the install test needs wheels, not network",
)]


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    root = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", str(root)], check=True)
    return root


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDINST_", "PYTHON", "VIRTUAL_ENV"))}
    env["PIP_NO_INDEX"] = "1"
    env["PIP_FIND_LINKS"] = WHEELHOUSE
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def sh(venv, *args, check=True, cwd=None):
    exe = venv / "bin" / args[0]
    result = subprocess.run([str(exe), *args[1:]], capture_output=True, text=True, env=_env(), cwd=cwd)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def task_ids(venv):
    return [t["id"] for t in json.loads(sh(venv, "medinst", "tasks", "--json").stdout)]


def test_install_plugin_list_build_uninstall(venv, tmp_path):
    sh(venv, "pip", "install", "-q", "medinst-core")
    assert "biosses.sts" not in task_ids(venv)
    sh(venv, "pip", "install", "-q", str(REPO / "plugins" / "medinst-biosses"))
    assert "biosses.sts" in task_ids(venv)
    out = tmp_path / "out"
    sh(venv, "medinst", "build", "biosses.sts", "--bundled", "--out", str(out))
    lines = (out / "biosses.sts" / "train.jsonl").read_text().splitlines()
    assert lines and json.loads(lines[0])["task"] == "biosses.sts"
    sh(venv, "pip", "uninstall", "-y", "-q", "medinst-biosses")
    assert "biosses.sts" not in task_ids(venv)


def test_third_party_plugin_from_the_scaffold(venv, tmp_path):
    """What CONTRIBUTING.md walks through: scaffold, install, list, build, test."""
    sh(venv, "pip", "install", "-q", "medinst-core", "pytest")
    sh(venv, "medinst", "new-plugin", "acme-notes", "--dir", str(tmp_path))
    folder = tmp_path / "medinst-acme-notes"
    assert (folder / "pyproject.toml").is_file()
    sh(venv, "pip", "install", "-q", str(folder))
    assert "acme_notes.txtclass" in task_ids(venv)
    sh(venv, "medinst", "validate")
    out = tmp_path / "out"
    sh(venv, "medinst", "build", "acme_notes.txtclass", "--bundled", "--out", str(out))
    assert (out / "acme_notes.txtclass" / "train.jsonl").read_text().strip()
    result = sh(venv, "python", "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "tests"), cwd=tmp_path)
    assert " passed" in result.stdout
