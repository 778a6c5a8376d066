"""Results a researcher can publish (``medinst report``).

Each results file (written by ``medinst evaluate``) becomes one model column,
named after its ``model`` field or else the file name; each task a row showing
its primary metric.  Below the tasks come the per-category averages (the mean
of the primary metrics of a category's tasks, as MedINST reports them) and two
overall averages: the mean of the category averages and the mean over tasks.

What makes the numbers honest:

- **direction**: every metric says whether higher or lower is better (the
  ``higher_is_better`` of its registration, recorded in the results file).
  Lower-is-better metrics (the STS mean squared error) are averaged only with
  metrics of the same direction and are left out of the overall averages;
- **coverage**: per model and category, ``k of n`` tasks have a value, where
  ``n`` counts the tasks of that category in the suite (with ``--suite``) or in
  any of the results files.  When models cover different tasks their averages
  are over different tasks; the report warns, and ``common_only`` restricts
  every row and average to the tasks all models have;
- ``scale`` multiplies the higher-is-better metrics (F1, exact match, Rouge-L:
  proportions) by e.g. 100; errors such as the MSE stay on their own scale.

Output formats: a plain text table, Markdown, CSV, LaTeX (booktabs) and JSON;
:func:`plot` draws the category averages as grouped bars (matplotlib, the
``[plot]`` extra).  The module is long because the numbers, their five
renderings and the figure are kept together, so every output shows the same rows.
"""

from __future__ import annotations

import csv
import io
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson

from .errors import MissingExtraError, UsageError

FORMATS = ("table", "markdown", "csv", "latex", "json")
#: the category of a task that is neither in the suite nor installed
UNCATEGORIZED = "other"


# -- reading results files ----------------------------------------------------------------------


@attrs.define
class TaskScore:
    metric: str
    value: float | None
    higher_is_better: bool | None


@attrs.define
class Run:
    """One results file."""

    model: str
    path: Path
    tasks: dict[str, TaskScore]
    #: what must agree for the scores to be comparable (provenance.comparable_facts)
    facts: dict[str, Any] = attrs.field(factory=dict)


def load_run(path: str | os.PathLike) -> Run:
    path = Path(path)
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable results JSON file ({exc})") from None
    tasks = data.get("tasks") if isinstance(data, dict) else None
    if not isinstance(tasks, dict):
        raise UsageError(f"{path}: expected a results file with a 'tasks' object (written by medinst evaluate)")
    directions = {
        name: spec.get("higher_is_better")
        for name, spec in (data.get("metrics") or {}).items()
        if isinstance(spec, dict) and isinstance(spec.get("higher_is_better"), bool)
    }
    out: dict[str, TaskScore] = {}
    for task, entry in tasks.items():
        primary = entry.get("primary_metric") if isinstance(entry, dict) else None
        metrics = entry.get("metrics") if isinstance(entry, dict) else None
        if not primary or not isinstance(metrics, dict) or primary not in metrics:
            raise UsageError(f"{path}: task {task} has no value for its primary metric {primary!r}")
        value = metrics[primary]
        number = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None
        out[task] = TaskScore(primary, number, directions.get(primary))  # null: undefined
    from .provenance import comparable_facts

    return Run(str(data.get("model") or path.stem), path, out, comparable_facts(data))


def load_results(path: str | os.PathLike) -> tuple[str, dict[str, tuple[str, float | None]]]:
    """``(model name, {task: (primary metric, value)})`` from a results file."""
    run = load_run(path)
    return run.model, {t: (s.metric, s.value) for t, s in run.tasks.items()}


# -- the report ---------------------------------------------------------------------------------


@attrs.define
class Row:
    """One line of the report: a task, a category average or an overall average."""

    kind: str  # "task" | "category" | "overall"
    name: str
    category: str
    metric: str
    higher_is_better: bool | None
    values: list[float | None]
    #: per model (tasks with a value, tasks counted); None on task rows
    coverage: list[tuple[int, int]] | None = None


