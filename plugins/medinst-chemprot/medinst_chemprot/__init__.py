"""medinst plugin for ChemProt (BioCreative VI track 5, Krallinger et al., 2017):
2,432 PubMed abstracts with chemical and gene/protein mentions and the
chemical-protein relations between them, read from the corpus's abstracts,
entities and relations TSV files with the core's ``chemprot_tsv`` reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
