"""medinst plugin for EHR-Rel (Schulz et al., 2020): clinical concept pairs rated 0-3 for relatedness by doctors."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
