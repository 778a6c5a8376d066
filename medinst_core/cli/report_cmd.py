from __future__ import annotations

import click

from ._common import registry


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--suite", help="Order rows by this suite, take its categories, count coverage against its tasks (e.g. medinst32).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv", "latex", "json"]), default="table", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON (the same as --format json).")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Multiply higher-is-better metrics (F1, EM, Rouge-L) by this, e.g. 100.")
@click.option("--digits", type=click.IntRange(min=0, max=10), help="Decimals shown (default 4, or 2 with --scale 100).")
@click.option("--common-only", is_flag=True, help="Only the tasks every results file has a value for.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of the terminal.")
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False),
              help="Also draw the category averages as grouped bars (.png, .svg or .pdf; needs medinst-core[plot]).")
def report(results, suite, fmt, as_json, scale, digits, common_only, out, plot_path) -> None:
    """Compare results files: task x model, category and overall averages, coverage.

    The table format fits the terminal ($COLUMNS, else its width): the
    category column is left out first, then the model columns wrapped."""
    from ..errors import UsageError
    from ..io import atomic_write
    from ..report import build_report, plot, render
    from ..tables import terminal_width

    if as_json:
        if fmt not in ("table", "json"):
            raise UsageError(f"give either --json or --format {fmt}, not both")
        fmt = "json"

    reg = registry()
    rep = build_report(
        list(results),
        suite=reg.suite(suite) if suite else None,
        categories={t.id: t.category for t in reg.tasks.values()},
        directions={name: m.higher_is_better for name, m in reg.metrics.items()},
        scale=scale,
        common_only=common_only,
    )
    for warning in rep.warnings:
        click.echo(f"warning: {warning}", err=True)
    text = render(rep, fmt, digits=digits, width=None if out else terminal_width())
    if out:
        with atomic_write(out) as f:
            f.write(text.encode())
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
    if plot_path:
        plot(rep, plot_path)
        click.echo(f"wrote {plot_path}", err=True)
