"""medinst plugin for NLM-Gene (Islamaj et al., J Biomed Inform 2021): 550 PubMed abstracts with gene mentions
linked to NCBI Gene, one BioC XML file per abstract and two PMID lists for the training and test sets."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
