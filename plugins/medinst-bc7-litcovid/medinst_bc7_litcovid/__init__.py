"""medinst plugin for BioCreative VII LitCovid (Chen et al., 2022): multi-label COVID-19 topic classification."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
