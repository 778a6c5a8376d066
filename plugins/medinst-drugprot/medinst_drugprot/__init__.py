"""medinst plugin for DrugProt (BioCreative VII track 1, Miranda et al., 2021):
PubMed abstracts with chemical and gene/protein mentions and 13 types of
drug-gene/protein relations, read from the corpus's abstracts, entities and
relations TSV files with the core's ``chemprot_tsv`` reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
