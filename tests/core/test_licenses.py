"""Licences as data: commercial use derived from the licence, the --license,
--exclude-noncommercial and --open-only filters of tasks, build, mix and export,
and the terms build.json records per task."""

from __future__ import annotations

import json

import orjson
import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.licenses import LicenseFilter, commercial_use, is_open
from medinst_core.testing import registered

from .helpers import TaskOnly, ToyPlugin, manifest


@pytest.mark.parametrize("dataset, expected", [
    ({"license": "CC-BY-NC-4.0"}, False),
    ({"license": "CC-BY-NC-SA-3.0"}, False),
    ({"license": "CC-BY-NC-SA-2.0-UK"}, False),
    ({"license": "cc-by-nc-nd-4.0"}, False),
    ({"license": "CC-BY-4.0"}, True),
    ({"license": "CC0-1.0"}, True),
    ({"license": "GPL-3.0-only"}, True),
    ({"license": "LicenseRef-PhysioNet-DUA"}, None),
    ({"license": {"name": "Not stated", "url": "https://example.org"}}, None),
    ({"license": {"name": "CC BY-NC-SA 4.0 as stated on the page", "url": "https://example.org"}}, False),
    ({"license": {"name": "Custom research licence", "url": "https://example.org"}, "commercial_use": True}, True),
    ({"license": "CC-BY-4.0", "commercial_use": False}, False),  # the explicit field wins
    ({"license": "NCBI-PD"}, True),
    ({"license": "CC-PDM-1.0"}, True),
    ({"license": {"id": "CC-BY-SA-3.0", "name": "CC BY-SA 3.0 (Wikipedia)", "url": "https://example.org"}}, True),
    ({"license": {"id": "LicenseRef-GENIA-Project-License", "url": "https://example.org"}, "commercial_use": True}, True),
    ({"license": {"id": "LicenseRef-No-Licence-Stated"}, "commercial_use": False}, False),
    ({"license": "ODbL-1.0 AND CC-BY-NC-4.0"}, False),
    ({"license": "ODbL-1.0 AND CC-BY-4.0"}, True),
    ({"license": "CC-BY-NC-4.0 OR MIT"}, True),
    ({"license": "(CC-BY-NC-4.0 OR LicenseRef-X) AND MIT"}, None),
    ({"license": "GPL-2.0-or-later WITH Classpath-exception-2.0"}, True),
    ({"license": "LicenseRef-X AND CC-BY-NC-4.0"}, False),
])  # fmt: skip
def test_commercial_use(dataset, expected):
    assert commercial_use(dataset) is expected


def test_open_needs_public_access_and_an_open_licence():
    assert is_open({"license": "CC-BY-4.0", "access": "public"})
    assert not is_open({"license": "CC-BY-4.0", "access": "registration"})
    assert not is_open({"license": "CC-BY-NC-4.0", "access": "public"})
    assert not is_open({"license": {"name": "x", "url": "https://x.org"}, "access": "public"})
    assert is_open({"license": {"id": "NCBI-PD", "name": "NCBI Public Domain Notice"}, "access": "public"})
    assert is_open({"license": "ODbL-1.0 AND CC-BY-4.0", "access": "public"})
    assert not is_open({"license": "ODbL-1.0 AND CC-BY-NC-4.0", "access": "public"})
    assert not is_open({"license": "CC0-1.0", "access": "data-use-agreement"})
    # an explicit commercial_use does not make a custom licence open
    assert not is_open({"license": "LicenseRef-X", "commercial_use": True, "access": "public"})


def test_filter_reasons():
    f = LicenseFilter(licenses=("CC-BY-*",))
    assert f.keep({"license": "CC-BY-SA-3.0"}) and not f.keep({"license": "CC0-1.0"})
    assert "does not allow commercial use" in LicenseFilter(exclude_noncommercial=True).why_not({"license": "CC-BY-NC-2.0"})
    assert "does not clearly allow" in LicenseFilter(exclude_noncommercial=True).why_not({"license": {"name": "Not stated"}})
    assert "access needs registration" in LicenseFilter(open_only=True).why_not({"license": "MIT", "access": "registration"})
    assert not LicenseFilter().active


