"""medinst plugin for Evidence Inference 2.0 (DeYoung et al., BioNLP 2020): prompts (intervention,
comparator, outcome) about randomised controlled trial reports, answered with the reported effect
and the evidence for it."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
