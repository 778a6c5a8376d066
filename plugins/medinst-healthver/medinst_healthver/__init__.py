"""medinst plugin for HealthVer (Sarrouti et al., 2021): COVID-19 health claims checked against evidence from scientific articles."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
