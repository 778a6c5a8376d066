from __future__ import annotations

import click

from ._common import registry, table
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
@click.argument("task_ids", nargs=-1)
@license_options
def mix(size, out, build_dir, data_dir, exclude_suite, strategy, cap_per_task, seed, task_ids, license_filter) -> None:
    """Draw a training mixture from the training splits of the installed tasks (or TASK_IDS)."""
    from ..mixture import make_mixture

    report = make_mixture(
        out, size, build_dir=build_dir, data_dir=data_dir, exclude_suite=exclude_suite, strategy=strategy,
        cap_per_task=cap_per_task, seed=seed, tasks=list(task_ids) or None, registry=registry(),
        license_filter=license_filter,
    )
    for task, why in report["license_excluded"].items():
        click.echo(f"left out {task}: {why}", err=True)
    rows = [(t, v["available"], v["drawn"]) for t, v in report["tasks"].items()]
    click.echo(table(rows, ["task", "available", "drawn"]))
    click.echo(f"{report['size']:,} samples written to {out} (composition in {out}.composition.json)", err=True)
