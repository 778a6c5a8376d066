from __future__ import annotations

import sys

import click

from ..errors import UsageError
from ..pipeline import VALIDATE_MODES, SplitStats
from ..pipeline import build as run_build
from ._common import registry, table
from ._licence import license_options, report_left_out


@click.command()
@click.argument("task_ids", nargs=-1)
@click.option("--all", "all_tasks", is_flag=True, help="Build every installed task.")
@click.option("--suite", help="Build the tasks of a suite, e.g. medinst32.")
@click.option("--category", help="Only tasks of this category.")
@click.option(
    "--data-dir", type=click.Path(file_okay=False), envvar="MEDINST_DATA",
    help="Folder holding the unpacked downloads (searched recursively). Default: $MEDINST_DATA.",
)
@click.option("--bundled", is_flag=True, help="Use the small native-format samples shipped in each plugin.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--split", "splits", multiple=True, type=click.Choice(["train", "dev", "test"]), help="Only these splits.")
@click.option("--limit", type=click.IntRange(min=1), help="At most N samples per split.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Build task splits in parallel processes (largest inputs first).")
@click.option("--validate", "validate_mode", type=click.Choice(VALIDATE_MODES), default="fast", show_default=True,
              help="fast: type check of every sample's input and output, the whole sample against the JSON Schema "
              "for the first 200 of each split; full: JSON Schema on every sample; none: no check.")
@click.option("--follow-symlinks", is_flag=True,
              help="Follow symbolic links under --data-dir that point out of it (by default only links inside it are followed).")
@license_options
def build(task_ids, all_tasks, suite, category, data_dir, bundled, out, splits, limit, jobs, validate_mode, follow_symlinks,
          license_filter) -> None:
    """Build instruction samples: <OUT>/<task>/<split>.jsonl plus <OUT>/build.json."""
    reg = registry()
    if bundled and data_dir and "--data-dir" in sys.argv:
        raise UsageError("give either --data-dir or --bundled, not both")
    if not bundled and not data_dir:
        raise UsageError("give --data-dir DIR (or set MEDINST_DATA) or --bundled")
    if not (task_ids or all_tasks or suite or category):
        raise UsageError("name the tasks to build, or use --all, --suite or --category")
    tasks = reg.select_tasks(task_ids, category=category, suite=suite)
    tasks, dropped = license_filter.split(tasks)
    report_left_out(dropped)
    if not tasks:
        raise UsageError("no task selected" + (" (the licence filters left out every task)" if dropped else ""))

    interactive = sys.stderr.isatty()

    def progress(stats: SplitStats) -> None:
        click.echo(f"\r  {stats.task} {stats.split}: {stats.samples:,} samples", nl=False, err=True)

    def done(stats: SplitStats) -> None:
        if interactive:
            status = "FAILED" if stats.error else f"{stats.samples:,} samples"
            click.echo(f"\r  {stats.task} {stats.split}: {status}".ljust(70), err=True)

    result = run_build(
        tasks, out, data_dir=None if bundled else data_dir, bundled=bundled, splits=list(splits) or None,
        limit=limit, validate=validate_mode, jobs=jobs, registry=reg, follow_symlinks=follow_symlinks,
        progress=progress if interactive else None, on_split_done=done,
    )
    rows = []
    for s in sorted(result.splits, key=lambda s: (s.task, ("train", "dev", "test").index(s.split))):
        if s.error:
            continue
        warnings = sum(w["count"] for w in s.warnings.values())
        rows.append((s.task, s.split, s.records, s.samples, s.dropped_empty, warnings, f"{s.elapsed:.2f}"))
    if rows:
        click.echo(table(rows, ["task", "split", "records", "samples", "dropped", "warnings", "seconds"]))
    for task, split, reason in result.skipped:
        click.echo(f"skipped {task} {split}: {reason}", err=True)
    for task, split, error in result.failed:
        click.echo(f"FAILED {task} {split}: {error}", err=True)
    total = sum(s.samples for s in result.splits if not s.error)
    click.echo(f"{total:,} samples written to {out} in {result.elapsed:.1f}s", err=True)
    if result.failed:
        sys.exit(1)
