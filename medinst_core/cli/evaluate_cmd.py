from __future__ import annotations

import click

from ._common import echo_json, echo_table, registry


@click.command()
@click.option("--predictions", "-p", required=True, type=click.Path(dir_okay=False),
              help="JSON lines {\"id\": ..., \"prediction\": ...} (medinst schema predictions).")
@click.option("--gold", type=click.Path(), help="Gold samples: a samples .jsonl file or a folder of them (e.g. a suite's zero-shot/).")
@click.option("--build", "build_dir", type=click.Path(file_okay=False),
              help="Gold samples from a build folder: <DIR>/<task>/<split>.jsonl.")
@click.option("--split", default="test", show_default=True, type=click.Choice(["train", "dev", "test"]),
              help="The split to read with --build.")
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable); predictions of other tasks are ignored.")
@click.option("--metric", "metrics", multiple=True,
              help="Metric for tasks whose plugin is not installed (repeatable; the first is the primary one).")
@click.option("--missing", type=click.Choice(["fail", "empty"]), default="fail", show_default=True,
              help="fail: stop (status 1) on missing, duplicate, unknown or malformed predictions; "
                   "empty: report them and score the affected samples as empty answers.")
@click.option("--model", help="Model name recorded in the results (default: the predictions' model field).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the results JSON here.")
@click.option("--samples-out", "--log-samples", "samples_out", type=click.Path(dir_okay=False),
              help="Write the per-sample log here (JSON lines: prompt as sent, target, prediction, scores, hashes).")
@click.option("--json", "as_json", is_flag=True, help="Print the results JSON instead of the table.")
def evaluate(predictions, gold, build_dir, split, tasks, metrics, missing, model, out, samples_out, as_json) -> None:
    """Score predictions with each task's metrics (MedINST's evaluation).

    Prints a table of the per-task results; --out writes the results JSON
    (medinst schema results), which `medinst report` compares across models.
    """
    from ..errors import UsageError
    from ..scoring import RESULTS_HEADERS, PredictionsError, results_rows
    from ..scoring import evaluate as run
    from ._progress import Progress

    if bool(gold) == bool(build_dir):
        raise UsageError("give the gold samples with either --gold FILE|DIR or --build DIR")
    bar = Progress("scoring", total=None, unit="sample", enabled=not as_json)

    def scored(task: str, n: int, total: int) -> None:
        bar.total = total
        bar.advance(n, task)
    try:
        with bar:
            ev = run(
                predictions, gold=gold, build=build_dir, split=split, tasks=list(tasks) or None,
                metrics=list(metrics) or None, missing=missing, model=model, out=out, samples_out=samples_out,
                registry=registry(), on_task=scored,
            )
    except PredictionsError as exc:
        for line in exc.problems.details():
            click.echo(f"medinst: {line}", err=True)
        raise
    if ev.problems:
        click.echo(f"medinst: {ev.problems.source}: scored as empty answers where a prediction was unusable:", err=True)
        for line in ev.problems.details():
            click.echo(f"medinst:   {line}", err=True)
    for warning in ev.results.get("warnings") or []:
        click.echo(f"medinst: warning: {warning}", err=True)
    if as_json:
        echo_json(ev.results)
    else:  # fitted to the terminal: the other metrics are shortened first
        echo_table(results_rows(ev.results), RESULTS_HEADERS, shrink=("other metrics", "task"))
    n = sum(t["n"] for t in ev.results["tasks"].values())
    written = ", ".join(str(p) for p in (out, samples_out) if p)
    click.echo(f"{n:,} samples in {len(ev.results['tasks'])} tasks" + (f"; wrote {written}" if written else ""), err=True)