@attrs.define
class Report:
    models: list[str]
    files: list[str]
    rows: list[Row]
    scale: float
    common_only: bool
    suite: str | None
    #: per model: (tasks with a value, tasks in the report)
    coverage: list[tuple[int, int]]
    warnings: list[str]
    notes: list[str]

    @property
    def task_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "task"]

    @property
    def category_rows(self) -> list[Row]:
        return [r for r in self.rows if r.kind == "category"]

    def as_dict(self) -> dict[str, Any]:
        def values(row: Row) -> dict[str, float | None]:
            return dict(zip(self.models, row.values))

        def coverage(cov: Sequence[tuple[int, int]]) -> dict[str, dict[str, int]]:
            return {m: {"tasks": k, "of": n} for m, (k, n) in zip(self.models, cov)}

        return {
            "models": [{"name": m, "file": f} for m, f in zip(self.models, self.files)],
            "suite": self.suite,
            "scale": self.scale,
            "common_only": self.common_only,
            "coverage": coverage(self.coverage),
            "tasks": [
                {"task": r.name, "category": r.category, "metric": r.metric,
                 "higher_is_better": r.higher_is_better, "values": values(r)}
                for r in self.task_rows
            ],
            "categories": [
                {"category": r.category, "metric": r.metric, "higher_is_better": r.higher_is_better,
                 "values": values(r), "coverage": coverage(r.coverage or [])}
                for r in self.category_rows
            ],
            "overall": [
                {"name": r.name, "metric": r.metric, "higher_is_better": r.higher_is_better,
                 "values": values(r), "coverage": coverage(r.coverage or [])}
                for r in self.rows if r.kind == "overall"
            ],
            "warnings": self.warnings,
            "notes": self.notes,
        }


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def build_report(
    paths: Sequence[str | os.PathLike],
    *,
    suite: Mapping[str, Any] | None = None,
    categories: Mapping[str, str] | None = None,
    directions: Mapping[str, bool] | None = None,
    scale: float = 1.0,
    common_only: bool = False,
) -> Report:
    """The report over ``paths``.  ``categories`` maps task ids to categories
    (the installed tasks'); a suite's own categories and order come first.
    ``directions`` maps metric names to ``higher_is_better`` for results files
    that do not record it."""
    if not paths:
        raise UsageError("give at least one results file")
    if not (isinstance(scale, (int, float)) and math.isfinite(scale) and scale > 0):
        raise UsageError(f"--scale must be a positive number, got {scale!r}")
    runs = [load_run(p) for p in paths]
    names = [r.model for r in runs]
    if len(set(names)) != len(names):  # same model twice: tell the columns apart by file
        names = [f"{r.model} ({r.path.name})" for r in runs]
    cat_of: dict[str, str] = dict(categories or {})
    order: list[str] = []
    if suite:
        for entry in suite["tasks"]:
            cat_of[entry["task"]] = entry["category"]
            order.append(entry["task"])
    seen = {t for r in runs for t in r.tasks}
    # tasks outside the suite: grouped by category, then by id
    order += sorted(seen - set(order), key=lambda t: (cat_of.get(t, UNCATEGORIZED), t))
    universe = [t for t in order if t in seen or suite is not None]  # with a suite, its tasks all count

    def direction(task: str) -> tuple[str, bool | None]:
        scores = [r.tasks[task] for r in runs if task in r.tasks]
        metric = scores[0].metric
        if len({s.metric for s in scores}) > 1:
            used = ", ".join(sorted({s.metric for s in scores}))
            raise UsageError(f"task {task}: the results files use different primary metrics ({used})")
        known = [s.higher_is_better for s in scores if s.higher_is_better is not None]
        hib = known[0] if known else (directions or {}).get(metric)
        return metric, hib

    has_value = [{t for t, s in r.tasks.items() if s.value is not None} for r in runs]
    common = set.intersection(*has_value) if has_value else set()
    warnings: list[str] = []
    notes: list[str] = []
    if common_only:
        if not common:
            raise UsageError("--common-only: no task has a value in every results file")
        universe = [t for t in universe if t in common]

    task_rows: list[Row] = []
    for task in universe:
        if task not in seen:
            continue
        metric, hib = direction(task)
        factor = scale if hib is not False else 1.0
        raw = [r.tasks[task].value if task in r.tasks else None for r in runs]
        values = [v * factor if v is not None else None for v in raw]
        task_rows.append(Row("task", task, cat_of.get(task, UNCATEGORIZED), metric, hib, values))
    unknown_direction = sorted({r.metric for r in task_rows if r.higher_is_better is None})
    if unknown_direction:
        notes.append(
            "direction unknown (no higher_is_better recorded or registered) for: " + ", ".join(unknown_direction)
            + "; these metrics are treated as higher-is-better in averages"
        )

    in_category = _groups(universe, task_rows, cat_of)
    category_rows = _category_rows(in_category, {r.name: r for r in task_rows}, len(runs))
    overall_rows = _overall_rows(in_category, category_rows, {r.name: r for r in task_rows}, len(runs))
    down = sorted({r.metric for r in task_rows if r.higher_is_better is False})
    if down and overall_rows:
        notes.append("the overall averages leave out the lower-is-better metrics (" + ", ".join(down) + ")")

    coverage = [(sum(1 for t in universe if t in has_value[i]), len(universe)) for i in range(len(runs))]
    warnings += _coverage_warnings(names, coverage, has_value, universe, common, common_only=common_only, suite=suite)
    from .provenance import comparability_warnings

    warnings += comparability_warnings(names, [r.facts for r in runs])
    if scale != 1:
        notes.append(f"higher-is-better metrics are multiplied by {scale:g}; lower-is-better ones are not")
    return Report(
        models=names, files=[str(r.path) for r in runs], rows=task_rows + category_rows + overall_rows,
        scale=float(scale), common_only=common_only, suite=(suite or {}).get("id") if suite else None,
        coverage=coverage, warnings=warnings, notes=notes,
    )


