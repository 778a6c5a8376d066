"""The ``medinst`` command line.

Each verb lives in its own module of this package and is imported only when it
is run, so ``medinst --help`` and ``medinst tasks`` start quickly.  To add a
verb, write ``medinst_core/cli/<verb>.py`` defining a click command and add one
line to :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib

import click

from .._version import __version__
from ..envvars import switch

#: verb -> ("module:attribute" of its click command, one-line help for --help)
COMMANDS: dict[str, tuple[str, str]] = {
    "plugins": ("medinst_core.cli.plugins_cmd:plugins", "List installed plugins as JSON."),
    "tasks": ("medinst_core.cli.tasks_cmd:tasks", "List the installed tasks; `tasks show ID` for one."),
    "validate": ("medinst_core.cli.validate_cmd:validate", "Validate manifests and build the bundled samples."),
    "schema": ("medinst_core.cli.schema_cmd:schema", "Print a JSON Schema."),
    "build": ("medinst_core.cli.build_cmd:build", "Build instruction samples from the native files."),
    "evaluate": ("medinst_core.cli.evaluate_cmd:evaluate", "Score predictions with each task's metrics."),
    "new-plugin": ("medinst_core.cli.new_plugin_cmd:new_plugin", "Write a new dataset plugin folder."),
    "suite": ("medinst_core.cli.suite_cmd:suite", "Build a benchmark suite's test sets; check contamination."),
    "mix": ("medinst_core.cli.mix_cmd:mix", "Draw a training mixture from the training splits."),
    "predict": ("medinst_core.cli.predict_cmd:predict", "Run a model through an OpenAI-compatible API."),
    "report": ("medinst_core.cli.report_cmd:report", "Compare results files side by side."),
    "data": ("medinst_core.cli.data_cmd:data", "Show which source files are present; download the open ones."),
    "export": ("medinst_core.cli.export_cmd:export", "Export samples as chat JSONL, alpaca, Parquet or a HF dataset."),
    "readme": ("medinst_core.cli.readme_cmd:readme", "Write a plugin README's task table from its manifests."),
}


def _quiet_signals() -> None:
    """A write beyond the file-size limit (``ulimit -f``) raises an OSError
    (EFBIG) reported as one line, instead of SIGXFSZ killing the process with a
    core dump and leaving its temporary files behind."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        try:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        except (ValueError, OSError):  # not the main thread
            pass


class LazyGroup(click.Group):
    """Imports a verb's module only when that verb runs, and turns
    :class:`~medinst_core.errors.MedinstError` and the errors the environment
    causes (a full disk, a file-size limit, permissions, memory) into one line
    on stderr with a non-zero status; ``--debug`` shows the traceback."""

    def invoke(self, ctx: click.Context):
        from ..errors import MedinstError, describe_os_error

        _quiet_signals()

        def debug() -> bool:  # --debug is known once the group's callback ran
            return bool((ctx.obj or {}).get("debug") or switch("MEDINST_DEBUG"))

        try:
            return super().invoke(ctx)
        except MedinstError as exc:
            if debug():
                raise
            click.echo(f"Error: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except OSError as exc:
            if debug():
                raise
            click.echo(f"Error: {describe_os_error(exc)}", err=True)
            ctx.exit(1)
        except MemoryError:
            if debug():
                raise
            click.echo("Error: out of memory (an input line or file may be far larger than expected)", err=True)
            ctx.exit(1)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, _, attr = COMMANDS[name][0].partition(":")
        return getattr(importlib.import_module(module), attr)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # the one-line help comes from COMMANDS, so --help imports no verb module
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="medinst")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Build instruction-tuning and evaluation data from biomedical datasets."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
