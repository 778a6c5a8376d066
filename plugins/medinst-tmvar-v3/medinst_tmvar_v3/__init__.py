"""medinst plugin for the tmVar 3.0 corpus (Wei et al., 2022): 500 PubMed abstracts
with sequence variant, gene, species and cell line mentions and their normalizations."""

from pathlib import Path

from medinst_core import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
