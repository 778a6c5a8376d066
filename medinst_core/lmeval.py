"""lm-evaluation-harness tasks (``medinst export --format lm-eval``).

Writes a folder that lm-eval's ``TaskManager(include_path=...)`` (or
``lm_eval --include_path DIR``) loads:

``data/<task>/<split>.jsonl``
    the test samples (columns of :data:`~medinst_core.export.COLUMNS`): the
    ``test`` split of a build, every split (``zero_shot``, ``2_shot``, ...) of
    a suite;
``<name>_<task>[_<split>].yaml``
    one ``generate_until`` task per test set, reading its JSONL through the
    ``json`` dataset builder (``dataset_kwargs.data_files``, an absolute path:
    export again after moving the folder);
``_<name>_<group>.yaml``
    a group per category (build) or per number of shots (suite), and one
    ``<name>`` group of them all;
``utils.py``
    the prompt (history turns first, then ``instruction + "\\n" + input``) and
    the metrics: every per-sample result is the pair ``(gold, prediction)``
    and each metric's aggregation calls the medinst metric function on all
    pairs of the task, so the scores are ``medinst evaluate``'s to the last
    digit, corpus-level macro F1 included.  A ``primary`` metric repeats the
    task's primary metric; the groups average it unweighted over their tasks
    (MedINST's category average; for the ``<name>`` group, whose members are
    groups, lm-eval averages over all their tasks: the report's overall mean of
    tasks) where every task's primary metric has the same direction;
``README.md``
    how to run them and how they differ from ``medinst evaluate``.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import orjson

from .errors import UsageError
from .export import ExportResult, Source, export, iter_unit, to_yaml
from .io import atomic_write

#: the name of the per-task metric that repeats the primary metric
PRIMARY = "primary"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9_]+", "_", text.lower()).strip("_")


def _yaml(value: Any) -> str:
    """YAML text with ``"!function ..."`` strings made lm-eval's ``!function`` tags."""
    return re.sub(r'"(!function [A-Za-z0-9_.]+)"', r"\1", to_yaml(value)) + "\n"


def _max_tokens(longest: int) -> int:
    """Generation budget from the longest gold answer (about 3 characters a token, with room)."""
    return max(64, min(2048, math.ceil(longest / 3) + 32))


def _reference(component: Any) -> str:
    """``module:function`` of a metric, for the generated ``utils.py`` to import."""
    ref = component.ref
    if isinstance(ref, str):
        return ref
    module, name = getattr(ref, "__module__", None), getattr(ref, "__qualname__", "")
    if module and "." not in name and "<" not in name:
        return f"{module}:{name}"
    raise UsageError(
        f"metric {component.name!r} of plugin {component.plugin!r} is not an importable module-level function, "
        "so lm-eval cannot call it: register it by reference ('module:function')"
    )


def export_lmeval(
    src: str | os.PathLike,
    out: str | os.PathLike,
    *,
    registry: Any,
    tasks: list[str] | None = None,
    name: str = "medinst",
    license_filter: Any = None,
) -> ExportResult:
    """Write the lm-eval task folder of a build or suite folder ``src`` (see
    the module docs); ``tasks`` and ``license_filter`` as for
    :func:`~medinst_core.export.export`, whose reading and filtering it uses."""

    def writer(source: Source, out: Path, keep: Any) -> ExportResult:
        return _write(source, out, name, registry, keep)

    return export(src, out, "lm-eval", tasks=tasks, name=name, license_filter=license_filter, registry=registry, writer=writer)


