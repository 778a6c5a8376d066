"""medinst plugin for BioInfer (Pyysalo et al., 2007): 1,100 sentences from
PubMed abstracts with protein, gene and RNA mentions and the interactions
between them, read from the unified protein-protein interaction XML files
with the core's ``ppi_xml`` reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
