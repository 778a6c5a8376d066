"""medinst plugin for MLEE (Pyysalo et al., 2012): 262 PubMed abstracts on
angiogenesis annotated with entities, events across levels of biological
organization, relations and coreference, read from the standoff files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl


@hookimpl
def register_tasks(register):
    register(Path(__file__).resolve().parent / "tasks")
