"""medinst plugin for HPRD50 (Fundel et al., 2007): 50 PubMed abstracts cited by
the Human Protein Reference Database, with protein mentions normalised to HPRD
and the protein-protein interactions between them, read from the unified PPI
XML files with the core's ``ppi_xml`` reader at document level."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
