"""medinst plugin for the OSIRIS v1.2 corpus (Furlong et al., 2008): 105 PubMed abstracts with gene and
sequence variant mentions tagged inline, linked to NCBI Gene, dbSNP or a normalised variant form."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
