"""The conformance base class every plugin's tests subclass (see
:mod:`medinst_core.testing`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..plugins import Registry
from .kit import plugin_registry


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
        from ..validate import run_bundled

        return {t.id: run_bundled(t, conformance_registry) for t in conformance_tasks}

    def test_plugin_loads_cleanly(self, conformance_registry: Registry) -> None:
        problems = [f"{p}: {m}" for p, m in conformance_registry.problems]
        assert not problems, "\n".join(problems)
        assert conformance_registry.plugins[self.plugin].tasks, f"{self.plugin} registers no task"

    def test_expected_tasks_present(self, conformance_registry: Registry, conformance_tasks) -> None:
        missing = set(self.tasks) - {t.id for t in conformance_tasks}
        assert not missing, f"tasks not registered: {sorted(missing)}"

    def test_manifests_validate(self, conformance_registry: Registry, conformance_tasks) -> None:
        from ..crosscheck import cross_check

        errors = [str(e) for t in conformance_tasks for e in cross_check(t, conformance_registry, options=True)]
        assert not errors, "\n".join(errors)

    def test_task_ids_use_plugin_slug(self, conformance_tasks) -> None:
        for task in conformance_tasks:
            slug = task.id.split(".", 1)[0]
            assert self.plugin == f"medinst_{slug}", f"task {task.id} should be named {self.plugin[8:]}.<task>"

    def test_bundled_samples_build_and_validate(self, conformance_tasks, conformance_samples) -> None:
        from ..manifest import validator

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
        from ..pipeline import build

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
