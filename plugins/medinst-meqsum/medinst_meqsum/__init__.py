"""medinst plugin for MeQSum (Ben Abacha & Demner-Fushman, 2019): consumer health question summarisation."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
