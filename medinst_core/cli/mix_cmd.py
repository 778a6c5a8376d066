from __future__ import annotations

import sys

import click

from ._common import echo_json, echo_table, registry
from ._licence import license_options


@click.command()
@click.option("--size", required=True, type=click.IntRange(min=1), help="Number of samples to draw.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The mixture JSONL file.")
@click.option("--build", "build_dir", type=click.Path(exists=True, file_okay=False), help="Draw from an existing build.")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Build the training splits from this folder first.")
@click.option("--exclude-suite", help="Leave out the test tasks of this suite ('unseen' mixture).")
@click.option("--strategy", default="proportional", show_default=True, help="proportional, uniform or temperature:T.")
@click.option("--cap-per-task", type=click.IntRange(min=1), help="At most N samples from one task.")
@click.option("--seed", default="0", show_default=True)
@click.option("--strict", is_flag=True, help="Exit 1 when fewer samples than --size were available.")
@click.option("--json", "as_json", is_flag=True, help="Print the composition as JSON on stdout.")
@click.argument("task_ids", nargs=-1)
@license_options
def mix(size, out, build_dir, data_dir, exclude_suite, strategy, cap_per_task, seed, strict, as_json, task_ids, license_filter) -> None:
    """Draw a training mixture from the training splits of the installed tasks (or TASK_IDS).

    Exit status: 1 with --strict when fewer samples than --size were available; else 0."""
    from ..mixture import make_mixture

    report = make_mixture(
        out, size, build_dir=build_dir, data_dir=data_dir, exclude_suite=exclude_suite, strategy=strategy,
        cap_per_task=cap_per_task, seed=seed, tasks=list(task_ids) or None, registry=registry(),
        license_filter=license_filter,
    )
    for task, why in report["license_excluded"].items():
        click.echo(f"left out {task}: {why}", err=True)
    short = report["size"] < report["requested"]
    failed = strict and short
    if as_json:
        echo_json({**report, "out": str(out), "shortfall": report["requested"] - report["size"], "strict": strict, "ok": not failed})
        sys.exit(1 if failed else 0)
    rows = [(t, v["available"], v["drawn"]) for t, v in report["tasks"].items()]
    echo_table(rows, ["task", "available", "drawn"], shrink=["task"])
    for task, reason in report.get("build", {}).get("missing", {}).items():
        click.echo(f"missing {task} train: {reason}", err=True)
    for task, error in report.get("build", {}).get("failed", {}).items():
        click.echo(f"FAILED {task} train: {error}", err=True)
    if short:
        click.echo(
            f"{'ERROR' if strict else 'warning'}: only {report['size']:,} of the {report['requested']:,} samples asked for "
            f"were available ({report['size'] / report['requested']:.1%})", err=True,
        )
    click.echo(f"{report['size']:,} of {report['requested']:,} samples written to {out} (composition in {out}.composition.json)", err=True)
    if failed:
        sys.exit(1)
