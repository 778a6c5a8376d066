"""medinst plugin for BioNLP-ST 2011 EPI: NER, EE and COREF tasks read from the BioNLP standoff files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl


@hookimpl
def register_tasks(register):
    register(Path(__file__).resolve().parent / "tasks")
