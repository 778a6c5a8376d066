"""medinst plugin for MedDialog-EN (Zeng et al., 2020): conversations between
patients and doctors; each utterance is classified by its speaker."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
