"""medinst plugin for MayoSRS (Pakhomov et al., 2011): clinical term pairs rated 1-10 for relatedness."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
