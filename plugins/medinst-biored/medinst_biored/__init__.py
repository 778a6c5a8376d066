"""medinst plugin for BioRED (Luo et al., 2022): 600 PubMed abstracts with six entity
types linked to databases and eight types of relations between concepts."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