def _coverage_warnings(names, coverage, has_value, universe, common, *, common_only: bool, suite) -> list[str]:
    if not common_only and len({frozenset(h & set(universe)) for h in has_value}) > 1:
        covered = ", ".join(f"{m}: {k} of {n}" for m, (k, n) in zip(names, coverage))
        return [
            f"the models cover different tasks ({covered}); their category and overall averages are over "
            f"different tasks and not comparable. Use --common-only to compare on the {len(common)} "
            f"task(s) every model has."
        ]
    if suite is not None and any(k < n for k, n in coverage):
        return ["not every task of the suite has a value (" + ", ".join(f"{m}: {k} of {n}" for m, (k, n) in zip(names, coverage)) + ")"]
    return []


def _groups(universe: list[str], task_rows: list[Row], cat_of: Mapping[str, str]) -> dict[tuple[str, bool], list[str]]:
    """Tasks by (category, higher is better), in order of first appearance."""
    in_category: dict[tuple[str, bool], list[str]] = {}
    row_of = {r.name: r for r in task_rows}
    for task in universe:
        cat = cat_of.get(task, UNCATEGORIZED)
        hib = row_of[task].higher_is_better if task in row_of else _suite_direction(task, row_of, cat_of, cat)
        in_category.setdefault((cat, hib is not False), []).append(task)
    return in_category


def _average(members: list[str], row_of: Mapping[str, Row], i: int) -> tuple[float | None, tuple[int, int]]:
    got = [v for t in members if t in row_of for v in [row_of[t].values[i]] if v is not None]
    return _mean(got), (len(got), len(members))


def _category_rows(in_category: dict[tuple[str, bool], list[str]], row_of: Mapping[str, Row], n_runs: int) -> list[Row]:
    both = {c for c, h in in_category if (c, not h) in in_category}
    rows: list[Row] = []
    for (cat, higher), members in in_category.items():
        metrics = sorted({row_of[t].metric for t in members if t in row_of})
        if not metrics:
            continue
        averages = [_average(members, row_of, i) for i in range(n_runs)]
        name = f"{cat} average" + ((" (higher is better)" if higher else " (lower is better)") if cat in both else "")
        rows.append(Row("category", name, cat, "mean of " + ", ".join(metrics), higher,
                        [v for v, _ in averages], [c for _, c in averages]))
    return rows


