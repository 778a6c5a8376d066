"""The general part of the plugin test kit: the pytest fixtures, fresh
registries, building a task split in memory, and small file helpers.  Import
the names from :mod:`medinst_core.testing`."""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal

import pytest

from .. import plugins as _plugins
from ..plugins import Registry, load_registry


@contextlib.contextmanager
def registered(*objects: tuple[str, Any], entrypoints: bool = False) -> Iterator[Registry]:
    """Make a fresh registry with ``objects`` (``(name, plugin)`` pairs) the
    process-wide one for the duration of the block."""
    previous = _plugins._REGISTRY
    reg = load_registry(entrypoints=entrypoints, plugins=objects)
    _plugins._REGISTRY = reg
    try:
        yield reg
    finally:
        _plugins._REGISTRY = previous


@pytest.fixture
def medinst_registry() -> Registry:
    """A fresh registry with the core's default plugins only."""
    return load_registry(entrypoints=False)


@pytest.fixture
def medinst_register():
    """Register plugin objects for the duration of a test (see module docs)."""
    stack = contextlib.ExitStack()

    def register(obj: Any, name: str = "test-plugin", *more: tuple[str, Any]) -> Registry:
        return stack.enter_context(registered((name, obj), *more))

    with stack:
        yield register


@pytest.fixture
def medinst_real_data() -> Path:
    """The folder of real (downloaded) source files named by ``MEDINST_REAL_DATA``;
    the test is skipped when it is not set or does not exist."""
    import os

    folder = os.environ.get("MEDINST_REAL_DATA")
    if not folder or not Path(folder).is_dir():
        pytest.skip("real source files not available (set MEDINST_REAL_DATA to the folder holding them)")
    return Path(folder)


def plugin_registry(plugin: str) -> Registry:
    """A fresh registry holding the core's default plugins and the plugin module
    named ``plugin`` (what its entry point names, e.g. ``"medinst_bc5cdr"``);
    other installed plugins are not loaded."""
    return load_registry(entrypoints=False, plugins=[(plugin, importlib.import_module(plugin))])


def plugin_registry_fixture(plugin: str, *, scope: Literal["session", "package", "module", "class", "function"] = "module"):
    """A pytest fixture giving :func:`plugin_registry` of ``plugin``, made once
    per ``scope``.  Assign it to the name the tests ask for::

        registry = plugin_registry_fixture("medinst_bc5cdr")
    """

    @pytest.fixture(scope=scope)
    def plugin_registry_() -> Registry:
        return plugin_registry(plugin)

    return plugin_registry_


def task_samples(
    registry: Registry,
    task_id: str,
    split: str,
    folder: str | Path,
    *,
    bundled: bool = False,
    diagnostics: Any = None,
    stats: Any = None,
) -> list[dict]:
    """Every sample of one task split, in memory.  The split's files are found
    below ``folder`` by the task's file patterns (its ``source.bundled``
    patterns, when it has them, with ``bundled=True``), then read and formatted
    as ``medinst build`` does; a missing file raises
    :class:`~medinst_core.errors.MissingFilesError`.  ``diagnostics`` and
    ``stats`` (a :class:`~medinst_core.pipeline.SplitStats`) collect what the
    build would report."""
    from ..pipeline import iter_samples_from, resolve_split
    from ..sources import FileIndex

    task = registry.tasks[task_id]
    files = resolve_split(task, split, FileIndex(Path(folder)), bundled=bundled)
    return list(iter_samples_from(task, split, files, registry=registry, diagnostics=diagnostics, stats=stats))


def samples_of_files(
    registry: Registry,
    task_id: str,
    split: str,
    *paths: str | Path,
    role: str = "data",
    diagnostics: Any = None,
    stats: Any = None,
) -> list[dict]:
    """The samples the task makes of exactly these files, given to its reader
    in the role ``role`` (no file pattern is matched): for files a test writes
    under any name."""
    from ..pipeline import iter_samples_from
    from ..sources import SourceFiles

    if not paths:
        raise TypeError("samples_of_files() needs at least one path")
    chosen = tuple(Path(p) for p in paths)
    files = SourceFiles(chosen[0].parent, {role: chosen})
    task = registry.tasks[task_id]
    return list(iter_samples_from(task, split, files, registry=registry, diagnostics=diagnostics, stats=stats))


def sample_outputs(samples: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """``{key: output}`` for samples whose ids are ``task:split:key`` (the key is
    the record id, and for tasks with several samples a record ``record:key``)."""
    return {s["id"].split(":", 2)[2]: s["output"] for s in samples}


def require_path(path: str | Path) -> Path:
    """``path``, or skip the test when it does not exist (say, a real file that
    is not among the downloads)."""
    path = Path(path)
    if not path.exists():
        pytest.skip(f"{path} not present")
    return path


def assert_split_builds(
    registry: Registry, task_id: str, split: str, folder: str | Path, *,
    records: int, outputs: Mapping[str, str], inputs: list[str] | None = None,
) -> None:
    """The task split found below ``folder`` reads ``records`` records and
    gives exactly ``outputs`` (``{sample key: output}``, see
    :func:`sample_outputs`) and, when given, these ``inputs`` in order."""
    from ..pipeline import SplitStats

    stats = SplitStats(task_id, split)
    samples = task_samples(registry, task_id, split, folder, stats=stats)
    assert sample_outputs(samples) == dict(outputs)
    assert stats.records == records
    if inputs is not None:
        assert [s["input"] for s in samples] == list(inputs)


def write_file(folder: str | Path, name: str, content: str) -> Path:
    """Write ``content`` (UTF-8, line ends as given) to ``folder/name``, making
    the folder; returns the path."""
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8"))
    return path


#: the start of a macOS AppleDouble file (``._<name>``): binary, not UTF-8
APPLEDOUBLE = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff\xfe"


def add_macos_companions(root: str | Path) -> None:
    """Add what an archive re-packed on macOS holds besides the files below
    ``root``: a binary ``._<name>`` beside every file and again under
    ``root/__MACOSX/<its folder>/`` (a plugin's build must not see them)."""
    root = Path(root)
    for path in [p for p in root.rglob("*") if p.is_file()]:
        for where in (path.parent, root / "__MACOSX" / path.parent.relative_to(root)):
            where.mkdir(parents=True, exist_ok=True)
            (where / f"._{path.name}").write_bytes(APPLEDOUBLE)


def assert_readme_table_current(plugin_dir: str | Path) -> None:
    """Fail when the task table of ``plugin_dir``'s README.md differs from its
    manifests (``medinst readme PLUGIN_DIR`` rewrites it)."""
    from ..readme import update

    if not update(plugin_dir, check=True):
        raise AssertionError(
            f"the task table of {Path(plugin_dir) / 'README.md'} differs from the manifests: run `medinst readme {plugin_dir}`"
        )
