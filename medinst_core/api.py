"""The Python API: what the CLI does, for notebooks and scripts.

>>> import medinst_core as medinst
>>> [t["id"] for t in medinst.list_tasks(category="STS")]
['biosses.sts']
>>> next(medinst.iter_samples("biosses.sts", "train", bundled=True))["output"]
'4'
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from .errors import UsageError


def _registry():
    from .plugins import get_registry

    return get_registry()


def _data_dir(data_dir: str | os.PathLike | None) -> Path:
    chosen = data_dir or os.environ.get("MEDINST_DATA")
    if not chosen:
        raise UsageError("no data directory: pass data_dir=... or set MEDINST_DATA (or use bundled=True)")
    return Path(chosen)


def list_tasks(*, category: str | None = None, dataset: str | None = None, suite: str | None = None) -> list[dict[str, Any]]:
    """Summaries of the installed tasks (as ``medinst tasks --json``)."""
    return [t.summary() for t in _registry().select_tasks(category=category, dataset=dataset, suite=suite)]


def get_task(task_id: str):
    """The :class:`~medinst_core.components.TaskSpec` of a task (manifest and all)."""
    return _registry().task(task_id)


def iter_samples(
    task_id: str,
    split: str,
    *,
    data_dir: str | os.PathLike | None = None,
    bundled: bool = False,
    limit: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Stream the samples of one task split without writing files."""
    from .pipeline import iter_samples_from, resolve_split
    from .sources import FileIndex

    reg = _registry()
    task = reg.task(task_id)
    if split not in task.splits:
        raise UsageError(f"task {task_id} has no {split!r} split; it has {', '.join(task.splits)}")
    if bundled:
        if task.bundled is None:
            raise UsageError(f"task {task_id}: its plugin ships no sample files")
        index = FileIndex(task.bundled)
    else:
        index = FileIndex(_data_dir(data_dir))
    files = resolve_split(task, split, index, bundled=bundled)
    return iter_samples_from(task, split, files, registry=reg, limit=limit)


def iter_records(task_id: str, split: str, *, data_dir: str | os.PathLike | None = None, bundled: bool = False) -> Iterator[Any]:
    """Stream the harmonized records a task's reader yields for one split."""
    from .diagnostics import Diagnostics
    from .pipeline import resolve_split
    from .sources import FileIndex

    reg = _registry()
    task = reg.task(task_id)
    index = FileIndex(task.bundled) if bundled else FileIndex(_data_dir(data_dir))
    files = resolve_split(task, split, index, bundled=bundled)
    reader = reg.reader(task.manifest["source"]["reader"]).load()
    return reader(files, task.manifest["source"].get("options", {}), Diagnostics())


def build(
    tasks: Iterable[str] | str,
    out: str | os.PathLike,
    *,
    data_dir: str | os.PathLike | None = None,
    bundled: bool = False,
    splits: Iterable[str] | None = None,
    limit: int | None = None,
    jobs: int = 1,
):
    """Build tasks (ids, plugin names, or ``"all"``) into ``out``; returns a BuildResult."""
    from .pipeline import build as run_build

    reg = _registry()
    ids = [] if tasks == "all" else [tasks] if isinstance(tasks, str) else list(tasks)
    return run_build(
        reg.select_tasks(ids), out,
        data_dir=None if bundled else _data_dir(data_dir), bundled=bundled,
        splits=list(splits) if splits else None, limit=limit, jobs=jobs, registry=reg,
    )
