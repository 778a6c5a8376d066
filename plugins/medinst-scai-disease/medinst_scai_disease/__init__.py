"""medinst plugin for the SCAI disease and adverse effect corpus (Gurulingappa et al., 2010): 400 MEDLINE
abstracts with disease and adverse effect mentions, read from the distribution's IOB file with offsets and
### document lines."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