def _overall_rows(in_category, category_rows: list[Row], row_of: Mapping[str, Row], n_runs: int) -> list[Row]:
    """Mean of the higher-is-better categories, and of their tasks."""
    up = [r for r in category_rows if r.higher_is_better]
    if not up:
        return []
    values = [_mean([v for r in up for v in [r.values[i]] if v is not None]) for i in range(n_runs)]
    cov = [(sum(1 for r in up if r.values[i] is not None), len(up)) for i in range(n_runs)]
    up_tasks = [t for (_, h), members in in_category.items() if h for t in members]
    averages = [_average(up_tasks, row_of, i) for i in range(n_runs)]
    return [
        Row("overall", "overall (mean of categories)", "", "categories", True, values, cov),
        Row("overall", "overall (mean of tasks)", "", "tasks", True, [v for v, _ in averages], [c for _, c in averages]),
    ]


def _suite_direction(task, row_of, cat_of, cat) -> bool | None:
    """Direction of a suite task no model has: that of its category's other tasks."""
    known = [r.higher_is_better for r in row_of.values() if cat_of.get(r.name, UNCATEGORIZED) == cat]
    return known[0] if known and all(k == known[0] for k in known) else True


def comparison(paths: list[str | os.PathLike], *, suite: dict[str, Any] | None = None) -> tuple[list[str], list[list[Any]]]:
    """Header and rows: task, category, metric, then one value per results file
    (task rows and category averages; kept for callers of the first version)."""
    rep = build_report(paths, suite=suite)
    rows = [[r.name if r.kind == "task" else f"[{r.name}]", r.category, r.metric, *r.values]
            for r in rep.rows if r.kind != "overall"]
    return ["task", "category", "metric", *rep.models], rows


# -- rendering ----------------------------------------------------------------------------------


def _arrow(hib: bool | None, *, latex: bool = False) -> str:
    if hib is None:
        return ""
    if latex:
        return r"$\uparrow$" if hib else r"$\downarrow$"
    return "↑" if hib else "↓"


def _digits(rep: Report, digits: int | None) -> int:
    return digits if digits is not None else (2 if rep.scale >= 10 else 4)


def _best(row: Row) -> set[int]:
    """Columns holding the best value of a row (none with fewer than two values)."""
    present = [(v, i) for i, v in enumerate(row.values) if v is not None]
    if len(present) < 2:
        return set()
    best = (max if row.higher_is_better is not False else min)(v for v, _ in present)
    return {i for v, i in present if v == best}


def _partial(row: Row, i: int) -> bool:
    """An average over fewer tasks than it counts (some have no value)."""
    return row.coverage is not None and row.values[i] is not None and row.coverage[i][0] < row.coverage[i][1]


PARTIAL_NOTE = "† an average over fewer tasks than counted (some have no value): see the coverage"


def _label(row: Row) -> str:
    return row.name if row.kind == "task" else f"[{row.name}]"


