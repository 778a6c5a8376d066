"""medinst plugin for GEOKhoj v1 (Elucidata): GEO sample metadata labelled control or perturbation."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
