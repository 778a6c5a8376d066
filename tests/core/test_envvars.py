"""Environment variables: one reading for switches, one for sizes, and the
README's table lists exactly the variables the core reads."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medinst_core.envvars import byte_size, switch
from medinst_core.errors import UsageError
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry

from .helpers import ToyPlugin, manifest, write_toy_data

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value, on", [("1", True), ("yes", True), ("TRUE", True), ("anything", True),
                                       ("", False), ("0", False), ("false", False), ("No", False), (" off ", False)])
def test_switches(monkeypatch, value, on):
    monkeypatch.setenv("MEDINST_X", value)
    assert switch("MEDINST_X") is on


def test_an_unset_switch_is_off(monkeypatch):
    monkeypatch.delenv("MEDINST_X", raising=False)
    assert switch("MEDINST_X") is False


@pytest.mark.parametrize("value, size", [("1000", 1000), ("512K", 512 << 10), ("64M", 64 << 20), ("2g", 2 << 30),
                                         ("64MiB", 64 << 20), ("8KB", 8 << 10), (" 3 M ", 3 << 20), ("0", 1), ("", 7)])
def test_sizes(monkeypatch, value, size):
    monkeypatch.setenv("MEDINST_SIZE", value)
    assert byte_size("MEDINST_SIZE", 7) == size


@pytest.mark.parametrize("value", ["abc", "1.5M", "M", "10 T", "-"])
def test_a_size_that_is_none_is_a_usage_error_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("MEDINST_SIZE", value)
    with pytest.raises(UsageError, match=r"MEDINST_SIZE='.*': expected a number of bytes"):
        byte_size("MEDINST_SIZE", 7)


@pytest.mark.parametrize("variable", ["MEDINST_SHARD_BYTES", "MEDINST_SHARD_FILE_BYTES", "MEDINST_MAX_LINE"])
def test_a_bad_size_stops_the_build_before_any_split(monkeypatch, tmp_path, variable):
    # before, MEDINST_SHARD_BYTES=abc was silently the default and a bad
    # MEDINST_MAX_LINE failed each split that read lines, one by one
    data = write_toy_data(tmp_path / "data")
    monkeypatch.setenv(variable, "64 megabytes")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    with pytest.raises(UsageError, match=variable):
        build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, jobs=2)
    assert not (tmp_path / "out" / "toy.labels").exists()


def test_the_readme_lists_every_variable_the_core_reads():
    read = set()
    for path in (ROOT / "medinst_core").rglob("*.py"):
        read.update(re.findall(r"\bMEDINST_[A-Z_]+[A-Z]\b", path.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Environment variables", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `(MEDINST_[A-Z_]+)` \|", section, re.M))
    assert read == listed, f"read but not listed: {sorted(read - listed)}; listed but not read: {sorted(listed - read)}"
