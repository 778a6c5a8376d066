"""The ``medinst`` command line.

Each verb lives in its own module of this package and is imported only when it
is run, so ``medinst --help`` and ``medinst tasks`` start quickly.  To add a
verb, write ``medinst_core/cli/<verb>.py`` defining a click command and add one
line to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
import os

import click

from .. import __version__

#: verb -> "module:attribute" of its click command
COMMANDS: dict[str, str] = {
    "plugins": "medinst_core.cli.plugins_cmd:plugins",
    "tasks": "medinst_core.cli.tasks_cmd:tasks",
    "validate": "medinst_core.cli.validate_cmd:validate",
    "schema": "medinst_core.cli.schema_cmd:schema",
    "build": "medinst_core.cli.build_cmd:build",
    "evaluate": "medinst_core.cli.evaluate_cmd:evaluate",
    "new-plugin": "medinst_core.cli.new_plugin_cmd:new_plugin",
    "suite": "medinst_core.cli.suite_cmd:suite",
    "mix": "medinst_core.cli.mix_cmd:mix",
    "predict": "medinst_core.cli.predict_cmd:predict",
    "report": "medinst_core.cli.report_cmd:report",
}


class LazyGroup(click.Group):
    """Imports a verb's module only when that verb runs, and turns
    :class:`~medinst_core.errors.MedinstError` into one line on stderr."""

    def invoke(self, ctx: click.Context):
        from ..errors import MedinstError

        try:
            return super().invoke(ctx)
        except MedinstError as exc:
            if (ctx.obj or {}).get("debug") or os.environ.get("MEDINST_DEBUG"):
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medinst")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build instruction-tuning and evaluation data from biomedical datasets."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
