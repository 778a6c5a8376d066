"""medinst plugin for the extended Anatomical Entity Mention corpus AnatEM (Pyysalo & Ananiadou, 2014):
1,212 PubMed abstracts and PMC full-text extracts with 12 types of anatomical entity mentions, read from
the CoNLL/IOB conversion and from the official standoff release."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
