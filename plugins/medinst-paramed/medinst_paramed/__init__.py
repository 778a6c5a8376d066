"""medinst plugin for ParaMed (Liu & Huang, 2021): sentence-aligned Chinese and
English articles of the New England Journal of Medicine, for zh->en translation."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
