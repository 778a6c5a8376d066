"""medinst plugin for EBM-NLP 2.00 (Nye et al., 2018): 4,993 PubMed abstracts of randomised controlled
trials with participant, intervention and outcome spans and their detailed labels, one label per token."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
