"""medinst plugin for the NCBI disease corpus (Doğan, Leaman & Lu, 2014): 793 PubMed
abstracts with disease mentions linked to MeSH and OMIM."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
