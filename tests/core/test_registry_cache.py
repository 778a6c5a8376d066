"""The stored registry snapshot behind `medinst tasks` and `medinst plugins`:
a hit imports no plugin and prints what a full load prints; an edited, added or
removed manifest, an added or removed plugin, are seen at once; a damaged
snapshot is ignored and rewritten; a broken plugin is never stored; concurrent
writers leave a whole file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .helpers import MANIFEST

PLUGIN = '''
import os
from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent
with open(os.environ["TOY_IMPORTS"], "a") as fh:
    fh.write("{name}\\n")


def read(files, options, diagnostics):
    return iter(())


def fmt(record, options, diagnostics):
    return iter(())


def exact(golds, predictions):
    return None


@hookimpl
def register_readers(register):
    register("{ns}_lines", "{module}:read", record_kind="text")


@hookimpl
def register_formatters(register):
    register("{ns}_echo", "{module}:fmt", record_kinds=("text",))


@hookimpl
def register_metrics(register):
    register("{ns}_exact", "{module}:exact", higher_is_better=True, aggregation="mean")


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
'''


def install(site: Path, ns: str, tasks: dict[str, dict] | None = None) -> Path:
    """A plugin ``medinst-<ns>`` as an installed distribution on ``site``."""
    module = f"medinst_{ns}"
    package = site / module
    (package / "tasks").mkdir(parents=True)
    (package / "__init__.py").write_text(PLUGIN.format(name=ns, ns=ns, module=module))
    for name, task in (tasks or {"labels": task_manifest(ns, "labels")}).items():
        (package / "tasks" / f"{name}.json").write_text(json.dumps(task, indent=2))
    info = site / f"{module}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: medinst-{ns}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(f"[medinst]\n{ns} = {module}\n")
    (info / "RECORD").write_text("")
    return package


def uninstall(site: Path, ns: str) -> None:
    import shutil

    shutil.rmtree(site / f"medinst_{ns}")
    shutil.rmtree(site / f"medinst_{ns}-0.1.dist-info")


def task_manifest(ns: str, name: str, **changes) -> dict:
    return {
        **MANIFEST,
        "id": f"{ns}.{name}",
        "source": {"reader": f"{ns}_lines", "splits": {"train": ["train.tsv"], "test": ["test.tsv"]}},
        "formatter": {"name": f"{ns}_echo"},
        "metrics": [f"{ns}_exact"],
        **changes,
    }


class Env:
    def __init__(self, tmp_path: Path):
        self.site = tmp_path / "site"
        self.site.mkdir()
        self.cache = tmp_path / "cache"
        self.imports = tmp_path / "imports.txt"
        self.env = {
            **os.environ,
            "PYTHONPATH": str(self.site),
            "MEDINST_CACHE_DIR": str(self.cache),
            "MEDINST_LOAD_PLUGINS": "toy,other,broken",
            "TOY_IMPORTS": str(self.imports),
        }
        self.env.pop("MEDINST_NO_CACHE", None)

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        self.imports.write_text("")
        return subprocess.run([sys.executable, "-m", "medinst_core", *args], capture_output=True, text=True,
                              env={**self.env, **extra}, timeout=300)

    def tasks(self) -> list[dict]:
        done = self.run("tasks", "--json")
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    def imported(self) -> list[str]:
        return self.imported_text().split()

    def imported_text(self) -> str:
        return self.imports.read_text()

    def snapshots(self) -> list[Path]:
        return sorted(self.cache.glob("registry-*.bin"))


@pytest.fixture
def env(tmp_path) -> Env:
    return Env(tmp_path)


def test_a_hit_imports_no_plugin_and_prints_the_same(env):
    install(env.site, "toy")
    first = env.tasks()
    assert env.imported() == ["toy"] and [t["id"] for t in first] == ["toy.labels"]
    assert len(env.snapshots()) == 1
    assert env.tasks() == first
    assert env.imported() == []  # answered from the snapshot
    full = env.run("tasks", "--json", MEDINST_NO_CACHE="1")
    assert json.loads(full.stdout) == first
    plugins = env.run("plugins", "--all")
    assert env.imported() == [] and plugins.stdout == env.run("plugins", "--all", MEDINST_NO_CACHE="1").stdout


def test_a_same_size_edit_of_a_manifest_is_seen_at_once(env):
    package = install(env.site, "toy")
    env.tasks()
    path = package / "tasks" / "labels.json"
    text = path.read_text()
    edited = text.replace('"Toy labels"', '"Toy lxbels"')
    assert len(edited) == len(text) and edited != text
    path.write_text(edited)  # within the same time stamp tick, most likely
    assert [t["name"] for t in env.tasks()] == ["Toy lxbels"]
    assert env.imported() == ["toy"]
    assert [t["name"] for t in env.tasks()] == ["Toy lxbels"] and env.imported() == []


def test_an_invalid_edit_is_reported_and_not_stored(env):
    package = install(env.site, "toy")
    env.tasks()
    (package / "tasks" / "labels.json").write_text(json.dumps(task_manifest("toy", "labels", category="NERR")))
    for _ in range(2):  # reported every time: a registry with problems is never stored
        done = env.run("tasks", "--json")
        assert json.loads(done.stdout) == [] and "/category" in done.stderr
        assert env.imported() == ["toy"]


def test_an_added_and_a_removed_manifest_are_seen(env):
    package = install(env.site, "toy")
    env.tasks()
    (package / "tasks" / "more.json").write_text(json.dumps(task_manifest("toy", "more")))
    assert [t["id"] for t in env.tasks()] == ["toy.labels", "toy.more"]
    (package / "tasks" / "labels.json").unlink()
    assert [t["id"] for t in env.tasks()] == ["toy.more"]
    assert env.imported() == ["toy"]


def test_an_added_and_a_removed_plugin_are_seen(env):
    install(env.site, "toy")
    env.tasks()
    install(env.site, "other")
    assert [t["id"] for t in env.tasks()] == ["other.labels", "toy.labels"]
    assert sorted(env.imported()) == ["other", "toy"]
    uninstall(env.site, "toy")
    assert [t["id"] for t in env.tasks()] == ["other.labels"]
    assert env.tasks() and env.imported() == []


def test_a_code_change_of_a_plugin_is_seen(env):
    package = install(env.site, "toy")
    env.tasks()
    init = package / "__init__.py"
    init.write_text(init.read_text().replace('register(HERE / "tasks")', 'pass'))
    assert env.tasks() == [] and env.imported() == ["toy"]


def test_a_broken_plugin_is_reported_every_time(env):
    install(env.site, "toy")
    package = install(env.site, "broken")
    (package / "__init__.py").write_text("raise RuntimeError('boom')\n")
    for _ in range(2):
        done = env.run("tasks", "--json")
        assert done.returncode == 0 and "boom" in done.stderr
        assert [t["id"] for t in json.loads(done.stdout)] == ["toy.labels"]
        assert env.imported() == ["toy"]
    assert env.snapshots() == []
    assert env.run("tasks", "--json", MEDINST_STRICT_PLUGINS="1").returncode == 1


@pytest.mark.parametrize("damage", [b"", b"garbage", b"medinst registry snapshot v1\n{", b"\x00" * 64])
def test_a_damaged_snapshot_is_ignored_and_rewritten(env, damage):
    install(env.site, "toy")
    first = env.tasks()
    (snapshot,) = env.snapshots()
    snapshot.write_bytes(damage)
    assert env.tasks() == first and env.imported() == ["toy"]
    assert env.tasks() == first and env.imported() == []


def test_a_snapshot_with_another_body_is_ignored(env):
    install(env.site, "toy")
    first = env.tasks()
    (snapshot,) = env.snapshots()
    data = snapshot.read_bytes()
    head, _, _body = data.partition(b"\n")[2].partition(b"\n")
    snapshot.write_bytes(data[: data.index(b"\n") + 1] + head + b"\n[1, 2]")
    assert env.tasks() == first


def test_concurrent_writers_leave_a_whole_snapshot(env):
    install(env.site, "toy")
    with ThreadPoolExecutor(4) as pool:
        outs = list(pool.map(lambda _: subprocess.run(
            [sys.executable, "-m", "medinst_core", "tasks", "--json"], capture_output=True, text=True, env=env.env,
            timeout=300), range(4)))
    assert all(o.returncode == 0 for o in outs) and len({o.stdout for o in outs}) == 1
    assert [p.name for p in env.cache.iterdir() if p.name.startswith(".")] == []  # no temporary file left
    assert env.tasks() == json.loads(outs[0].stdout) and env.imported() == []


def test_no_snapshot_when_turned_off(env):
    install(env.site, "toy")
    env.run("tasks", "--json", MEDINST_NO_CACHE="1")
    assert not env.cache.exists()


def test_a_stored_stat_stands_for_the_bytes_only_while_the_file_is_unchanged(tmp_path):
    import time

    from medinst_core.registry_cache import _digest, _Digests

    settled, fresh = tmp_path / "settled.json", tmp_path / "fresh.json"
    settled.write_text('{"a": 1}')
    fresh.write_text('{"b": 2}')
    later = _Digests(settled=time.time_ns() + 10**9)  # as if the load began after both were written
    assert later(str(settled)) == _digest(b'{"a": 1}')
    entry = later.stats[str(settled)]
    assert entry[4] == _digest(b'{"a": 1}').hex()
    early = _Digests(settled=0)  # the load began before the file was written: no entry
    early(str(fresh))
    assert early.stats == {}

    # an unchanged stat: the stored digest is used without reading (a planted digest shows it)
    planted = "00" * 16
    assert _Digests(known={str(settled): [*entry[:4], planted]})(str(settled)) == bytes(16)
    # a same-size edit changes the change time (and usually the modification time): read again
    settled.write_text('{"a": 2}')
    assert _Digests(known={str(settled): [*entry[:4], planted]})(str(settled)) == _digest(b'{"a": 2}')
    # a damaged entry is ignored
    assert _Digests(known={str(settled): ["x"]})(str(settled)) == _digest(b'{"a": 2}')
    assert _Digests()(str(tmp_path / "gone.json")) == b"missing"
