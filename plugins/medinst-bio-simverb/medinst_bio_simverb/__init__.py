"""medinst plugin for Bio-SimVerb (Chiu et al., 2018): biomedical word pairs rated 0-10 for similarity."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
