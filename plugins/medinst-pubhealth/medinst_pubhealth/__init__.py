"""medinst plugin for PUBHEALTH (Kotonya and Toni, EMNLP 2020): public health claims from fact-checking
sites with journalists' explanations and veracity labels."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
