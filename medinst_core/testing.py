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
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from . import plugins as _plugins
from .plugins import Registry, load_registry


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
        module = importlib.import_module(cls.plugin)
        return load_registry(entrypoints=False, plugins=[(cls.plugin, module)])

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
