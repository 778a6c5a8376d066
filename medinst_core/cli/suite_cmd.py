from __future__ import annotations

import sys

import click

from ._common import echo_json, echo_table, registry


@click.group()
def suite() -> None:
    """Benchmark suites (medinst32): list, build few-/zero-shot test sets, check contamination."""


@suite.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def list_suites(as_json) -> None:
    """The installed suites and their tasks."""
    reg = registry()
    rows = []
    for name, s in sorted(reg.suites.items()):
        installed = sum(1 for e in s["tasks"] if e["task"] in reg.tasks)
        rows.append((name, s["name"], len(s["tasks"]), installed, s.get("shots", 2)))
    if as_json:
        echo_json([dict(zip(["suite", "name", "tasks", "installed", "shots"], r)) for r in rows])
        return
    echo_table(rows, ["suite", "name", "tasks", "installed", "shots"], drop=["shots", "installed"], shrink=["name"])


@suite.command("build")
@click.argument("name")
@click.option("--data-dir", type=click.Path(file_okay=False), envvar="MEDINST_DATA", help="Folder holding the downloads.")
@click.option("--bundled", is_flag=True, help="Use the plugins' bundled sample files.")
@click.option("--out", required=True, type=click.Path(file_okay=False))
@click.option("--shots", type=click.IntRange(min=0), help="In-context examples per sample (default: the suite's).")
@click.option("--seed", default="0", show_default=True, help="Seed of every random choice.")
@click.option("--strict", is_flag=True, help="Exit 1 unless every task of the suite was built with at least one sample.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON on stdout.")
def build_cmd(name, data_dir, bundled, out, shots, seed, strict, as_json) -> None:
    """Write <OUT>/zero-shot/<task>.jsonl and <OUT>/<k>-shot/<task>.jsonl for each task of a suite.

    Exit status: 1 when a task failed, or with --strict when any task was not
    built (not installed, files missing) or is empty; else 0."""
    import attrs

    from ..errors import UsageError
    from ..suite import build_suite, suite_counts

    reg = registry()
    if not bundled and not data_dir:
        raise UsageError("give --data-dir DIR (or set MEDINST_DATA) or --bundled")
    results = build_suite(name, out, data_dir=None if bundled else data_dir, bundled=bundled, shots=shots, seed=seed, registry=reg)
    counts = suite_counts(results)
    shortfall = counts["built_tasks"] < counts["requested_tasks"] or bool(counts["empty_tasks"])
    failed = counts["status_counts"].get("failed", 0) > 0 or (strict and shortfall)
    if as_json:
        echo_json({"suite": name, "out": str(out), "total_samples": sum(r.samples for r in results), **counts,
                   "strict": strict, "ok": not failed, "tasks": [attrs.asdict(r) for r in results]})
        sys.exit(1 if failed else 0)
    rows = [(r.task, r.category, r.samples, r.cap or "", ",".join(r.shot_source)) for r in results if r.status == "built"]
    if rows:
        echo_table(rows, ["task", "category", "samples", "cap", "examples from"],
                   shrink=["examples from", "task"])
    for r in results:
        if r.status != "built":
            click.echo(f"{r.status.replace('_', ' ')} {r.task}: {r.skipped}", err=True)
    for task in counts["empty_tasks"]:
        click.echo(f"empty {task}: 0 test samples written", err=True)
    detail = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in counts["status_counts"].items() if k != "built")
    click.echo(
        f"{counts['built_tasks']} of {counts['requested_tasks']} tasks built"
        + (f" ({detail})" if detail else "")
        + f"; {sum(r.samples for r in results):,} test samples in {out}",
        err=True,
    )
    if failed:
        if strict and shortfall:
            click.echo("--strict: the suite is incomplete", err=True)
        sys.exit(1)


@suite.command("check")
@click.argument("name")
@click.option("--suite-dir", required=True, type=click.Path(exists=True, file_okay=False), help="A folder written by `suite build`.")
@click.option("--mixture", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--ngram", default=13, show_default=True, help="n of the word n-grams compared.")
@click.option("--threshold", default=0.5, show_default=True,
              help="Share of a test input's n-grams found in the mixture that counts as overlap.")
@click.option("--json", "as_json", is_flag=True)
def check_cmd(name, suite_dir, mixture, ngram, threshold, as_json) -> None:
    """Report test samples whose input also occurs in a training mixture; exit 1 if any."""
    from ..suite import check_contamination

    report = check_contamination(suite_dir, mixture, n=ngram, threshold=threshold)
    report["suite"] = name
    if as_json:
        echo_json(report)
    else:
        click.echo(f"{report['suite_samples']:,} test samples against {report['mixture_samples']:,} mixture samples")
        click.echo(f"exact input matches: {len(report['exact'])}")
        for sid in report["exact"][:20]:
            click.echo(f"  {sid}")
        click.echo(f"{ngram}-gram overlap >= {threshold}: {len(report['ngram_overlap'])}")
        for item in report["ngram_overlap"][:20]:
            click.echo(f"  {item['id']}  {item['overlap']:.2f}")
    if report["exact"] or report["ngram_overlap"]:
        sys.exit(1)
