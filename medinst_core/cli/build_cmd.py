from __future__ import annotations

import sys

import click

from ..errors import UsageError
from ..pipeline import VALIDATE_MODES, SplitStats
from ..pipeline import build as run_build
from ._common import echo_json, echo_table, registry
from ._licence import license_options, report_left_out
from ._report import echo_warnings


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
@click.option("--strict", is_flag=True, help="A split whose files are missing is an error (exit 1).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON on stdout.")
@license_options
# complexity above the limit: the verb's option checks and its three outputs (table, JSON, summary); to be split
def build(task_ids, all_tasks, suite, category, data_dir, bundled, out, splits, limit, jobs, validate_mode,  # noqa: C901
          follow_symlinks, strict, as_json, license_filter) -> None:
    """Build instruction samples: <OUT>/<task>/<split>.jsonl plus <OUT>/build.json.

    Exit status: 0 when every split asked for was built or is missing only
    because its files are absent, 1 when a split failed (or, with --strict,
    when one is missing), 2 on a usage error."""
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

    from ._progress import Progress

    total_units = sum(1 for t in tasks for s in t.splits if not splits or s in splits)
    bar = Progress("building", total=total_units, unit="split", enabled=not as_json)

    def progress(stats: SplitStats) -> None:
        bar.note(f"{stats.task} {stats.split}: {stats.samples:,} samples")

    def done(stats: SplitStats) -> None:
        bar.advance(1, f"{stats.task} {stats.split}")

    with bar:
        result = run_build(
            tasks, out, data_dir=None if bundled else data_dir, bundled=bundled, splits=list(splits) or None,
            limit=limit, validate=validate_mode, jobs=jobs, registry=reg, follow_symlinks=follow_symlinks,
            progress=progress if bar.active else None, on_split_done=done,
        )
    failed = bool(result.failed) or (strict and bool(result.missing))
    if as_json:
        echo_json({**result.as_dict(), "strict": strict, "ok": not failed})
        sys.exit(1 if failed else 0)
    order = ("train", "dev", "test")
    rows = []
    for s in sorted(result.built, key=lambda s: (s.task, order.index(s.split))):
        warnings = sum(w["count"] for w in s.warnings.values())
        rows.append((s.task, s.split, s.records, s.samples, s.dropped_empty, warnings, f"{s.elapsed:.2f}"))
    if rows:
        echo_table(rows, ["task", "split", "records", "samples", "dropped", "warnings", "seconds"],
                   drop=["seconds", "dropped", "records", "warnings"], shrink=["task"], keep=2)
    echo_warnings((f"{s.task} {s.split}", s.warnings) for s in result.built)
    for s in result.built:
        if s.samples == 0:
            click.echo(f"empty {s.task} {s.split}: 0 samples written ({s.records:,} records read)", err=True)
    for task, split, reason in result.skipped:
        click.echo(f"skipped {task} {split}: {reason}", err=True)
    for task, split, reason in result.missing:
        click.echo(f"{'MISSING' if strict else 'missing'} {task} {split}: {reason}", err=True)
    for task, split, error in result.failed:
        click.echo(f"FAILED {task} {split}: {error}", err=True)
    total = sum(s.samples for s in result.built)
    asked = len(result.built) + len(result.missing) + len(result.failed) + len(result.skipped)
    parts = [f"{len(result.built)} built", f"{len(result.missing)} missing", f"{len(result.failed)} failed"]
    if result.skipped:
        parts.append(f"{len(result.skipped)} skipped")
    click.echo(
        f"{asked} split(s): {', '.join(parts)}; {total:,} samples written to {out} in {result.elapsed:.1f}s", err=True
    )
    if strict and result.missing and not result.failed:
        click.echo("--strict: missing splits count as errors", err=True)
    if failed:
        sys.exit(1)
