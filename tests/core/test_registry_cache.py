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


# -- the quick check: a snapshot whose files had settled is used after stat calls only

#: the CLI with every file counting as settled (a snapshot is stored with its
#: quick check at once, instead of two seconds after the files' last change;
#: $TOY_FRESH keeps the two seconds), noting each computation of the key in $TOY_KEYS
SETTLED_CLI = """
import sys
started = set(sys.modules)  # an editable install's finders import pathlib before medinst is
import os
import medinst_core.registry_cache as r
if not os.environ.get("TOY_FRESH"):
    r.SETTLE_NS = -10**12
key = r.compute_key
def counted(*args, **kwargs):
    with open(os.environ["TOY_KEYS"], "a") as fh:
        fh.write("key\\n")
    return key(*args, **kwargs)
r.compute_key = counted
if os.environ.get("TOY_MODULES"):
    import atexit
    atexit.register(lambda: open(os.environ["TOY_MODULES"], "w").write("\\n".join(sorted(set(sys.modules) - started))))
from medinst_core.cli import main
main(prog_name="medinst")
"""


class Settled(Env):
    def __init__(self, tmp_path: Path):
        super().__init__(tmp_path)
        self.keys = tmp_path / "keys.txt"
        self.cwd = tmp_path / "cwd"  # sys.path[0] of `python -c`: a folder nothing is written to
        self.cwd.mkdir()
        self.env["TOY_KEYS"] = str(self.keys)

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess:
        self.imports.write_text("")
        self.keys.write_text("")
        return subprocess.run([sys.executable, "-c", SETTLED_CLI, *args], capture_output=True, text=True,
                              env={**self.env, **extra}, cwd=self.cwd, timeout=300)

    def computed(self) -> int:
        return len(self.keys.read_text().split())


@pytest.fixture
def settled(tmp_path) -> Settled:
    return Settled(tmp_path)


def test_a_settled_snapshot_is_used_without_computing_the_key(settled):
    package = install(settled.site, "toy")
    first = settled.tasks()
    assert settled.imported() == ["toy"] and settled.computed() == 1  # stored with its quick check
    assert settled.tasks() == first and settled.imported() == [] and settled.computed() == 0
    # a same-size edit of a manifest changes its change time: the key is computed, the edit seen
    path = package / "tasks" / "labels.json"
    path.write_text(path.read_text().replace('"Toy labels"', '"Toy lxbels"'))
    assert [t["name"] for t in settled.tasks()] == ["Toy lxbels"] and settled.imported() == ["toy"]
    assert settled.tasks() and settled.computed() == 0 and settled.imported() == []
    # a new manifest changes its folder's times; so does a removed one
    (package / "tasks" / "more.json").write_text(json.dumps(task_manifest("toy", "more")))
    assert [t["id"] for t in settled.tasks()] == ["toy.labels", "toy.more"]
    (package / "tasks" / "more.json").unlink()
    assert [t["id"] for t in settled.tasks()] == ["toy.labels"] and settled.imported() == ["toy"]
    # a plugin installed, then uninstalled
    install(settled.site, "other")
    assert [t["id"] for t in settled.tasks()] == ["other.labels", "toy.labels"]
    uninstall(settled.site, "other")
    assert [t["id"] for t in settled.tasks()] == ["toy.labels"]
    # a code change of the plugin
    init = package / "__init__.py"
    init.write_text(init.read_text().replace('register(HERE / "tasks")', 'pass'))
    assert settled.tasks() == [] and settled.imported() == ["toy"]


def test_an_entry_point_added_in_place_is_seen(settled):
    install(settled.site, "toy")
    install(settled.site, "other")
    points = settled.site / "medinst_other-0.1.dist-info" / "entry_points.txt"
    points.write_text("[console_scripts]\nother = medinst_other:main\n")  # not a medinst plugin yet
    assert [t["id"] for t in settled.tasks()] == ["toy.labels"]
    assert settled.tasks() and settled.computed() == 0
    with open(points, "a") as fh:  # the same file written in place: its folders' times do not move
        fh.write("[medinst]\nother = medinst_other\n")
    assert [t["id"] for t in settled.tasks()] == ["other.labels", "toy.labels"]


