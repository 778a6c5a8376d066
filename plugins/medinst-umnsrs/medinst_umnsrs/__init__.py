"""medinst plugin for UMNSRS (Pakhomov et al., 2010): clinical term pairs rated for similarity and relatedness."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
