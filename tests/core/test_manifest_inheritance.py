"""Manifest inheritance: ``extends`` merges bases under a manifest before the
schema check, and errors still name the file (and JSON pointer) at fault."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medinst_core.errors import ManifestError
from medinst_core.manifest import core_base_names, load_json_document, merge, resolve_manifest
from medinst_core.plugins import load_registry
from medinst_core.validate import check_paths

from .helpers import MANIFEST, TaskOnly, ToyPlugin


def write(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2))
    return path


def split_manifest(folder: Path) -> tuple[Path, dict]:
    """The toy manifest written as a ``_dataset.json`` base plus a task file."""
    base = {k: MANIFEST[k] for k in ("category", "dataset", "source", "formatter", "empty_output", "metrics")}
    own = {k: v for k, v in MANIFEST.items() if k not in base}
    write(folder / "_dataset.json", base)
    task = write(folder / "labels.json", {"extends": "_dataset.json", **own})
    return task, MANIFEST


def test_merge_objects_recursively_replaces_the_rest_and_null_deletes():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": "keep", "c": 3}
    over = {"a": {"y": [9], "z": True}, "c": None}
    assert merge(base, over) == {"a": {"x": 1, "y": [9], "z": True}, "b": "keep"}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": "keep", "c": 3}  # inputs untouched


def test_a_manifest_with_a_base_equals_the_whole_manifest(tmp_path):
    task, whole = split_manifest(tmp_path)
    path, document = load_json_document(task, schema="task")
    assert document == whole
    assert "extends" not in document


def test_bases_apply_in_order_and_may_extend_bases(tmp_path):
    write(tmp_path / "_family.json", {"metrics": ["toy_exact"], "empty_output": "keep", "languages": ["en"]})
    write(tmp_path / "_dataset.json", {"extends": "_family.json", "empty_output": "drop", "category": "TXTCLASS"})
    own = {k: v for k, v in MANIFEST.items() if k not in ("metrics", "empty_output", "category")}
    task = write(tmp_path / "t.json", {"extends": ["_dataset.json"], **own, "languages": None})
    _, document = load_json_document(task, schema="task")
    assert document["empty_output"] == "drop"
    assert document["metrics"] == ["toy_exact"]
    assert "languages" not in document


def test_core_bases_resolve():
    assert {"bionlp_st", "bionlp_st_ner", "bionlp_st_ee", "bionlp_st_coref", "bionlp_st_re"} <= set(core_base_names())
    document, layers = resolve_manifest({"extends": "medinst:bionlp_st_ee"}, None)
    assert document["category"] == "EE" and document["source"]["reader"] == "brat"
    assert document["source"]["options"] == {"offset_check": "warn", "suffixes": [".a1", ".a2"]}
    assert len(layers) == 3  # bionlp_st, bionlp_st_ee, the manifest


def test_an_error_in_a_base_names_the_base_file_and_pointer(tmp_path):
    task, _ = split_manifest(tmp_path)
    base = json.loads((tmp_path / "_dataset.json").read_text())
    base["category"] = "NERR"
    write(tmp_path / "_dataset.json", base)
    with pytest.raises(ManifestError) as err:
        load_json_document(task, schema="task")
    assert str(err.value).startswith(f"{tmp_path / '_dataset.json'}: /category:")
    assert "NERR" in str(err.value)


def test_an_error_in_the_manifest_names_the_manifest(tmp_path):
    task, _ = split_manifest(tmp_path)
    data = json.loads(task.read_text())
    data["version"] = "one"
    write(task, data)
    with pytest.raises(ManifestError) as err:
        load_json_document(task, schema="task")
    assert str(err.value).startswith(f"{task}: /version:")


def test_a_missing_property_names_the_manifest(tmp_path):
    task, _ = split_manifest(tmp_path)
    data = json.loads(task.read_text())
    del data["instructions"]
    write(task, data)
    with pytest.raises(ManifestError, match="missing required property") as err:
        load_json_document(task, schema="task")
    assert str(err.value).startswith(f"{task}: /:")


@pytest.mark.parametrize(
    "extends, message",
    [
        ("_nowhere.json", "the base '_nowhere.json' does not exist"),
        ("medinst:bionlp_st_nerr", "unknown core base 'medinst:bionlp_st_nerr' (did you mean 'bionlp_st_ner'"),
        (3, "must be a file name or 'medinst:<base>', got 3"),
    ],
)
def test_bad_references_are_errors_at_extends(tmp_path, extends, message):
    task = write(tmp_path / "t.json", {**MANIFEST, "extends": extends})
    with pytest.raises(ManifestError) as err:
        load_json_document(task, schema="task")
    assert str(err.value).startswith(f"{task}: /extends: ")
    assert message in str(err.value)


def test_a_cycle_is_an_error(tmp_path):
    write(tmp_path / "_a.json", {"extends": "_b.json"})
    write(tmp_path / "_b.json", {"extends": "_a.json"})
    task = write(tmp_path / "t.json", {**MANIFEST, "extends": "_a.json"})
    with pytest.raises(ManifestError, match="extends itself through"):
        load_json_document(task, schema="task")


def test_bases_in_a_tasks_folder_are_not_tasks(tmp_path):
    split_manifest(tmp_path / "tasks")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin()), ("medinst_toy", TaskOnly(tmp_path / "tasks"))])
    assert reg.problems == []
    assert reg.plugins["medinst_toy"].tasks == ["toy.labels"]
    assert reg.tasks["toy.labels"].manifest == MANIFEST


def test_validate_checks_a_plugin_folder_with_bases(tmp_path):
    split_manifest(tmp_path / "plugin" / "pkg" / "tasks")
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin())])
    checks = check_paths([tmp_path / "plugin"], reg, run=False)
    assert [(c.task, c.errors) for c in checks] == [("toy.labels", [])]
