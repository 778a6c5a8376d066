"""medinst plugin for the miRNA corpus (Bagewadi et al., 2014): 301 PubMed
abstracts with microRNA, gene/protein, disease and species mentions and
relation triggers, read from its unified PPI-style XML files (end-inclusive
offsets) with the core's ``ppi_xml`` reader at document level."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
