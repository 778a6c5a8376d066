"""medinst plugin for the SCAI chemicals test corpus (Kolářik et al., 2008): 100 MEDLINE abstracts with
chemical names of eight classes, read from the distribution's IOB file with offsets and ### document lines."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
