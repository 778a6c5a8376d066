from __future__ import annotations

import click

from ..manifest import SCHEMA_NAMES, schema_text


@click.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print a JSON Schema: task, sample, record, predictions, predictions-meta, results or suite."""
    click.echo(schema_text(name).decode().rstrip("\n"))
