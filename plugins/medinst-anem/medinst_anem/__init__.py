"""medinst plugin for AnEM (Ohta et al., 2012): 500 PubMed abstracts and PMC
full-text extracts annotated with anatomical entity mentions, part-of
relations and coreference, read from the BRAT standoff files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl


@hookimpl
def register_tasks(register):
    register(Path(__file__).resolve().parent / "tasks")