def task_with(tid, license, access="public", **extra):
    m = manifest(id=tid, name=tid)
    m["dataset"] = {**m["dataset"], "name": tid.split(".")[0], "license": license, "access": access,
                    "citation": f"Authors of {tid}. 2024.", **extra}
    return m


TASKS = {
    "toy.labels": ("CC0-1.0", "public"),
    "toy_nc.labels": ("CC-BY-NC-4.0", "public"),
    "toy_ncsa.labels": ("CC-BY-NC-SA-3.0", "public"),
    "toy_reg.labels": ("CC-BY-4.0", "registration"),
    "toy_custom.labels": ({"name": "Not stated", "url": "https://example.org/x"}, "public"),
}
NONCOMMERCIAL = {"toy_nc.labels", "toy_ncsa.labels", "toy_custom.labels"}


@pytest.fixture
def reg(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.tsv").write_text("".join(f"r{i}\ttrain text {i}\tl{i % 3}\n" for i in range(30)))
    (data / "test.tsv").write_text("t0\ttest text\tl0\n")
    plugins = [("toy", ToyPlugin(task=task_with("toy.labels", *TASKS["toy.labels"])))]
    plugins += [(t.split(".")[0], TaskOnly(task_with(t, *v))) for t, v in TASKS.items() if t != "toy.labels"]
    plugins.append(("toy_explicit", TaskOnly(task_with(
        "toy_explicit.labels", {"name": "Custom licence", "url": "https://example.org/c"}, "public", commercial_use=True))))
    with registered(*plugins) as registry:
        yield registry, data


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def lines(path):
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


def test_manifest_schema_accepts_commercial_use(reg):
    registry, _ = reg
    assert registry.tasks["toy_explicit.labels"].dataset["commercial_use"] is True
    assert not [p for p in registry.problems if "toy" in p[0]]


@pytest.mark.parametrize("license, commercial, access, ok", [
    ({"id": "CC-BY-4.0", "name": "CC BY 4.0", "url": "https://example.org/l"}, None, "public", True),
    ("CC-BY-4.0 AND ODbL-1.0", None, "data-use-agreement", True),
    ({"id": "LicenseRef-Custom-Terms", "url": "https://example.org/l"}, False, "registration", True),
    ("LicenseRef-Custom-Terms", True, "public", True),
    ({"id": "LicenseRef-Custom-Terms", "url": "https://example.org/l"}, None, "public", False),  # needs commercial_use
    ("LicenseRef-Custom-Terms OR MIT", None, "public", False),
    ({"id": "not an id"}, None, "public", False),
    ("CC-BY-4.0", None, "by-request", False),
])  # fmt: skip
def test_manifest_schema_of_licences(license, commercial, access, ok):
    from medinst_core.manifest import schema_errors

    extra = {} if commercial is None else {"commercial_use": commercial}
    m = task_with("toy_schema.labels", license, access, **extra)
    errors = schema_errors("task", m, None)
    assert not errors if ok else errors, errors


def test_tasks_filters(reg):
    ids = lambda *a: {t["id"] for t in json.loads(run("tasks", "--json", *a).stdout)}  # noqa: E731
    assert ids("--exclude-noncommercial") == {"toy.labels", "toy_reg.labels", "toy_explicit.labels"}
    assert ids("--open-only") == {"toy.labels"}
    assert ids("--license", "CC-BY-NC*") == {"toy_nc.labels", "toy_ncsa.labels"}
    assert ids("--license", "cc0-1.0", "--license", "CC-BY-4.0") == {"toy.labels", "toy_reg.labels"}
    [nc] = [t for t in json.loads(run("tasks", "--json").stdout) if t["id"] == "toy_nc.labels"]
    assert nc["commercial_use"] is False and nc["access"] == "public"


def test_build_filter_and_build_json_terms(reg, tmp_path):
    _, data = reg
    out = tmp_path / "b"
    result = run("build", "--all", "--data-dir", data, "--out", out, "--exclude-noncommercial")
    assert result.exit_code == 0, result.output
    assert "left out toy_nc.labels: licence CC-BY-NC-4.0 does not allow commercial use" in result.stderr
    info = json.loads((out / "build.json").read_text())
    assert set(info["tasks"]) == {"toy.labels", "toy_reg.labels", "toy_explicit.labels"}
    entry = info["tasks"]["toy_reg.labels"]
    assert entry["license"] == "CC-BY-4.0" and entry["citation"] == "Authors of toy_reg.labels. 2024."
    assert entry["access"] == "registration" and entry["commercial_use"] is True and entry["open"] is False
    assert entry["category"] == "TXTCLASS"


@pytest.fixture
def built_all(reg, tmp_path):
    _, data = reg
    out = tmp_path / "all"
    assert run("build", "--all", "--data-dir", data, "--out", out).exit_code == 0
    return out


def test_noncommercial_free_mixture_has_no_noncommercial_sample(reg, built_all, tmp_path):
    mix = tmp_path / "mix.jsonl"
    result = run("mix", "--size", 60, "--out", mix, "--build", built_all, "--exclude-noncommercial", "--seed", 4)
    assert result.exit_code == 0, result.output
    drawn = lines(mix)
    assert len(drawn) == 60
    assert not {s["task"] for s in drawn} & NONCOMMERCIAL
    assert {s["task"] for s in drawn} == {"toy.labels", "toy_reg.labels", "toy_explicit.labels"}
    composition = json.loads((tmp_path / "mix.jsonl.composition.json").read_text())
    assert set(composition["license_excluded"]) == NONCOMMERCIAL
    assert composition["license_filter"]["exclude_noncommercial"] is True
    # the same from the data directory (building first)
    _, data = reg
    mix2 = tmp_path / "mix2.jsonl"
    assert run("mix", "--size", 60, "--out", mix2, "--data-dir", data, "--exclude-noncommercial").exit_code == 0
    assert not {s["task"] for s in lines(mix2)} & NONCOMMERCIAL
    # without the filter the non-commercial tasks are drawn from
    mix3 = tmp_path / "mix3.jsonl"
    assert run("mix", "--size", 100, "--out", mix3, "--build", built_all).exit_code == 0
    assert {s["task"] for s in lines(mix3)} & NONCOMMERCIAL


def test_mixture_filter_uses_build_json_for_tasks_not_installed(built_all, tmp_path):
    # a registry without the toy plugins: the terms come from build.json
    with registered() as registry:
        from medinst_core.mixture import make_mixture

        rep = make_mixture(tmp_path / "m.jsonl", 30, build_dir=built_all, registry=registry,
                           license_filter=LicenseFilter(exclude_noncommercial=True))
    assert set(rep["tasks"]) == {"toy.labels", "toy_reg.labels", "toy_explicit.labels"}


def test_export_filters(reg, built_all, tmp_path):
    out = tmp_path / "chat"
    result = run("export", built_all, "--format", "chat", "--out", out, "--open-only")
    assert result.exit_code == 0, result.output
    assert {r["task"] for r in lines(out / "train.jsonl")} == {"toy.labels"}
    assert "left out toy_reg.labels: access needs registration" in result.stderr
    # a mixture file: filtered sample by sample
    mix = tmp_path / "mix.jsonl"
    assert run("mix", "--size", 100, "--out", mix, "--build", built_all).exit_code == 0
    out2 = tmp_path / "chat2"
    assert run("export", mix, "--format", "chat", "--out", out2, "--exclude-noncommercial").exit_code == 0
    kept = lines(out2 / "train.jsonl")
    assert kept and not {r["task"] for r in kept} & NONCOMMERCIAL
