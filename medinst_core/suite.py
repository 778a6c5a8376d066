"""Suites: building a benchmark's few-shot and zero-shot test sets, and
checking a training mixture for contamination.

For each task of the suite, the test split is built (streaming), capped at the
suite's ``test_cap`` by a seeded uniform sample kept in file order, and written
twice: ``<out>/zero-shot/<task>.jsonl`` and ``<out>/<k>-shot/<task>.jsonl``,
where each sample's ``history`` holds ``k`` training examples as
``[instruction + "\\n" + input, output]`` pairs.  The examples come from the
task's own training split or, for a task without one (tmVar-v3), from the
training splits of other installed tasks of the same category; a history
example never has the test sample's own input.  Tasks that are not installed or
whose files are missing are skipped and listed with what they need.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson

from .components import TaskSpec
from .errors import MedinstError, MissingFilesError
from .io import atomic_write, read_jsonl, write_json
from .layout import shots_file, zero_shot_file, zero_shot_files
from .pipeline import iter_samples_from, resolve_split
from .plugins import Registry, get_registry
from .sampling import bottom_k, rank
from .sources import FileIndex

#: how many training samples of a task are scanned for few-shot examples
POOL_SCAN = 20_000
#: how many of them are kept as candidates
POOL_SIZE = 64


@attrs.define
class SuiteTaskResult:
    task: str
    category: str
    samples: int = 0
    available: int = 0
    cap: int | None = None
    shot_source: list[str] = attrs.field(factory=list)
    skipped: str | None = None
    #: built, missing (files absent), not_installed, no_test_split or failed
    status: str = "built"


def _prompt(sample: dict[str, Any]) -> str:
    return sample["instruction"] + "\n" + sample["input"]


def _samples(task: TaskSpec, split: str, index: FileIndex, reg: Registry, limit: int | None = None) -> Iterator[dict]:
    files = resolve_split(task, split, index, bundled=False)
    return iter_samples_from(task, split, files, registry=reg, limit=limit)


def _index(task: TaskSpec, data_dir: Path | None, bundled: bool) -> FileIndex:
    if bundled:
        if task.bundled is None:
            raise MissingFilesError(f"{task.id}: the plugin ships no sample files")
        return FileIndex(task.bundled)
    if data_dir is None:
        raise MissingFilesError(f"{task.id}: give the folder of the downloaded files (data_dir)")
    return FileIndex(data_dir)


def shot_pool(task: TaskSpec, index: FileIndex, reg: Registry, seed: int | str) -> list[dict]:
    """Seeded candidates for in-context examples from a task's training split."""
    if "train" not in task.splits:
        return []
    try:
        samples = _samples(task, "train", index, reg, limit=POOL_SCAN)
        return bottom_k(samples, POOL_SIZE, key=lambda s: s["id"], seed=f"{seed}:pool")
    except MissingFilesError:
        return []


def choose_history(sample: dict, pool: list[dict], shots: int, seed: int | str) -> list[list[str]]:
    """``shots`` examples for one test sample, never one with the same input."""
    candidates = [p for p in pool if p["input"] != sample["input"] and p["id"] != sample["id"]]
    chosen = sorted(candidates, key=lambda p: rank(seed, sample["id"] + "|" + p["id"]))[:shots]
    return [[_prompt(p), p["output"]] for p in chosen]


