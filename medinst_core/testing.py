"""Test helpers for plugin authors (and the core's own tests).

Installed as a pytest plugin (entry point ``pytest11: medinst``), so any test
suite running where medinst-core is installed gets these fixtures:

``medinst_registry``
    A fresh registry holding only the core's default plugins: installed
    third-party plugins are *not* loaded, so tests are not affected by what
    happens to be installed.

``medinst_real_data``
    The folder named by ``MEDINST_REAL_DATA`` holding real downloads, for
    tests on the real files; skips the test when it is unset or missing.

``medinst_register``
    ``medinst_register(plugin_object, name="x")`` adds a plugin to a fresh
    registry, makes it the process-wide registry (what the CLI and the Python
    API use) for the rest of the test, and returns it; undone at teardown.

And a conformance base class; a plugin's whole test file can be::

    from medinst_core.testing import TaskConformance

    class TestBiosses(TaskConformance):
        plugin = "medinst_biosses"          # the module your entry point names

It checks every task the plugin registers: the manifest validates (schema,
reader/formatter/metric names, their option schemas); the bundled samples
build; sample ids are unique; samples validate against the sample schema;
building twice gives byte-identical files; and gold outputs score perfectly
on each metric where the metric allows it.

Helpers for a plugin's own tests::

    from medinst_core.testing import plugin_registry_fixture, sample_outputs, task_samples

    registry = plugin_registry_fixture("medinst_biosses")   # a module-scoped fixture

    def test_bundled_train(registry):
        folder = registry.tasks["biosses.sts"].bundled
        samples = task_samples(registry, "biosses.sts", "train", folder, bundled=True)
        assert sample_outputs(samples) == {"1": "4", "3": "0"}

``plugin_registry(plugin)``
    A fresh registry with the core's default plugins and that plugin module.
``plugin_registry_fixture(plugin)``
    The same as a pytest fixture; assign it to the name tests ask for.
``task_samples(registry, task_id, split, folder, *, bundled=False)``
    Every sample of a task split, in memory, from the files the task's
    patterns find below ``folder``.
``samples_of_files(registry, task_id, split, *paths)``
    The samples the task makes of exactly these files (role ``data``).
``sample_outputs(samples)``
    ``{key: output}``, the key being the sample id after ``task:split:``.
``require_path(path)``
    ``path``, or skip the test when it does not exist (a real file that is
    not downloaded).

For a corpus in BRAT standoff format, an independent reading of the
annotation files and the samples the core ``kb`` formatters should make of
them: :mod:`medinst_core.testing_brat` (``parse_standoff``,
``standoff_documents``, ``count_documents``, ``ner_brackets``,
``assert_samples_match_standoff``...), importable from here too.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from . import plugins as _plugins
from .pipeline import SplitStats, resolve_split
from .plugins import Registry, load_registry

# resolve_split and SplitStats are re-exported for plugin tests (find a split's files as a build does; count an outcome)


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


def plugin_registry_fixture(plugin: str, *, scope: str = "module"):
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
    from .pipeline import iter_samples_from, resolve_split
    from .sources import FileIndex

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
    from .pipeline import iter_samples_from
    from .sources import SourceFiles

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
    from .pipeline import SplitStats

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


def __getattr__(name: str) -> Any:
    # the BRAT helpers (medinst_core.testing_brat) are loaded on first use,
    # so importing this module stays cheap
    if not name.startswith("__"):
        from . import testing_brat

        if name in testing_brat.__all__:
            return getattr(testing_brat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _perfect_score(metric) -> float:
    return 1.0 if metric.higher_is_better else 0.0


class TaskConformance:
    """Subclass in a plugin's tests and set :attr:`plugin` to its module name."""

    #: the importable module the plugin's entry point names, e.g. "medinst_bc5cdr"
    plugin: str = ""
    #: restrict the checks to these task ids (default: every task of the plugin)
    tasks: tuple[str, ...] = ()

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_registry(cls) -> Registry:
        if not cls.plugin:
            pytest.fail(f"{cls.__name__}.plugin must name the plugin module")
        return plugin_registry(cls.plugin)

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_tasks(cls, conformance_registry: Registry) -> list:
        reg = conformance_registry
        mine = [t for t in reg.plugins[cls.plugin].tasks]
        if cls.tasks:
            mine = [t for t in mine if t in cls.tasks]
        return [reg.tasks[t] for t in sorted(mine)]

    @pytest.fixture(scope="class")
    @classmethod
    def conformance_samples(cls, conformance_registry, conformance_tasks) -> dict[str, dict[str, list[dict]]]:
        from .validate import run_bundled

        return {t.id: run_bundled(t, conformance_registry) for t in conformance_tasks}

    def test_plugin_loads_cleanly(self, conformance_registry: Registry) -> None:
        problems = [f"{p}: {m}" for p, m in conformance_registry.problems]
        assert not problems, "\n".join(problems)
        assert conformance_registry.plugins[self.plugin].tasks, f"{self.plugin} registers no task"

    def test_expected_tasks_present(self, conformance_registry: Registry, conformance_tasks) -> None:
        missing = set(self.tasks) - {t.id for t in conformance_tasks}
        assert not missing, f"tasks not registered: {sorted(missing)}"

    def test_manifests_validate(self, conformance_registry: Registry, conformance_tasks) -> None:
        from .manifest import cross_check

        errors = [str(e) for t in conformance_tasks for e in cross_check(t, conformance_registry, options=True)]
        assert not errors, "\n".join(errors)

    def test_task_ids_use_plugin_slug(self, conformance_tasks) -> None:
        for task in conformance_tasks:
            slug = task.id.split(".", 1)[0]
            assert self.plugin == f"medinst_{slug}", f"task {task.id} should be named {self.plugin[8:]}.<task>"

    def test_bundled_samples_build_and_validate(self, conformance_tasks, conformance_samples) -> None:
        from .manifest import validator

        schema = validator("sample")
        for task in conformance_tasks:
            splits = conformance_samples[task.id]
            assert any(splits.values()), f"{task.id}: bundled samples produce no sample"
            for split, samples in splits.items():
                for sample in samples:
                    errors = [e.message for e in schema.iter_errors(sample)]
                    assert not errors, f"{sample['id']}: {errors}"
                    assert sample["task"] == task.id
                    assert sample["id"].startswith(f"{task.id}:{split}:")
                    assert sample["instruction"] in task.instructions

    def test_sample_ids_unique(self, conformance_tasks, conformance_samples) -> None:
        for task in conformance_tasks:
            ids = [s["id"] for samples in conformance_samples[task.id].values() for s in samples]
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            assert not dupes, f"{task.id}: duplicate sample ids {dupes[:5]}"

    def test_build_is_deterministic(self, conformance_registry, conformance_tasks, tmp_path: Path) -> None:
        from .pipeline import build

        for run in ("a", "b"):
            result = build(conformance_tasks, tmp_path / run, bundled=True, registry=conformance_registry)
            assert result.ok, result.failed
        files_a = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.jsonl"))
        files_b = sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*.jsonl"))
        assert files_a == files_b and files_a
        for rel in files_a:
            assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), f"{rel} differs"

    def test_gold_scores_perfectly(self, conformance_registry, conformance_tasks, conformance_samples) -> None:
        for task in conformance_tasks:
            golds = [s["output"] for samples in conformance_samples[task.id].values() for s in samples]
            # MedINST scores an empty gold against an empty answer as 0, so only
            # non-empty gold outputs can be expected to score perfectly.
            golds = [g for g in golds if g.strip()]
            if not golds:
                continue
            for name in task.metrics:
                metric = conformance_registry.metric(name)
                result = metric.load()(golds, golds)
                assert result.score == pytest.approx(_perfect_score(metric)), (
                    f"{task.id}: gold-as-prediction scores {result.score} on {name}"
                )


def assert_readme_table_current(plugin_dir: str | Path) -> None:
    """Fail when the task table of ``plugin_dir``'s README.md differs from its
    manifests (``medinst readme PLUGIN_DIR`` rewrites it)."""
    from .readme import update

    if not update(plugin_dir, check=True):
        raise AssertionError(f"the task table of {Path(plugin_dir) / 'README.md'} differs from the manifests: run `medinst readme {plugin_dir}`")