def _write(source: Source, out: Path, name: str, registry: Any, keep: Any) -> ExportResult:
    if source.kind == "mixture":
        raise UsageError("--format lm-eval needs a build or a suite folder (a mixture has no test sets)")
    units = [u for u in source.units if source.kind == "suite" or u.split == "test"]
    if not units:
        raise UsageError(f"{source.path}: no test split to export as lm-eval tasks")
    if registry is None:
        raise UsageError("--format lm-eval needs the installed tasks (their metrics)")
    missing = sorted({u.task for u in units} - set(registry.tasks))
    if missing:
        raise UsageError(f"--format lm-eval: task(s) not installed, so their metrics are unknown: {', '.join(missing)}")
    prefix = _slug(name) or "medinst"
    counts: dict[tuple[str, str], int] = {}
    files: list[Path] = []
    tasks: dict[str, dict[str, Any]] = {}  # lm-eval task name -> facts
    metric_refs: dict[str, str] = {}
    higher: dict[str, bool] = {}
    for unit in units:
        spec = registry.tasks[unit.task]
        data = out / "data" / unit.task / f"{unit.split}.jsonl"
        longest = 0
        n = 0
        with atomic_write(data) as f:
            for sample in iter_unit(unit, keep):
                f.write(orjson.dumps(sample) + b"\n")
                longest = max(longest, len(sample["output"]))
                n += 1
        files.append(data)
        counts[(unit.task, unit.split)] = n
        for metric in spec.metrics:
            metric_refs[metric] = _reference(registry.metric(metric))
            higher[metric] = bool(registry.metric(metric).higher_is_better)
        lm_task = f"{prefix}_{_slug(unit.task)}" + (f"_{unit.split}" if source.kind == "suite" else "")
        tasks[lm_task] = {
            "task": unit.task, "split": unit.split, "data": data.resolve(), "n": n, "longest": longest,
            "metrics": spec.metrics, "primary": spec.primary_metric, "higher": higher[spec.primary_metric],
            "group": spec.category if source.kind == "build" else unit.split,
        }
    idents = {m: "agg_" + re.sub(r"\W", "_", m) for m in metric_refs}
    if len(set(idents.values())) != len(idents):
        raise UsageError(f"metric names {sorted(metric_refs)} clash once made Python names")
    for lm_task, t in tasks.items():
        path = out / f"{lm_task}.yaml"
        with atomic_write(path) as f:
            f.write(_yaml(_task_config(lm_task, t, idents, higher)).encode())
        files.append(path)
    files += _write_groups(out, prefix, tasks)
    utils = out / "utils.py"
    with atomic_write(utils) as f:
        f.write(utils_source(metric_refs, idents, {t["task"]: (t["metrics"], t["primary"]) for t in tasks.values()}).encode())
    files.append(utils)
    readme = out / "README.md"
    with atomic_write(readme) as f:
        f.write(readme_text(prefix, tasks).encode())
    files.append(readme)
    return ExportResult("lm-eval", out, counts, files)


def _task_config(lm_task: str, t: Mapping[str, Any], idents: Mapping[str, str], higher: Mapping[str, bool]) -> dict[str, Any]:
    metrics = [*t["metrics"], PRIMARY]
    return {
        "task": lm_task,
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": str(t["data"])}},
        "test_split": "test",
        "output_type": "generate_until",
        "doc_to_text": "!function utils.doc_to_text",
        "doc_to_target": "output",
        "process_results": "!function utils.process_results",
        "num_fewshot": 0,
        "generation_kwargs": {"until": [], "do_sample": False, "max_gen_toks": _max_tokens(t["longest"])},
        "metric_list": [
            {
                "metric": m,
                "aggregation": f"!function utils.{idents[t['primary'] if m == PRIMARY else m]}",
                "higher_is_better": higher[t["primary"] if m == PRIMARY else m],
            }
            for m in metrics
        ],
        "metadata": {"version": 1, "medinst_task": t["task"], "medinst_split": t["split"]},
    }


def _write_groups(out: Path, prefix: str, tasks: Mapping[str, Mapping[str, Any]]) -> list[Path]:
    groups: dict[str, list[str]] = {}
    for lm_task, t in tasks.items():
        groups.setdefault(f"{prefix}_{_slug(t['group'])}", []).append(lm_task)
    files = []

    def write(group: str, members: list[str], directions: set[bool]) -> None:
        config: dict[str, Any] = {"group": group, "task": members}
        if len(directions) == 1:
            config["aggregate_metric_list"] = [{"metric": PRIMARY, "aggregation": "mean", "weight_by_size": False}]
        config["metadata"] = {"version": 1}
        path = out / f"_{group}.yaml"
        with atomic_write(path) as f:
            f.write(_yaml(config).encode())
        files.append(path)

    for group, members in sorted(groups.items()):
        write(group, members, {bool(tasks[m]["higher"]) for m in members})
    # the whole: the mean over the higher-is-better groups would mix what MedINST keeps apart, so
    # the top group averages only when every task's primary metric is higher-is-better
    write(prefix, sorted(groups), {bool(t["higher"]) for t in tasks.values()})
    return files


