"""medinst plugin for the SciELO parallel corpus (Soares et al., 2018): English-Spanish and English-Portuguese translation."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
