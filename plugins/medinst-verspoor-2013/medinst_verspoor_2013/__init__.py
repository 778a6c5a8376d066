"""medinst plugin for Verspoor-2013 (HVP variome corpus): NER, RE tasks read with the core brat reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl


@hookimpl
def register_tasks(register):
    register(Path(__file__).resolve().parent / "tasks")
