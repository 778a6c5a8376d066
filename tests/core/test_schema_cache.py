"""The record of manifests already found valid: a hit skips the schema check,
any edit (of the manifest or of a base) is validated again, an invalid
manifest is never recorded, and a damaged record file is ignored."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from medinst_core import manifest, schema_cache
from medinst_core.errors import ManifestError
from medinst_core.manifest import load_json_document, schema_text

from .helpers import MANIFEST


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("MEDINST_CACHE_DIR", str(folder))
    monkeypatch.delenv("MEDINST_NO_CACHE", raising=False)
    schema_cache.reset()
    yield folder / "valid-documents.bin"
    schema_cache.reset()


def write(path: Path, obj) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj, indent=2))
    return path


def new_process():
    """What a new process sees: the record as written at exit, nothing in memory."""
    schema_cache.flush()
    schema_cache.reset()


class Counting:
    def __init__(self, monkeypatch):
        self.calls = 0
        real = manifest.schema_errors

        def counting(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(manifest, "schema_errors", counting)


def split(folder: Path) -> tuple[Path, Path]:
    base = {k: MANIFEST[k] for k in ("category", "dataset", "source", "formatter", "empty_output", "metrics")}
    own = {k: v for k, v in MANIFEST.items() if k not in base}
    return write(folder / "_dataset.json", base), write(folder / "labels.json", {"extends": "_dataset.json", **own})


def test_a_valid_manifest_is_validated_once(cache, tmp_path, monkeypatch):
    _, task = split(tmp_path / "tasks")
    checks = Counting(monkeypatch)
    load_json_document(task, schema="task")
    assert checks.calls == 1
    new_process()
    assert cache.is_file()
    _, document = load_json_document(task, schema="task")
    assert checks.calls == 1
    assert document == MANIFEST


def test_an_edited_manifest_is_validated_again_and_its_error_raised(cache, tmp_path, monkeypatch):
    _, task = split(tmp_path / "tasks")
    load_json_document(task, schema="task")
    new_process()
    data = json.loads(task.read_text())
    data["instructions"] = 7
    write(task, data)
    checks = Counting(monkeypatch)
    with pytest.raises(ManifestError, match="/instructions"):
        load_json_document(task, schema="task")
    assert checks.calls == 1
    new_process()  # the invalid manifest was not recorded
    with pytest.raises(ManifestError, match="/instructions"):
        load_json_document(task, schema="task")


def test_an_edited_base_is_validated_again(cache, tmp_path):
    base, task = split(tmp_path / "tasks")
    load_json_document(task, schema="task")
    new_process()
    data = json.loads(base.read_text())
    data["category"] = "NERR"
    write(base, data)
    with pytest.raises(ManifestError) as err:
        load_json_document(task, schema="task")
    assert str(err.value).startswith(f"{base}: /category:")


def test_an_edit_restoring_a_recorded_manifest_is_a_hit(cache, tmp_path, monkeypatch):
    # the key is the merged content, not the file's time stamp
    _, task = split(tmp_path / "tasks")
    text = task.read_text()
    load_json_document(task, schema="task")
    new_process()
    task.write_text(text.replace("\n", "\n  "))  # another layout, the same JSON
    checks = Counting(monkeypatch)
    load_json_document(task, schema="task")
    assert checks.calls == 0


@pytest.mark.parametrize("damage", [b"", b"garbage", schema_cache.MAGIC + b"short", b"\x00" * 100])
def test_a_damaged_record_is_ignored_and_replaced(cache, tmp_path, monkeypatch, damage):
    _, task = split(tmp_path / "tasks")
    cache.parent.mkdir(parents=True)
    cache.write_bytes(damage)
    checks = Counting(monkeypatch)
    load_json_document(task, schema="task")
    assert checks.calls == 1
    new_process()
    assert cache.read_bytes().startswith(schema_cache.MAGIC)
    load_json_document(task, schema="task")
    assert checks.calls == 1


def test_entries_other_processes_wrote_are_kept(cache, tmp_path):
    _, task = split(tmp_path / "a")
    other = write(tmp_path / "b" / "t.json", {**MANIFEST, "id": "toy.other"})
    load_json_document(task, schema="task")
    # another process records its manifest meanwhile
    digest = schema_cache.key("task", json.loads(json.dumps({**MANIFEST, "id": "toy.other"})), schema_text)
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(schema_cache.MAGIC + digest)
    new_process()
    body = cache.read_bytes()[len(schema_cache.MAGIC):]
    assert len(body) == 2 * schema_cache.DIGEST and digest in {body[:16], body[16:]}
    assert schema_cache.known_valid(schema_cache.key("task", load_json_document(other, schema="task")[1], schema_text))


def test_no_cache_folder_when_turned_off(cache, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDINST_NO_CACHE", "1")
    _, task = split(tmp_path / "tasks")
    checks = Counting(monkeypatch)
    load_json_document(task, schema="task")
    new_process()
    load_json_document(task, schema="task")
    assert checks.calls == 2
    assert not cache.parent.exists()


def test_concurrent_writers_leave_a_readable_record(cache, tmp_path):
    code = (
        "import sys; from medinst_core import schema_cache as c; from medinst_core.manifest import schema_text\n"
        "for i in range(300):\n"
        "    c.remember(c.key('task', {'n': i, 'w': sys.argv[1]}, schema_text))\n"
        "    c.flush()\n"
    )
    env = {**__import__("os").environ, "MEDINST_CACHE_DIR": str(cache.parent)}
    procs = [subprocess.Popen([sys.executable, "-c", code, str(w)], env=env) for w in range(3)]
    assert all(p.wait() == 0 for p in procs)
    data = cache.read_bytes()
    assert data.startswith(schema_cache.MAGIC) and (len(data) - len(schema_cache.MAGIC)) % schema_cache.DIGEST == 0
    assert len(data) > len(schema_cache.MAGIC)
    assert not [p for p in cache.parent.iterdir() if p.name.startswith(".valid-documents.")]
