"""medinst plugin for the GENIA term corpus 3.02 (Kim et al., 2003): 2,000 MEDLINE abstracts whose
biomedical terms are marked up inline with their GENIA ontology class, nested terms included."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
