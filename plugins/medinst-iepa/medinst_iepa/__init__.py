"""medinst plugin for IEPA (Ding et al., 2002): 486 sentences from 303 PubMed
abstracts, each mentioning two or more of ten biochemical concepts, with the
interactions between them, read from the unified PPI XML files with the core's
``ppi_xml`` reader at document level."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
