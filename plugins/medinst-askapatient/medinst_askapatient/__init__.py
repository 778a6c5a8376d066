"""medinst plugin for AskAPatient (Limsopatham & Collier, 2016): 17,324 phrases from patients' drug reviews
on askapatient.com, each mapped to the SNOMED CT or AMT concept it names, in ten train/validation/test folds."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