def build_suite(
    name: str,
    out: str | os.PathLike,
    *,
    data_dir: str | os.PathLike | None = None,
    bundled: bool = False,
    shots: int | None = None,
    seed: int | str = 0,
    registry: Registry | None = None,
) -> list[SuiteTaskResult]:
    reg = registry or get_registry()
    suite = reg.suite(name)
    shots = suite.get("shots", 2) if shots is None else shots
    out = Path(out)
    data_dir = Path(data_dir) if data_dir is not None else None
    shared_index = FileIndex(data_dir) if data_dir is not None and not bundled else None
    results: list[SuiteTaskResult] = []
    pools: dict[str, list[dict]] = {}

    def index_for(task: TaskSpec) -> FileIndex:
        return shared_index if shared_index is not None else _index(task, data_dir, bundled)

    def pool_of(task: TaskSpec) -> list[dict]:
        if task.id not in pools:
            try:
                pools[task.id] = shot_pool(task, index_for(task), reg, seed)
            except MissingFilesError:
                pools[task.id] = []
        return pools[task.id]

    for entry in suite["tasks"]:
        result = SuiteTaskResult(task=entry["task"], category=entry["category"], cap=entry.get("test_cap"))
        results.append(result)
        task = reg.tasks.get(entry["task"])
        if task is None:
            slug = entry["task"].split(".")[0].replace("_", "-")
            result.skipped = f"not installed (pip install medinst-{slug})"
            result.status = "not_installed"
            continue
        if "test" not in task.splits:
            result.skipped = "the task has no test split"
            result.status = "no_test_split"
            continue
        try:
            index = index_for(task)
            test = list(_samples(task, "test", index, reg)) if result.cap is None else bottom_k(
                _samples(task, "test", index, reg), result.cap, key=lambda s: s["id"], seed=f"{seed}:test", keep_order=True
            )
        except MissingFilesError as exc:
            from .datafiles import missing_reason

            result.skipped = missing_reason(task, "test", exc)
            result.status = "missing"
            continue
        except MedinstError as exc:
            result.skipped = f"failed: {exc}"
            result.status = "failed"
            continue
        # a copy: the cached pools hold each task's own examples only, so a
        # donor's examples are never counted twice through a borrowing task
        pool = list(pool_of(task))
        result.shot_source = [task.id] if pool else []
        if not pool:
            donors = [t for t in reg.select_tasks(category=task.category) if t.id != task.id]
            seen: set[str] = set()
            for donor in donors:
                donor_pool = [p for p in pool_of(donor) if p["id"] not in seen]
                if donor_pool:
                    pool.extend(donor_pool)
                    seen.update(p["id"] for p in donor_pool)
                    result.shot_source.append(donor.id)
        result.available = len(test)
        with atomic_write(zero_shot_file(out, task.id)) as zero, atomic_write(shots_file(out, shots, task.id)) as few:
            for sample in test:
                zero.write(orjson.dumps(sample) + b"\n")
                history = choose_history(sample, pool, shots, seed) if shots else []
                few.write(orjson.dumps({**sample, "history": history}) + b"\n")
        result.samples = len(test)
    write_json(
        out / "suite.json",
        {
            "suite": name,
            "shots": shots,
            "seed": seed,
            "total_samples": sum(r.samples for r in results),
            **suite_counts(results),
            "tasks": [attrs.asdict(r) for r in results],
        },
    )
    return results


def suite_counts(results: list[SuiteTaskResult]) -> dict[str, Any]:
    """How much of a suite was produced: tasks asked for, built (with how many
    of them empty), and the shortfall by reason."""
    by_status: dict[str, int] = {}
    for r in results:
        by_status[r.status] = by_status.get(r.status, 0) + 1
    return {
        "requested_tasks": len(results),
        "built_tasks": by_status.get("built", 0),
        "empty_tasks": sorted(r.task for r in results if r.status == "built" and r.samples == 0),
        "status_counts": dict(sorted(by_status.items())),
    }


# -- contamination ------------------------------------------------------------

_WORD = re.compile(r"\w+")


def ngrams(text: str, n: int) -> set[int]:
    words = _WORD.findall(text.lower())
    return {hash(" ".join(words[i : i + n])) for i in range(len(words) - n + 1)}


def check_contamination(
    suite_dir: str | os.PathLike, mixture: str | os.PathLike, *, n: int = 13, threshold: float = 0.5
) -> dict[str, Any]:
    """Test samples of a built suite whose input occurs in a mixture exactly,
    or whose word ``n``-grams occur there at a rate of at least ``threshold``."""
    suite_dir = Path(suite_dir)
    tests: list[tuple[str, str, set[int]]] = []
    for path in zero_shot_files(suite_dir):
        for _, sample in read_jsonl(path, what="a sample"):
            tests.append((sample["id"], sample["input"], ngrams(sample["input"], n)))
    if not tests:
        raise MissingFilesError(f"no built suite in {suite_dir} (expected {suite_dir}/zero-shot/*.jsonl)")
    exact_inputs = {t[1]: t[0] for t in tests}
    wanted: set[int] = set().union(*(t[2] for t in tests))
    seen: set[int] = set()
    exact: dict[str, int] = {}
    mixture_count = 0
    for _, sample in read_jsonl(mixture, what="a sample"):
        mixture_count += 1
        text = sample.get("input", "")
        if text in exact_inputs:
            exact[exact_inputs[text]] = exact.get(exact_inputs[text], 0) + 1
        seen |= ngrams(text, n) & wanted
    overlapping = []
    for sid, _, grams in tests:
        if grams:
            rate = len(grams & seen) / len(grams)
            if rate >= threshold:
                overlapping.append({"id": sid, "overlap": round(rate, 4)})
    return {
        "suite_samples": len(tests),
        "mixture_samples": mixture_count,
        "ngram": n,
        "threshold": threshold,
        "exact": sorted(exact),
        "ngram_overlap": overlapping,
    }
