from __future__ import annotations

import click

from ._common import echo_json, registry


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include the core's built-in default plugins.")
def plugins(show_all: bool) -> None:
    """List installed plugins as JSON: name, version, hooks, tasks, error."""
    reg = registry(listing=True)
    echo_json([info.as_dict() for info in reg.plugins.values() if show_all or not info.builtin])
