"""medinst plugin for CPI, the compound-protein interaction corpus of the
CPI-Pipeline (Döring et al., 2020): 2,613 sentences of PubMed abstracts with
compound and protein mentions normalised to PubChem and UniProt and the
compound-protein interactions between them, read from the unified PPI XML
file with the core's ``ppi_xml`` reader at document level."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
