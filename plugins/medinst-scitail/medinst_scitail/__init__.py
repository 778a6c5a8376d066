"""medinst plugin for SciTail (Khot, Sabharwal and Clark, AAAI 2018): premise-hypothesis pairs built
from science exam questions and web sentences."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
