"""medinst plugin for TwADR-L (Limsopatham & Collier, 2016): 5,074 phrases from tweets describing adverse
drug reactions, each mapped to its SIDER 4 concept, in ten train/validation/test folds."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
