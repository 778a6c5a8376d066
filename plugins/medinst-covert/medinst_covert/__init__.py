"""medinst plugin for CoVERt (Mohr, Wührl & Klinger, 2022): tweets about
COVID-19 with biomedical claims, fact-checked against evidence found online."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
