"""medinst plugin for the BioCreative V CDR corpus (Li et al., 2016): 1,500 PubMed
abstracts with chemical and disease mentions linked to MeSH and chemical-induced-disease relations."""

from pathlib import Path

from medinst_core import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
