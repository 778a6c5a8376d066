from __future__ import annotations

import click

from ._common import registry


@click.command()
@click.argument("results", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@click.option("--suite", help="Order rows by this suite and add its category averages (e.g. medinst32).")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown", "csv"]), default="table", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False), help="Write to this file instead of the terminal.")
def report(results, suite, fmt, out) -> None:
    """Compare results files side by side: task x model, primary metric, category averages."""
    from ..io import atomic_write
    from ..report import comparison, render

    header, rows = comparison(list(results), suite=registry().suite(suite) if suite else None)
    text = render(header, rows, fmt)
    if out:
        with atomic_write(out) as f:
            f.write(text.encode())
        click.echo(f"wrote {out}", err=True)
    else:
        click.echo(text, nl=False)
