"""Scoring model answers: predictions + gold samples -> results per task.

Gold samples come from a build (``<dir>/<task>/<split>.jsonl``), a samples
JSONL file, a folder of them (e.g. a suite's ``zero-shot/``), or a list of
sample dicts.  Predictions are ``{"id": ..., "prediction": ...}`` JSON lines
(``schema/predictions.schema.json``; other fields such as ``model`` are
allowed), or a mapping ``id -> prediction``.

Each task is scored with the metrics its manifest lists (a task whose plugin
is not installed is scored with the metrics given as ``metrics=``).  Problems
with the predictions are never dropped silently: missing predictions,
duplicate ids, ids absent from the gold set and malformed lines are counted
with their first examples and either stop the evaluation
(``missing="fail"``, the default) or are reported while the affected samples
are scored as empty answers (``missing="empty"``).

>>> ev = evaluate({"t.x:test:1": "yes"},
...               gold=[{"id": "t.x:test:1", "task": "t.x", "output": "Yes."}],
...               metrics=["exact_match"])
>>> ev.results["tasks"]["t.x"]["metrics"]
{'exact_match': 1.0}

The module is long because matching predictions to the gold samples, with
every problem counted and reported, is most of it; the metrics themselves
live in :mod:`medinst_core.metrics`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import math
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson

from ._version import __version__
from .errors import MedinstError, MissingFilesError, SourceError, UsageError
from .layout import split_files

__all__ = ["evaluate", "Evaluation", "Problems", "PredictionsError", "load_gold", "read_predictions", "MISSING_POLICIES"]

MISSING_POLICIES = ("fail", "empty")
RESULTS_SCHEMA_ID = "https://medinst.dev/schema/results/v1.json"
#: how many examples of each kind of problem are kept
EXAMPLES = 5


class PredictionsError(MedinstError):
    """The predictions do not match the gold set (and ``missing="fail"``)."""

    def __init__(self, problems: Problems):
        self.problems = problems
        super().__init__(problems.summary() + "; fix the predictions or pass --missing empty to score them as empty answers")


@attrs.define
class _Kind:
    count: int = 0
    examples: list[str] = attrs.field(factory=list)

    def add(self, example: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(example)


@attrs.define
class Problems:
    """What is wrong with a predictions file, by kind (count + first examples)."""

    source: str = "<predictions>"
    #: gold samples without a prediction
    missing: _Kind = attrs.field(factory=_Kind)
    #: ids given more than once
    duplicate: _Kind = attrs.field(factory=_Kind)
    #: ids not in the gold set
    unknown: _Kind = attrs.field(factory=_Kind)
    #: lines that are not a prediction object (``file:line: why``)
    malformed: _Kind = attrs.field(factory=_Kind)

    KINDS = (
        ("missing", "missing prediction", "missing predictions"),
        ("duplicate", "duplicate id", "duplicate ids"),
        ("unknown", "id not in the gold set", "ids not in the gold set"),
        ("malformed", "malformed line", "malformed lines"),
    )

    def __bool__(self) -> bool:
        return any(getattr(self, k).count for k, _, _ in self.KINDS)

    def summary(self) -> str:
        """One line: counts and first examples of each kind."""
        parts = []
        for key, one, many in self.KINDS:
            kind: _Kind = getattr(self, key)
            if kind.count:
                eg = ", ".join(kind.examples[:3])
                parts.append(f"{kind.count:,} {one if kind.count == 1 else many} (e.g. {eg})")
        return f"{self.source}: " + ("; ".join(parts) if parts else "no problems")

    def details(self) -> list[str]:
        """One line per kind, then its examples indented."""
        lines = []
        for key, one, many in self.KINDS:
            kind: _Kind = getattr(self, key)
            if kind.count:
                lines.append(f"{kind.count:,} {one if kind.count == 1 else many}" + (":" if kind.examples else ""))
                lines += [f"  {e}" for e in kind.examples]
                if kind.count > len(kind.examples):
                    lines.append(f"  ... and {kind.count - len(kind.examples):,} more")
        return lines

    def as_dict(self) -> dict[str, Any]:
        return {key: {"count": getattr(self, key).count, "examples": list(getattr(self, key).examples)} for key, _, _ in self.KINDS}


@attrs.frozen
class Evaluation:
    """The outcome of :func:`evaluate`.

    ``results`` is the results document (as written to ``out``); ``samples``
    the per-sample scores (``id``, ``task``, ``scores``, ``empty``) in gold
    order; ``problems`` what was wrong with the predictions.
    """

    results: dict[str, Any]
    samples: list[dict[str, Any]]
    problems: Problems

    def table(self) -> str:
        """The per-task table printed by ``medinst evaluate``."""
        return results_table(self.results)


# ---------------------------------------------------------------------------
# Gold
# ---------------------------------------------------------------------------


@attrs.define
class GoldSet:
    """Gold samples grouped by task (in first-seen order), and where they came from."""

    by_task: dict[str, list[dict[str, Any]]]
    source: dict[str, Any]

    @property
    def ids(self) -> dict[str, str]:
        return {s["id"]: task for task, samples in self.by_task.items() for s in samples}

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_task.values())


def _check_gold(sample: Any, where: tuple[str, int | None]) -> dict[str, Any]:
    path, line = where
    if not isinstance(sample, dict):
        raise SourceError(path, line, f"expected a sample object, found {type(sample).__name__}")
    for key in ("id", "task", "output"):
        if not isinstance(sample.get(key), str) or (key != "output" and not sample[key]):
            raise SourceError(path, line, f"a gold sample needs a string {key!r} (id, task and output are required)")
    return sample


def _read_gold_file(path: Path, samples: list[tuple[dict[str, Any], tuple[str, int | None]]]) -> None:
    from .io import read_jsonl

    name = str(path)
    append = samples.append
    for lineno, obj in read_jsonl(path, what="a sample"):
        # the usual line, checked inline; anything else gets _check_gold's message
        if not (type(obj) is dict and type(obj.get("id")) is str and obj["id"] and type(obj.get("task")) is str
                and obj["task"] and type(obj.get("output")) is str):  # fmt: skip
            _check_gold(obj, (name, lineno))
        append((obj, (name, lineno)))


def load_gold(
    gold: str | os.PathLike | Iterable[Mapping[str, Any]] | None = None,
    *,
    build: str | os.PathLike | None = None,
    split: str = "test",
) -> GoldSet:
    """Read the gold samples from a build folder, a file, a folder of ``*.jsonl``
    files, or an iterable of sample dicts (exactly one of ``gold`` / ``build``)."""
    if (gold is None) == (build is None):
        raise UsageError("give the gold samples: either --gold FILE|DIR or --build DIR")
    entries: list[tuple[dict[str, Any], tuple[str, int | None]]] = []
    if build is not None:
        root = Path(build)
        if not root.is_dir():
            raise UsageError(f"--build {root}: not a folder")
        files = split_files(root, split)
        if not files:
            raise MissingFilesError(f"no {split} split in the build {root} (expected {root}/<task>/{split}.jsonl)")
        for path in files:
            _read_gold_file(path, entries)
        source = {"kind": "build", "path": str(root), "split": split, "files": len(files)}
    elif isinstance(gold, (str, os.PathLike)):
        path = Path(gold)
        if path.is_dir():
            files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
            if not files:
                raise MissingFilesError(f"--gold {path}: no *.jsonl files in this folder")
            for f in files:
                _read_gold_file(f, entries)
            source = {"kind": "directory", "path": str(path), "files": len(files)}
        elif path.is_file():
            _read_gold_file(path, entries)
            source = {"kind": "file", "path": str(path)}
        else:
            raise UsageError(f"--gold {path}: no such file or folder")
    else:
        for i, obj in enumerate(gold or ()):
            entries.append((_check_gold(dict(obj) if isinstance(obj, Mapping) else obj, ("<gold>", i + 1)), ("<gold>", i + 1)))
        source = {"kind": "python"}
    by_task: dict[str, list[dict[str, Any]]] = {}
    seen: dict[str, tuple[str, int | None]] = {}
    for sample, where in entries:
        sid = sample["id"]
        if sid in seen:
            first = seen[sid]
            raise SourceError(where[0], where[1], f"gold id {sid!r} appears twice (first at {first[0]}:{first[1]})")
        seen[sid] = where
        by_task.setdefault(sample["task"], []).append(sample)
    if not by_task:
        raise UsageError(f"no gold samples found in {source.get('path', 'the gold input')}")
    return GoldSet(by_task=by_task, source=source)


# ---------------------------------------------------------------------------
# Predictions
# ---------------------------------------------------------------------------


# complexity above the limit: one branch per problem a predictions line can have, each counted and reported
def read_predictions(  # noqa: C901
    predictions: str | os.PathLike | Mapping[str, str] | Iterable[Mapping[str, Any]],
    gold_ids: Mapping[str, str],
    *,
    ignore_ids: Iterable[str] = (),
    sent: dict[str, str] | None = None,
) -> tuple[dict[str, str | None], Problems, dict[str, Any]]:
    """Match predictions to gold ids.

    Returns ``(answers, problems, info)``: ``answers`` maps each gold id that
    has a usable prediction to it (``None`` when the id has conflicting
    duplicates), ``problems`` everything that is wrong, ``info`` facts about
    the source (path, sha256, lines, model).  Ids in ``ignore_ids`` (gold of
    tasks not selected) are skipped without complaint.  ``sent``, when given,
    receives the ``prompt_hash`` of each line that has one.
    """
    ignore = set(ignore_ids)
    answers: dict[str, str | None] = {}
    first_line: dict[str, int | str] = {}
    models: set[str] = set()
    info: dict[str, Any] = {}
    place = ""  # the predictions file, named in the problems of its lines

    if isinstance(predictions, (str, os.PathLike)):
        path = Path(predictions)
        place = str(path)
        problems = Problems(source=str(path))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"--predictions {path}: cannot be read ({exc.strerror or exc})") from None
        info = {"path": str(path), "sha256": hashlib.sha256(data).hexdigest()}
        lines = 0

        def items():
            nonlocal lines
            for lineno, raw in enumerate(data.splitlines(), 1):
                if not raw.strip():
                    continue
                lines += 1
                try:
                    obj = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    problems.malformed.add(f"{path}:{lineno}: not valid JSON ({str(exc).split(':')[0]})")
                    continue
                yield lineno, obj  # the place is spelt out only for a problem

        source = items()
    elif isinstance(predictions, Mapping):
        problems = Problems(source="<predictions>")
        source = ((f"<predictions>[{k!r}]", {"id": k, "prediction": v}) for k, v in predictions.items())
    else:
        problems = Problems(source="<predictions>")
        source = ((f"<predictions>#{i + 1}", obj) for i, obj in enumerate(predictions))

    def at(where: int | str) -> str:
        return f"{place}:{where}" if isinstance(where, int) else where

    for where, obj in source:
        if not isinstance(obj, dict):
            problems.malformed.add(f"{at(where)}: expected a JSON object, found {type(obj).__name__}")
            continue
        sid = obj.get("id")
        if not isinstance(sid, str) or not sid:
            problems.malformed.add(f"{at(where)}: no string \"id\"")
            continue
        pred = obj.get("prediction")
        if not isinstance(pred, str):
            what = "no \"prediction\"" if "prediction" not in obj else f"\"prediction\" is {type(pred).__name__}, not a string"
            problems.malformed.add(f"{at(where)}: {what} (id {sid})")
            continue
        if isinstance(obj.get("model"), str):
            models.add(obj["model"])
        if sid in ignore:
            continue
        if sid not in gold_ids:
            problems.unknown.add(f"{sid} ({at(where)})")
            continue
        if sid in first_line:
            same = answers[sid] == pred
            problems.duplicate.add(f"{sid} ({at(first_line[sid])} and {at(where)}{', same answer' if same else ', different answers'})")
            if not same:
                answers[sid] = None
            continue
        first_line[sid] = where
        answers[sid] = pred
        if sent is not None and isinstance(obj.get("prompt_hash"), str):
            sent[sid] = obj["prompt_hash"]
    if isinstance(predictions, (str, os.PathLike)):
        info["lines"] = lines
    if len(models) == 1:
        info["model"] = next(iter(models))
    for sid in gold_ids:
        if sid not in answers and sid not in ignore:
            problems.missing.add(sid)
    return answers, problems, info


# ---------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------


def _number(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def _run_metric(spec: Any, golds: list[str], preds: list[str], task: str) -> tuple[float | None, Sequence[float] | None]:
    from .errors import RegistrationError
    from .metrics import MetricResult

    result = spec.load()(golds, preds)
    if isinstance(result, MetricResult):
        score, per_sample = result.score, result.per_sample
    elif isinstance(result, (int, float)) and not isinstance(result, bool):
        score, per_sample = result, None
    else:
        raise RegistrationError(
            f"metric {spec.name!r} of plugin {spec.plugin!r} returned {type(result).__name__} for task {task}; "
            "a metric returns a MetricResult"
        )
    if per_sample is not None and len(per_sample) != len(golds):
        raise RegistrationError(
            f"metric {spec.name!r} of plugin {spec.plugin!r} gave {len(per_sample)} per-sample scores for {len(golds)} samples"
        )
    return _number(score), per_sample


def _batched(specs: Sequence[Any], golds: list[str], preds: list[str]) -> dict[str, Any]:
    """The built-in per-sample metrics among ``specs``, scored together in one
    pass over the distinct answers (:mod:`medinst_core.metrics.batch`; the
    same numbers as one by one): metric name -> ``MetricResult``."""
    from .metrics.batch import BATCHED, score_many

    names = [s.name for s in specs if BATCHED.get(s.name) == s.ref]
    return score_many(golds, preds, names) if names else {}


# complexity above the limit: the public entry point: argument checks, then one call per step
def evaluate(  # noqa: C901
    predictions: str | os.PathLike | Mapping[str, str] | Iterable[Mapping[str, Any]],
    *,
    gold: str | os.PathLike | Iterable[Mapping[str, Any]] | None = None,
    build: str | os.PathLike | None = None,
    split: str = "test",
    tasks: Iterable[str] | None = None,
    metrics: Sequence[str] | None = None,
    missing: str = "fail",
    model: str | None = None,
    out: str | os.PathLike | None = None,
    samples_out: str | os.PathLike | None = None,
    registry: Any = None,
    on_task: Callable[[str, int, int], None] | None = None,
) -> Evaluation:
    """Score predictions against gold samples with each task's metrics.

    :param predictions: a predictions JSONL path, a mapping ``id -> answer``,
        or an iterable of ``{"id", "prediction"}`` dicts.
    :param gold: a samples JSONL file, a folder of them, or sample dicts.
    :param build: instead of ``gold``, a build folder; ``split`` picks
        ``<build>/<task>/<split>.jsonl``.
    :param tasks: only these task ids (predictions of other tasks are ignored).
    :param metrics: the metrics for tasks whose plugin is not installed (the
        first is their primary metric); installed tasks use their manifest.
    :param missing: ``"fail"`` raises :class:`PredictionsError` when any
        prediction is missing, duplicated, unknown or malformed; ``"empty"``
        reports them and scores the affected samples as empty answers.
    :param model: the model name recorded in the results (default: the
        ``model`` field of the prediction lines, when they all agree).
    :param out: write the results JSON there (atomically).
    :param samples_out: write the per-sample log there as JSON lines
        (:mod:`medinst_core.eval_log`: prompt, target, prediction, scores, hashes).
    :param on_task: called with each task id, its sample count and the total
        sample count once the task is scored.
    """
    if missing not in MISSING_POLICIES:
        raise UsageError(f"missing must be one of {', '.join(MISSING_POLICIES)}, not {missing!r}")
    if registry is None:
        from .plugins import get_registry

        registry = get_registry()
    gold_set = load_gold(gold, build=build, split=split)
    selected = list(gold_set.by_task)
    if tasks is not None:
        wanted = list(dict.fromkeys(tasks))
        unknown = [t for t in wanted if t not in gold_set.by_task]
        if unknown:
            from .errors import did_you_mean

            raise UsageError(f"task {unknown[0]!r} has no gold samples here{did_you_mean(unknown[0], gold_set.by_task)}")
        selected = wanted
    ignored = [s["id"] for t, samples in gold_set.by_task.items() if t not in selected for s in samples]
    gold_ids = {s["id"]: t for t in selected for s in gold_set.by_task[t]}

    # Which metrics for which task (fail before reading a large predictions file)
    plan: dict[str, dict[str, Any]] = {}
    for task_id in selected:
        spec = registry.tasks.get(task_id)
        if spec is not None:
            names, primary, version, plugin = spec.metrics, spec.primary_metric, spec.version, spec.plugin
        elif metrics:
            names, primary, version, plugin = list(dict.fromkeys(metrics)), metrics[0], None, None
        else:
            raise UsageError(
                f"task {task_id} ({len(gold_set.by_task[task_id]):,} gold samples) is not installed, so its metrics are "
                "unknown: install its plugin or name the metrics with --metric NAME"
            )
        plan[task_id] = {
            "metrics": [registry.metric(n) for n in names],
            "primary": primary,
            "version": version,
            "plugin": plugin,
        }

    sent: dict[str, str] = {}
    answers, problems, info = read_predictions(predictions, gold_ids, ignore_ids=ignored, sent=sent)
    if problems and missing == "fail":
        raise PredictionsError(problems)

    task_results: dict[str, Any] = {}
    sample_rows: list[dict[str, Any]] = []
    used_plugins: set[str] = set()
    metric_info: dict[str, Any] = {}
    for task_id in selected:
        samples = gold_set.by_task[task_id]
        p = plan[task_id]
        golds = [s["output"] for s in samples]
        preds = []
        empty = []
        for s in samples:
            a = answers.get(s["id"])
            empty.append(a is None)
            preds.append("" if a is None else a)
        values: dict[str, float | None] = {}
        per: dict[str, Sequence[float]] = {}
        batched = _batched(p["metrics"], golds, preds)
        for mspec in p["metrics"]:
            done = batched.get(mspec.name)
            if done is not None:
                score, per_sample = _number(done.score), done.per_sample
            else:
                score, per_sample = _run_metric(mspec, golds, preds, task_id)
            values[mspec.name] = score
            if per_sample is not None:
                per[mspec.name] = per_sample
            used_plugins.add(mspec.plugin)
            metric_info[mspec.name] = {
                "higher_is_better": mspec.higher_is_better,
                "aggregation": mspec.aggregation,
                "plugin": mspec.plugin,
            }
        if p["plugin"]:
            used_plugins.add(p["plugin"])
        task_results[task_id] = {
            "n": len(samples),
            "scored_empty": sum(empty),
            "metrics": values,
            "primary_metric": p["primary"],
            "primary": values.get(p["primary"]),
            "version": p["version"],
            "plugin": p["plugin"],
        }
        # one column of numbers per metric, then one row per sample
        names = list(per)
        columns = [list(map(_number, per[n])) for n in names]
        for s, e, *col in zip(samples, empty, *columns):
            row = {"id": s["id"], "task": task_id, "scores": dict(zip(names, col))}
            if e:
                row["empty"] = True
            sample_rows.append(row)
        if on_task:
            on_task(task_id, len(samples), len(gold_ids))

    plugin_versions = {
        name: info_.version
        for name, info_ in getattr(registry, "plugins", {}).items()
        if name in used_plugins and not info_.builtin
    }
    results: dict[str, Any] = {
        "$schema": RESULTS_SCHEMA_ID,
        "medinst_version": __version__,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "model": model or info.get("model"),
        "predictions": {k: v for k, v in info.items() if k != "model"} or {"path": None},
        "gold": gold_set.source,
        "missing_policy": missing,
        "plugins": plugin_versions,
        "metrics": dict(sorted(metric_info.items())),
        "problems": problems.as_dict(),
        "tasks": task_results,
    }
    _record_context(results, predictions, gold_set, selected, registry, sent)
    if out is not None:
        from .io import write_json

        write_json(out, results)
    if samples_out is not None:
        from .eval_log import log_rows
        from .io import atomic_write

        meta = (results.get("generation") or {}).get("settings")
        with atomic_write(samples_out) as f:
            for line in log_rows(gold_set.by_task, sample_rows, answers, sent, {"generation": meta} if meta else None):
                f.write(orjson.dumps(line) + b"\n")
    return Evaluation(results=results, samples=sample_rows, problems=problems)


def _record_context(results: dict[str, Any], predictions: Any, gold_set: GoldSet, selected: list[str], registry: Any,
                    sent: Mapping[str, str]) -> None:
    """The run's settings, the suite, manifest hashes and warnings, into ``results``."""
    from .eval_log import context, prompt_mismatches

    ctx = context(predictions, gold_set.source, selected, registry)
    for task_id, entry in results["tasks"].items():
        entry["manifest_sha256"] = ctx["task_facts"][task_id]["manifest_sha256"]
    checked, mismatched, examples = prompt_mismatches({t: gold_set.by_task[t] for t in selected}, sent, ctx["meta"])
    if mismatched:
        ctx["warnings"].append(
            f"{mismatched:,} of {checked:,} predictions were made on other prompts than their gold samples give "
            f"(e.g. {', '.join(examples[:3])}): the predictions may come from other sample files (such as a suite's "
            "k-shot files) or other settings"
        )
    results.update(generation=ctx["generation"], suite=ctx["suite"], prompt_check={"checked": checked, "mismatched": mismatched},
                   warnings=ctx["warnings"])


RESULTS_HEADERS = ["task", "n", "metric", "value", "other metrics"]


def results_table(results: Mapping[str, Any]) -> str:
    """Task, n, primary metric and value, then the other metrics."""
    from .tables import table

    return table(results_rows(results), RESULTS_HEADERS)


def results_rows(results: Mapping[str, Any]) -> list[list[str]]:
    """The rows of :func:`results_table` (headers :data:`RESULTS_HEADERS`)."""

    def fmt(v: Any) -> str:
        return "n/a" if v is None else f"{v:.4f}"

    rows = []
    for task_id, t in results["tasks"].items():
        others = ", ".join(f"{k} {fmt(v)}" for k, v in t["metrics"].items() if k != t["primary_metric"])
        n = f"{t['n']:,}" + (f" ({t['scored_empty']:,} empty)" if t.get("scored_empty") else "")
        rows.append([task_id, n, t["primary_metric"], fmt(t["primary"]), others])
    return rows
