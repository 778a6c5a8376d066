"""Checking tasks: manifests against the schema and the registry, and a run of
each task on its plugin's bundled native-format samples.

Used by ``medinst validate`` and by :class:`medinst_core.testing.TaskConformance`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import attrs

from .components import TaskSpec
from .crosscheck import cross_check
from .errors import MedinstError, MissingFilesError
from .manifest import is_base_file, manifest_files, read_json_file, resolve_manifest, schema_errors, validator
from .plugins import Registry
from .sources import FileIndex


@attrs.define
class TaskCheck:
    task: str
    where: str
    errors: list[str] = attrs.field(factory=list)
    samples: dict[str, int] = attrs.field(factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def run_bundled(spec: TaskSpec, registry: Registry, *, limit: int | None = None) -> dict[str, list[dict]]:
    """The samples of every split the bundled files cover, in memory (they are small)."""
    from .pipeline import iter_samples_from, resolve_split

    if spec.bundled is None:
        raise MissingFilesError(f"{spec.id}: the plugin ships no sample files (expected a 'samples' folder next to the manifests)")
    index = FileIndex(spec.bundled)
    out: dict[str, list[dict]] = {}
    for split in spec.splits:
        try:
            files = resolve_split(spec, split, index, bundled=True)
        except MissingFilesError:
            continue
        out[split] = list(iter_samples_from(spec, split, files, registry=registry, limit=limit))
    if not out:
        raise MissingFilesError(f"{spec.id}: no split of the task has files in {spec.bundled}")
    return out


def check_task(spec: TaskSpec, registry: Registry, *, run: bool = True) -> TaskCheck:
    """Schema-level problems were caught at load; this adds the cross checks
    with option schemas and, with ``run``, a build of the bundled samples
    (samples valid against the schema, ids unique, at least one sample)."""
    check = TaskCheck(task=spec.id, where=str(spec.path or spec.id))
    check.errors += [str(e) for e in cross_check(spec, registry, options=True)]
    if check.errors or not run:
        return check
    try:
        samples = run_bundled(spec, registry)
    except MedinstError as exc:
        check.errors.append(str(exc))
        return check
    schema = validator("sample")
    seen: set[str] = set()
    for split, items in samples.items():
        check.samples[split] = len(items)
        for sample in items:
            for err in schema.iter_errors(sample):
                check.errors.append(f"{spec.id} {split}: sample {sample.get('id')!r}: {err.message}")
            if sample["id"] in seen:
                check.errors.append(f"{spec.id} {split}: duplicate sample id {sample['id']!r}")
            seen.add(sample["id"])
    if not seen:
        check.errors.append(f"{spec.id}: the bundled samples produce no sample at all")
    return check


def check_paths(paths: Iterable[str | Path], registry: Registry, *, run: bool = True) -> list[TaskCheck]:
    """Check manifest files, folders of manifests, or plugin folders that are
    not (necessarily) installed, against the installed readers/formatters/metrics."""
    checks: list[TaskCheck] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files = sorted(p for p in path.rglob("tasks/*.json") if not is_base_file(p)) or manifest_files(path)
        else:
            files = [path]
        if not files:
            checks.append(TaskCheck(task=str(path), where=str(path), errors=[f"{path}: no task manifest found"]))
        for file in files:
            try:
                manifest, layers = resolve_manifest(read_json_file(file), file)
            except MedinstError as exc:
                checks.append(TaskCheck(task=file.name, where=str(file), errors=[str(exc)]))
                continue
            errors = schema_errors("task", manifest, file, layers)
            task_id = manifest.get("id", file.stem) if isinstance(manifest, dict) else file.stem
            if errors:
                checks.append(TaskCheck(task=str(task_id), where=str(file), errors=[str(e) for e in errors]))
                continue
            samples = file.parent.parent / "samples"
            spec = TaskSpec(
                id=task_id, manifest=manifest, plugin="(path)", path=file,
                bundled=samples if samples.is_dir() else None,
            )
            checks.append(check_task(spec, registry, run=run))
    return checks
