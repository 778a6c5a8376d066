"""medinst plugin for the Biology How/Why Corpus (Jansen, Surdeanu and Clark, ACL 2014): how and why
questions on biology with gold answer passages from an undergraduate textbook."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