def render(rep: Report, fmt: str, *, digits: int | None = None, width: int | None = None) -> str:
    """The report in ``fmt``; the ``table`` format is fitted to ``width``
    columns when given (the category column left out first, then the model
    columns wrapped in blocks that repeat the task column)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    d = _digits(rep, digits)

    def num(v: float | None) -> str:
        return "" if v is None else f"{v:.{d}f}"

    if fmt == "json":
        return orjson.dumps(rep.as_dict(), option=orjson.OPT_INDENT_2).decode() + "\n"
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["kind", "name", "category", "metric", "better", *rep.models])
        for r in rep.rows:
            better = "" if r.higher_is_better is None else ("higher" if r.higher_is_better else "lower")
            w.writerow([r.kind, r.name, r.category, r.metric, better, *(num(v) for v in r.values)])
        for r in rep.rows:
            if r.coverage is not None:
                w.writerow(["coverage", r.name, r.category, "tasks with a value", "", *(f"{k}/{n}" for k, n in r.coverage)])
        w.writerow(["coverage", "all tasks", "", "tasks with a value", "", *(f"{k}/{n}" for k, n in rep.coverage)])
        return buf.getvalue()
    if fmt == "latex":
        return _latex(rep, num)

    cov_header = ["coverage", *rep.models]
    cov_rows = [[_label(r), *(f"{k} of {n}" for k, n in r.coverage)] for r in rep.rows if r.coverage is not None]
    cov_rows.append(["[all tasks]", *(f"{k} of {n}" for k, n in rep.coverage)])
    header = ["task", "category", "metric", *rep.models]
    if fmt == "markdown":
        return _markdown(rep, num, header, cov_header, cov_rows)
    from .tables import fit_table

    main = fit_table([[_label(r), r.category, f"{r.metric} {_arrow(r.higher_is_better)}".strip(),
                       *(num(v) + ("†" if _partial(r, i) else "") for i, v in enumerate(r.values))] for r in rep.rows],
                     header, width=width, drop=["category"], keep=2)
    notes = "".join(f"\nnote: {n}" for n in rep.notes)
    if any(_partial(r, i) for r in rep.rows for i in range(len(rep.models))):
        notes += "\n" + PARTIAL_NOTE
    coverage = fit_table(cov_rows, cov_header, width=width)
    return main + "\n\n" + coverage + "\n" + notes.lstrip("\n") + ("\n" if notes else "")


def _markdown(rep: Report, num, header: list[str], cov_header: list[str], cov_rows: list[list[str]]) -> str:
    def md(text: str) -> str:
        return text.replace("|", r"\|")

    def md_cells(r: Row) -> list[str]:
        best = _best(r)
        return [(f"**{num(v)}**" if i in best else num(v)) + ("†" if _partial(r, i) else "") for i, v in enumerate(r.values)]

    lines = ["| " + " | ".join(md(h) for h in header) + " |", "|---|---|---|" + "---:|" * len(rep.models)]
    for r in rep.rows:
        name = md(r.name) if r.kind == "task" else f"*{md(r.name)}*"
        lines.append("| " + " | ".join([name, md(r.category), md(f"{r.metric} {_arrow(r.higher_is_better)}".strip()), *md_cells(r)]) + " |")
    lines += ["", "| " + " | ".join(md(h) for h in cov_header) + " |", "|---|" + "---:|" * len(rep.models)]
    lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in cov_rows]
    extra = [f"> **Warning:** {md(w)}" for w in rep.warnings] + [f"> Note: {md(n)}" for n in rep.notes]
    if any(_partial(r, i) for r in rep.rows for i in range(len(rep.models))):
        extra.append(f"> {md(PARTIAL_NOTE)}")
    if extra:
        lines += [""] + [x for e in extra for x in (e, ">")][:-1]
    return "\n".join(lines) + "\n"


_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def latex_escape(text: str) -> str:
    return "".join(_LATEX_SPECIAL.get(c, c) for c in str(text))


def _latex(rep: Report, num) -> str:
    n = len(rep.models)
    out = ["% medinst report: requires \\usepackage{booktabs}"]
    out += [f"% WARNING: {latex_escape(w)}" for w in rep.warnings]
    out += [f"% note: {latex_escape(x)}" for x in rep.notes]
    out += [r"\begin{table}[t]", r"\centering", r"\begin{tabular}{ll" + "r" * n + "}", r"\toprule"]
    out.append(" & ".join(["Task", "Metric", *(latex_escape(m) for m in rep.models)]) + r" \\")
    out.append(r"\midrule")
    previous = "task"
    for r in rep.rows:
        if r.kind != previous:
            out.append(r"\midrule")
            previous = r.kind
        best = _best(r)
        cells = [(rf"\textbf{{{num(v)}}}" if i in best else num(v)) + (r"$^\dagger$" if _partial(r, i) else "")
                 for i, v in enumerate(r.values)]
        name = latex_escape(r.name) if r.kind == "task" else rf"\textit{{{latex_escape(r.name)}}}"
        metric = (latex_escape(r.metric) + " " + _arrow(r.higher_is_better, latex=True)).strip()
        out.append(" & ".join([name, metric, *cells]) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}"]
    caption = "Primary metric per task, per-category and overall averages"
    if rep.scale != 1:
        caption += f" (higher-is-better metrics $\\times {rep.scale:g}$)"
    caption += ". Best value per row in bold"
    if any(_partial(r, i) for r in rep.rows for i in range(n)):
        caption += r"; $^\dagger$ averaged over fewer tasks than counted (see the coverage table)"
    out.append(r"\caption{" + caption + ".}")
    out += [r"\end{table}", "", r"\begin{table}[t]", r"\centering", r"\begin{tabular}{l" + "r" * n + "}", r"\toprule"]
    out.append(" & ".join(["Coverage", *(latex_escape(m) for m in rep.models)]) + r" \\")
    out.append(r"\midrule")
    for r in rep.rows:
        if r.coverage is not None:
            out.append(" & ".join([latex_escape(r.name), *(f"{k}/{m}" for k, m in r.coverage)]) + r" \\")
    out.append(" & ".join(["all tasks", *(f"{k}/{m}" for k, m in rep.coverage)]) + r" \\")
    out += [r"\bottomrule", r"\end{tabular}", r"\caption{Tasks with a value per model (of the tasks counted).}", r"\end{table}"]
    return "\n".join(out) + "\n"


# -- figure -------------------------------------------------------------------------------------


def plot(rep: Report, path: str | os.PathLike) -> Path:
    """Per-category averages as grouped bars, one bar per model (PNG, SVG or
    PDF by the file's suffix).  Lower-is-better categories get their own axes."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"{path}: the figure's file name must end in .png, .svg or .pdf")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingExtraError("the figure needs matplotlib: pip install 'medinst-core[plot]'") from None
    groups = [[r for r in rep.category_rows if r.higher_is_better], [r for r in rep.category_rows if not r.higher_is_better]]
    groups = [g for g in groups if g]
    if not groups:
        raise UsageError("nothing to plot: no category average (give --suite or install the tasks' plugins)")
    widths = [max(2.0, 0.5 + len(g) * (0.3 + 0.22 * len(rep.models))) for g in groups]
    fig, axes = plt.subplots(1, len(groups), figsize=(sum(widths) + 1, 4.2), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    bar = 0.8 / max(1, len(rep.models))
    for ax, rows in zip(axes[0], groups):
        for i, model in enumerate(rep.models):
            xs = [j + (i - (len(rep.models) - 1) / 2) * bar for j in range(len(rows))]
            ys = [r.values[i] if r.values[i] is not None else 0.0 for r in rows]
            bars = ax.bar(xs, ys, bar, label=model)
            for b, r in zip(bars, rows):
                k, n = r.coverage[i] if r.coverage else (0, 0)
                if r.values[i] is None or k < n:  # say so on partly covered bars
                    ax.annotate(f"{k}/{n}", (b.get_x() + b.get_width() / 2, b.get_height()), ha="center",
                                va="bottom", fontsize=7)
        ax.set_xlim(-0.7, len(rows) - 0.3)
        ax.margins(y=0.12)
        ax.set_xticks(range(len(rows)))
        ax.set_xticklabels([r.category for r in rows], rotation=45, ha="right")
        higher = rows[0].higher_is_better
        unit = f" (×{rep.scale:g})" if higher and rep.scale != 1 else ""
        ax.set_ylabel(("mean primary metric" + unit) + (" — higher is better" if higher else " — lower is better"))
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=min(len(rep.models), 3), fontsize=8, frameon=False)
    rows_of_legend = -(-len(rep.models) // 3)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.06 * rows_of_legend))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=150)
    plt.close(fig)
    return path
