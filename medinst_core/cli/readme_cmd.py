from __future__ import annotations

import sys

import click

from ..readme import update


@click.command()
@click.argument("plugin_dirs", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False))
@click.option("--check", is_flag=True, help="Only check; exit 1 if a table differs from the manifests.")
@click.option("--json", "as_json", is_flag=True, help="Print the folders checked and those whose table differed as JSON.")
def readme(plugin_dirs: tuple[str, ...], check: bool, as_json: bool) -> None:
    """Write the task table of each plugin folder's README.md from its manifests
    (between the lines <!-- BEGIN medinst tasks --> and <!-- END medinst tasks -->)."""
    stale = []
    for folder in plugin_dirs:
        if not update(folder, check=check):
            stale.append(folder)
            if not as_json:
                click.echo(f"{'stale' if check else 'updated'}  {folder}/README.md")
    if as_json:
        from ._common import echo_json

        echo_json({"checked": list(plugin_dirs), "check": check, ("stale" if check else "updated"): stale})
    if check and stale:
        click.echo(f"{len(stale)} README task table(s) differ from the manifests: run `medinst readme {' '.join(stale)}`", err=True)
        sys.exit(1)
