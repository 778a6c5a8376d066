"""medinst plugin for SciQ (Welbl, Liu and Gardner, 2017): crowdsourced multiple-choice science exam
questions with a supporting paragraph."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
