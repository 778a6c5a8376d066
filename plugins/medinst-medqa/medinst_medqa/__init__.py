"""medinst plugin for MedQA (Jin et al., 2021): multiple-choice questions from
medical licensing exams; this plugin reads the English (USMLE) part."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
