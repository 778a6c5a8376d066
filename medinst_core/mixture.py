"""Training mixtures: a fixed-size draw from the training splits of many tasks.

Counts per task come from a build's ``build.json`` (building first when given a
data directory), shares are allocated by :func:`medinst_core.sampling.allocate`,
and each task's share is drawn in one streaming pass with a seeded bottom-k
sample, so memory grows with the mixture size, never with the number of
candidate samples.  The mixture is written in a seeded shuffled order with a
``<file>.composition.json`` report next to it.  "unseen" mixtures exclude the
test tasks of a suite (per task, not per corpus), "merged" ones do not.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import orjson

from .errors import MissingFilesError, UsageError
from .io import atomic_write, write_json
from .layout import build_info_file, split_file
from .plugins import Registry, get_registry
from .sampling import allocate, bottom_k, rank


def _raw_jsonl(path: Path):
    """``(line number, sample, raw line)`` of a built samples file, in one pass."""
    from .errors import SourceError

    with open(path, "rb") as f:
        for lineno, line in enumerate(f, 1):
            raw = line.rstrip(b"\r\n")
            if not raw.strip():
                continue
            try:
                yield lineno, orjson.loads(raw), raw
            except orjson.JSONDecodeError as exc:
                raise SourceError(path, lineno, f"expected a sample on one line, found invalid JSON ({exc})") from None


def train_counts(build_dir: Path) -> dict[str, int]:
    info_path = build_info_file(build_dir)
    if not info_path.is_file():
        raise MissingFilesError(f"{build_dir} holds no build.json: build the tasks first (medinst build ... --out {build_dir})")
    info = orjson.loads(info_path.read_bytes())
    counts = {}
    for task, entry in info.get("tasks", {}).items():
        split = entry.get("splits", {}).get("train")
        if split and split_file(build_dir, task, "train").is_file():
            counts[task] = int(split["samples"])
    return counts


def dataset_terms(build_dir: Path, reg: Registry) -> dict[str, dict[str, Any]]:
    """Per built task, the dataset's licence terms: the installed manifest's
    ``dataset`` block, else what ``build.json`` recorded."""
    info_path = build_info_file(build_dir)
    built = orjson.loads(info_path.read_bytes()).get("tasks", {}) if info_path.is_file() else {}
    terms: dict[str, dict[str, Any]] = {}
    for task, entry in built.items():
        spec = reg.tasks.get(task)
        if spec is not None:
            terms[task] = dict(spec.dataset)
        else:
            terms[task] = {k: entry[k] for k in ("license", "access", "commercial_use") if entry.get(k) is not None}
    return terms


def make_mixture(
    out: str | os.PathLike,
    size: int,
    *,
    build_dir: str | os.PathLike | None = None,
    data_dir: str | os.PathLike | None = None,
    exclude_suite: str | None = None,
    strategy: str = "proportional",
    cap_per_task: int | None = None,
    seed: int | str = 0,
    tasks: list[str] | None = None,
    registry: Registry | None = None,
    license_filter: Any = None,
) -> dict[str, Any]:
    """Draw ``size`` samples into ``out``.  ``license_filter`` (a
    :class:`~medinst_core.licenses.LicenseFilter`) leaves out the tasks whose
    dataset's licence it rejects, judged by the installed task's manifest or
    else by the terms ``build.json`` recorded (unknown terms: left out)."""
    reg = registry or get_registry()
    if (build_dir is None) == (data_dir is None):
        raise UsageError("give either a build directory or a data directory")
    if size <= 0:
        raise UsageError("the mixture size must be positive")
    excluded: set[str] = set()
    left_out: dict[str, str] = {}
    if exclude_suite:
        excluded = {e["task"] for e in reg.suite(exclude_suite)["tasks"]}
    build_report: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="medinst-mix-") as tmp:
        if build_dir is None:
            from .pipeline import build

            chosen = [t for t in reg.select_tasks(tasks or []) if t.id not in excluded and "train" in t.splits]
            if license_filter is not None and license_filter.active:
                left_out.update((t.id, license_filter.why_not(t.dataset)) for t in chosen if not license_filter.keep(t.dataset))
                chosen = [t for t in chosen if t.id not in left_out]
            built = build(chosen, tmp, data_dir=data_dir, splits=["train"], registry=reg)
            build_report = {
                "built": len(built.built),
                "missing": {t: r for t, _, r in built.missing},
                "failed": {t: e for t, _, e in built.failed},
            }
            build_dir = tmp
        build_dir = Path(build_dir)
        counts = {t: n for t, n in train_counts(build_dir).items() if t not in excluded and (not tasks or t in tasks)}
        if license_filter is not None and license_filter.active:
            terms = dataset_terms(build_dir, reg)
            for t in sorted(counts):
                why = license_filter.why_not(terms.get(t, {}))
                if why is not None:
                    left_out[t] = why
                    del counts[t]
        if not counts:
            raise MissingFilesError(f"no training samples available in {build_dir}")
        try:
            quota = allocate(counts, size, strategy=strategy, cap=cap_per_task)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        drawn: list[tuple[int, bytes]] = []
        for task in sorted(quota):
            # keep (id, raw line) pairs: memory holds the drawn lines, not parsed samples
            lines = ((s["id"], raw) for _, s, raw in _raw_jsonl(split_file(build_dir, task, "train")))
            for sid, raw in bottom_k(lines, quota[task], key=lambda pair: pair[0], seed=f"{seed}:{task}"):
                drawn.append((rank(f"{seed}:order", sid), raw))
    drawn.sort()
    out = Path(out)
    with atomic_write(out) as f:
        for _, line in drawn:
            f.write(line + b"\n")
    report = {
        "size": len(drawn),
        "requested": size,
        "strategy": strategy,
        "cap_per_task": cap_per_task,
        "seed": seed,
        "excluded_suite": exclude_suite,
        "excluded_tasks": sorted(excluded),
        "license_filter": license_filter.describe() if license_filter is not None and license_filter.active else None,
        "license_excluded": dict(sorted(left_out.items())),
        "available": sum(counts.values()),
        "tasks": {t: {"available": counts[t], "drawn": quota[t]} for t in sorted(quota) if quota[t]},
    }
    if build_report:
        report["build"] = build_report
    write_json(out.with_name(out.name + ".composition.json"), report)
    return report
