"""medinst plugin for NLM-Chem (Islamaj et al., Scientific Data 2021): 150 full-text PMC articles with chemical
mentions linked to MeSH, as the BioCreative VII track 2 BioC XML files (80 training, 20 development, 50 test)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
