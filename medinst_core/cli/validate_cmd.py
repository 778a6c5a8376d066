from __future__ import annotations

import sys

import click

from ..validate import check_paths, check_task
from ._common import echo_json, registry


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--no-run", is_flag=True, help="Only check manifests; do not build the bundled samples.")
@click.option("--json", "as_json", is_flag=True, help="Print the checks as JSON on stdout.")
def validate(paths: tuple[str, ...], no_run: bool, as_json: bool) -> None:
    """Validate installed task manifests (or the given manifest files / plugin
    folders) and run each task on its plugin's bundled samples.

    Exits with status 1 if anything fails, naming the file and JSON pointer."""
    reg = registry()
    failures = 0
    if paths:
        checks = check_paths(paths, reg, run=not no_run)
    else:
        checks = [check_task(reg.tasks[t], reg, run=not no_run) for t in sorted(reg.tasks)]
        for plugin, message in reg.problems:
            failures += 1
            if not as_json:
                click.echo(f"FAIL  plugin {plugin}: {message}")
    if as_json:
        failures += sum(1 for c in checks if not c.ok)
        echo_json({
            "ok": not failures, "checked": len(checks), "problems": failures,
            "plugin_problems": [{"plugin": p, "error": m} for p, m in (reg.problems if not paths else [])],
            "tasks": [{"task": c.task, "where": str(c.where), "ok": c.ok, "errors": c.errors, "samples": c.samples}
                      for c in checks],
        })
        sys.exit(1 if failures else 0)
    for check in checks:
        if check.ok:
            counts = ", ".join(f"{s} {n}" for s, n in check.samples.items())
            click.echo(f"ok    {check.task}" + (f"  ({counts} samples)" if counts else ""))
        else:
            failures += 1
            click.echo(f"FAIL  {check.task}")
            for err in check.errors:
                click.echo(f"      {err}")
    click.echo(f"{len(checks)} task(s) checked, {failures} problem(s)", err=True)
    if failures:
        sys.exit(1)