_UTILS = '''"""Prompts and metrics of the medinst lm-eval tasks (written by medinst export --format lm-eval).

Every metric's per-sample result is the pair (gold, prediction); its aggregation
calls the medinst metric function on all pairs of the task, so the scores equal
those of ``medinst evaluate`` (medinst-core must be installed beside lm-eval).
"""

from importlib import import_module

#: metric name -> "module:function" of its medinst implementation
METRICS = {metrics}
#: medinst task id -> (its metrics, its primary metric)
TASKS = {tasks}
_LOADED = {{}}


def doc_to_text(doc):
    """Earlier [user, assistant] turns, then the instruction and the input (as medinst prompts them)."""
    turns = [user + "\\n" + assistant for user, assistant in doc.get("history") or []]
    turns.append(doc["instruction"] + "\\n" + doc["input"])
    return "\\n\\n".join(turns) + "\\n"


def process_results(doc, results):
    prediction = results[0] if results else ""
    metrics, primary = TASKS[doc["task"]]
    pair = (doc["output"], prediction)
    return {{**{{m: pair for m in metrics}}, "{primary}": pair}}


def _score(metric, items):
    fn = _LOADED.get(metric)
    if fn is None:
        module, _, attr = METRICS[metric].partition(":")
        fn = _LOADED[metric] = getattr(import_module(module), attr)
    items = list(items)
    result = fn([gold for gold, _ in items], [prediction for _, prediction in items])
    return float(getattr(result, "score", result))
'''


def utils_source(refs: Mapping[str, str], idents: Mapping[str, str], tasks: Mapping[str, tuple[list[str], str]]) -> str:
    def literal(value: Any) -> str:
        return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2).decode()

    text = _UTILS.format(metrics=literal(dict(refs)), tasks=literal({k: list(v) for k, v in tasks.items()}), primary=PRIMARY)
    for metric in sorted(refs):
        text += f"\n\ndef {idents[metric]}(items):\n    return _score({metric!r}, items)\n"
    return text


def readme_text(prefix: str, tasks: Mapping[str, Mapping[str, Any]]) -> str:
    lines = [
        f"# {prefix}: MedINST test sets as lm-evaluation-harness tasks",
        "",
        "Written by `medinst export --format lm-eval`. Run them with medinst-core installed beside lm-eval:",
        "",
        "```",
        f"lm_eval --model hf --model_args pretrained=MODEL --include_path THIS_FOLDER --tasks {prefix}",
        "```",
        "",
        "- The data files are referenced by absolute path: export again after moving this folder.",
        "- Prompt: each earlier `[user, assistant]` turn of `history` as `user\\nassistant`, then "
        "`instruction\\ninput`, parts separated by a blank line, ending with a newline. With "
        "`--apply_chat_template` the whole prompt is one user turn (medinst predict sends the history as "
        "separate chat turns instead).",
        "- Generation is greedy with no stop string (the model's end of sequence ends it) and a budget of "
        "`max_gen_toks` from the longest gold answer of the task.",
        "- Metrics are medinst's own functions (`utils.py`), computed over the whole test set by lm-eval's "
        "aggregation hook: the values equal `medinst evaluate`'s, label macro F1 included. lm-eval's "
        "bootstrap standard errors are not computed for them (shown as N/A).",
        f"- `{PRIMARY}` repeats each task's primary metric; a group's `{PRIMARY}` is the unweighted mean over "
        "its tasks, as MedINST averages a category, given only where all its tasks' primary metrics point "
        "the same way (the STS mean squared error is lower-is-better and is not averaged with F1 scores). "
        f"lm-eval averages the `{prefix}` group over all the tasks of its groups: that is `medinst report`'s "
        "overall mean of tasks, not its mean of the category averages.",
        "",
        "| lm-eval task | medinst task | split | samples | metrics (primary first) |",
        "|---|---|---|---:|---|",
    ]
    for lm_task, t in sorted(tasks.items()):
        metrics = [t["primary"], *(m for m in t["metrics"] if m != t["primary"])]
        lines.append(f"| {lm_task} | {t['task']} | {t['split']} | {t['n']:,} | {', '.join(metrics)} |")
    return "\n".join(lines) + "\n"
