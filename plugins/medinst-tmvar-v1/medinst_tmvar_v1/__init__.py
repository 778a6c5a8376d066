"""medinst plugin for the tmVar corpus (Wei et al., Bioinformatics 2013): 500 PubMed abstracts with sequence
variant mentions (DNA and protein mutations, SNPs), in two PubTator files (334 training, 166 test abstracts)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