def test_a_snapshot_stored_while_files_changed_gets_its_quick_check_later(settled):
    install(settled.site, "toy")
    fresh = settled.run("tasks", "--json", TOY_FRESH="1")  # the default two seconds: the files are too new
    assert fresh.returncode == 0 and settled.imported() == ["toy"]
    (snapshot,) = settled.snapshots()
    assert snapshot.read_bytes().split(b"\n")[1] == b"null"
    assert settled.tasks() == json.loads(fresh.stdout)
    assert settled.imported() == [] and settled.computed() == 1  # key unchanged: used, quick check stored
    assert snapshot.read_bytes().split(b"\n")[1] != b"null"
    assert settled.tasks() == json.loads(fresh.stdout) and settled.computed() == 0


def test_a_warm_listing_imports_only_what_it_prints_with(settled, tmp_path):
    """No plugin, no manifest machinery, none of the modules that cost most to import."""
    install(settled.site, "toy")
    settled.tasks()
    modules = tmp_path / "modules.txt"
    done = settled.run("tasks", "--json", TOY_MODULES=str(modules))
    assert done.returncode == 0 and settled.computed() == 0
    loaded = set(modules.read_text().split())
    heavy = {"attr", "attrs", "pathlib", "hashlib", "importlib.resources", "importlib.metadata", "jsonschema",
             "pluggy", "medinst_core.manifest", "medinst_toy"}
    assert loaded & heavy == set()


def test_the_key_hashes_the_schema_files_that_schema_text_reads():
    from medinst_core.manifest import SCHEMA_NAMES, schema_text
    from medinst_core.registry_cache import _schema_file

    for name in SCHEMA_NAMES:
        assert Path(_schema_file(name)).read_bytes() == schema_text(name)


def test_listed_manifests_keep_all_that_listings_read():
    from medinst_core.components import TaskSpec
    from medinst_core.licenses import LicenseFilter
    from medinst_core.registry_cache import _listed

    filters = [LicenseFilter(), LicenseFilter(("CC-BY-*",)), LicenseFilter(exclude_noncommercial=True),
               LicenseFilter(open_only=True)]
    for dataset in ({"license": "CC-BY-4.0", "access": "public"}, {"license": "CC-BY-NC-2.0", "access": "registration"},
                    {"license": {"name": "Not stated"}, "commercial_use": True, "files": [{"name": "x", "sha256": "0" * 64}]}):
        manifest = {**task_manifest("toy", "labels"), "medinst": {"config": "toy_c", "counts": {"train": 1, "dev": 0, "test": 2},
                                                                  "note": "a note"}}
        manifest["dataset"] = {**manifest["dataset"], **dataset}
        full, listed = TaskSpec("toy.labels", manifest, "toy"), TaskSpec("toy.labels", _listed(manifest), "toy")
        assert listed.summary() == full.summary()
        assert [f.why_not(listed.dataset) for f in filters] == [f.why_not(full.dataset) for f in filters]
        assert len(orjson_dumps(listed.manifest)) < len(orjson_dumps(full.manifest))


def orjson_dumps(value) -> bytes:
    import orjson

    return orjson.dumps(value)


def test_task_paths_given_as_strings_are_paths_when_read():
    from medinst_core.components import TaskSpec

    text = TaskSpec("toy.x", {}, "toy", path="/p/tasks/x.json", bundled="/p/samples")
    made = TaskSpec("toy.x", {}, "toy", path=Path("/p/tasks/x.json"), bundled=Path("/p/samples"))
    assert text == made and repr(text) == repr(made)
    assert isinstance(text.path, Path) and text.path == Path("/p/tasks/x.json") and text.bundled == Path("/p/samples")
    assert TaskSpec("toy.x", {}, "toy").path is None and TaskSpec("toy.x", {}, "toy").bundled is None
    assert text != TaskSpec("toy.x", {}, "toy", path="/p/tasks/y.json", bundled="/p/samples")


def test_the_written_out_record_classes_compare_copy_and_pickle():
    import copy
    import pickle

    from medinst_core.components import Component, PluginInfo, TaskSpec
    from medinst_core.licenses import LicenseFilter

    records = [TaskSpec("toy.x", {"a": [1]}, "toy", path="/p/x.json"), PluginInfo("toy", "0.1", "medinst-toy", False, ["h"]),
               Component(kind="reader", name="toy_lines", ref="m:f", plugin="toy"), LicenseFilter(("MIT",), True)]
    for record in records:
        for again in (pickle.loads(pickle.dumps(record)), copy.deepcopy(record), copy.copy(record)):
            assert again == record and repr(again) == repr(record)
    with pytest.raises(AttributeError):
        records[3].open_only = True  # type: ignore[misc]
    assert hash(LicenseFilter(("MIT",), True)) == hash(records[3])
    assert PluginInfo("toy", "0.1", None, False) != PluginInfo("toy", "0.2", None, False)
