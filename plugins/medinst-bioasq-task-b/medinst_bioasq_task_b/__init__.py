"""medinst plugin for BioASQ Task B (Tsatsaronis et al., 2015): biomedical
questions of four types (yes/no, factoid, list, summary) with the PubMed
snippets experts marked as relevant and their exact and ideal answers."""

from pathlib import Path

from medinst_core import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
