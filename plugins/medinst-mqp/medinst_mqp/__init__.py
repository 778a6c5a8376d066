"""medinst plugin for Medical Question Pairs (McCreery et al., 2020): patient question pairs labelled similar or not."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
