"""medinst plugin for PICO-Annotation (Zlabinger et al., 2020): 423 sentences of randomised controlled
trial abstracts with participant, intervention and outcome spans marked token by token by three experts."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
