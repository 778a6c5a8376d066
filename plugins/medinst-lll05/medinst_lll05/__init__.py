"""medinst plugin for LLL'05, the Learning Language in Logic 2005 genic
interaction extraction challenge (Nédellec, 2005): sentences from MEDLINE
abstracts on Bacillus subtilis transcription with agent and target genes or
proteins and the interactions between them, read with the core's ``lll``
reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
