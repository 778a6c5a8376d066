"""The state a build keeps beside its outputs, and what keeps it true under
faults: reading a possibly malformed ``build.json``, removing the entries of
splits about to be rebuilt (so a killed rebuild leaves no entry describing a
file it may have replaced), and ending worker processes with their parent."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import orjson

from ._version import __version__
from .io import write_json
from .layout import build_info_file, split_file


def read_build_info(path: Path) -> dict[str, Any]:
    """An existing build.json, or ``{}`` when it is missing or malformed (it is
    rewritten from what is known)."""
    try:
        data = orjson.loads(path.read_bytes())
    except FileNotFoundError:
        return {}
    except (orjson.JSONDecodeError, IsADirectoryError, NotADirectoryError):
        return {}
    if not isinstance(data, dict) or not isinstance(data.get("tasks", {}), dict):
        return {}
    tasks = {}
    for task, entry in data.get("tasks", {}).items():
        if isinstance(entry, dict) and isinstance(entry.get("splits", {}), dict):
            tasks[task] = entry
    data["tasks"] = tasks
    return data


def invalidate_build_info(path: Path, units: set[tuple[str, str]]) -> None:
    """Remove the entries of ``units`` (task, split) from the build record at
    ``path`` before they are rebuilt (nothing is written when it has none)."""
    previous = read_build_info(path)
    tasks = previous.get("tasks", {})
    if not any(split in tasks.get(task, {}).get("splits", {}) for task, split in units):
        return
    for task, split in units:
        if task in tasks:
            tasks[task]["splits"].pop(split, None)
            if not tasks[task]["splits"]:
                del tasks[task]
    write_json(path, previous)


_worker_registry = None


def registry_for_workers(registry):
    """What :func:`worker_init` gets: None for the installed plugins' registry
    (a worker loads its own), else the registry itself (a program's own, the
    tests' toy plugins), which the workers could not otherwise find."""
    from . import plugins

    return None if registry is plugins._REGISTRY else registry


def worker_registry():
    """The registry given to :func:`worker_init` (None: the installed plugins')."""
    return _worker_registry


def worker_init(parent: int, registry=None) -> None:
    """Workers end when the building process is gone (killed, even with
    SIGKILL), instead of writing on for as long as their split takes."""
    import signal
    import threading

    global _worker_registry
    _worker_registry = registry

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    def watch() -> None:
        while True:
            time.sleep(0.2)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="medinst-parent-watch", daemon=True).start()


def write_build_info(out: Path, result, registry, *, data_dir: str) -> None:
    """Merge a build's result (:class:`~medinst_core.pipeline.BuildResult`)
    into ``out/build.json``, written last: tasks built earlier are kept while
    their files are there."""
    path = build_info_file(out)
    previous = read_build_info(path)
    tasks = {}
    for task, entry in previous.get("tasks", {}).items():
        splits = {k: v for k, v in entry.get("splits", {}).items() if split_file(out, task, k).is_file()}
        if splits:
            tasks[task] = dict(entry, splits=splits)
    for stats in result.splits:
        if stats.error or stats.missing:
            continue
        spec = registry.tasks.get(stats.task)
        entry = tasks.setdefault(stats.task, {"splits": {}})
        entry.update(
            version=spec.version if spec else None,
            plugin=spec.plugin if spec else None,
            plugin_version=registry.plugins[spec.plugin].version if spec else None,
            medinst_config=spec.medinst_config if spec else None,
            source=data_dir,
        )
        if spec:  # the dataset's terms travel with its samples
            from .licenses import facts

            entry.update(category=spec.category, dataset=spec.dataset.get("name"), **facts(spec.dataset))
        entry.setdefault("splits", {})[stats.split] = stats.as_dict()
    data = {
        "medinst_version": __version__,
        "plugins": {name: info.version for name, info in sorted(registry.plugins.items()) if not info.builtin},
        "tasks": {k: tasks[k] for k in sorted(tasks)},
        "last_run": {"elapsed_s": round(result.elapsed, 3), "data_dir": data_dir},
    }
    write_json(path, data)
