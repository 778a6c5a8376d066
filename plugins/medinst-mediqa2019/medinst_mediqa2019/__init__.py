"""medinst plugin for MEDIQA 2019 (Ben Abacha et al., 2019): recognising question entailment (Task 2,
RQE) and consumer health question answering (Task 3, QA)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
