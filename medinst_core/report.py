"""Side-by-side comparison of evaluation results (``medinst report``).

Each results file (written by ``medinst evaluate``) becomes one column, named
after its ``model`` field or else the file name; each task a row showing its
primary metric.  With a suite, rows follow the suite's order and per-category
averages of the primary metrics are added, as MedINST reports them.
"""

from __future__ import annotations

import csv
import io
import os
from collections import defaultdict
from pathlib import Path
from typing import Any

import orjson

from .errors import UsageError


def load_results(path: str | os.PathLike) -> tuple[str, dict[str, tuple[str, float | None]]]:
    """``(model name, {task: (primary metric, value)})`` from a results file."""
    path = Path(path)
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable results JSON file ({exc})") from None
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        raise UsageError(f"{path}: expected a results file with a 'tasks' object (written by medinst evaluate)")
    out: dict[str, tuple[str, float | None]] = {}
    for task, entry in tasks.items():
        primary = entry.get("primary_metric") if isinstance(entry, dict) else None
        metrics = entry.get("metrics") if isinstance(entry, dict) else None
        if not primary or not isinstance(metrics, dict) or primary not in metrics:
            raise UsageError(f"{path}: task {task} has no value for its primary metric {primary!r}")
        value = metrics[primary]
        out[task] = (primary, float(value) if isinstance(value, (int, float)) else None)  # null: undefined
    model = data.get("model") or path.stem
    return str(model), out


def comparison(paths: list[str | os.PathLike], *, suite: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: task, category, metric, then one value per results file."""
    loaded = [load_results(p) for p in paths]
    names = [m for m, _ in loaded]
    if len(set(names)) != len(names):  # same model twice: tell the columns apart by file
        names = [f"{m} ({Path(p).name})" for (m, _), p in zip(loaded, paths)]
    categories: dict[str, str] = {}
    order: list[str] = []
    if suite:
        for entry in suite["tasks"]:
            categories[entry["task"]] = entry["category"]
            order.append(entry["task"])
    seen = {t for _, r in loaded for t in r}
    order += sorted(seen - set(order))
    rows: list[list[Any]] = []
    by_cat: dict[str, list[list[float]]] = defaultdict(lambda: [[] for _ in loaded])
    for task in order:
        if task not in seen:
            continue
        metric = next(r[task][0] for _, r in loaded if task in r)
        values = [r[task][1] if task in r else None for _, r in loaded]
        rows.append([task, categories.get(task, ""), metric, *values])
        if task in categories:
            for i, v in enumerate(values):
                if v is not None:
                    by_cat[categories[task]][i].append(v)
    for cat in sorted(by_cat):
        cols = by_cat[cat]
        rows.append([f"[{cat} average]", cat, "mean of primary", *[sum(c) / len(c) if c else None for c in cols]])
    return ["task", "category", "metric", *names], rows


def render(header: list[str], rows: list[list[Any]], fmt: str) -> str:
    def cell(v: Any) -> str:
        return "" if v is None else f"{v:.4f}" if isinstance(v, float) else str(v)

    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[cell(v) for v in row] for row in rows])
        return buf.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
        return "\n".join(lines) + "\n"
    from .tables import table

    return table([[cell(v) for v in row] for row in rows], header) + "\n"
