"""medinst plugin for MeDAL (Wen, Lu & Reddy, 2020): PubMed abstracts in which
one abbreviation is to be expanded into the long form it stands for."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
