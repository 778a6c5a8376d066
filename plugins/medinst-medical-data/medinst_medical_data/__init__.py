"""medinst plugin for Medical-Data (Kaggle 'Sentiment Analysis for Medical Drugs'): drug sentiment in patient texts."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
