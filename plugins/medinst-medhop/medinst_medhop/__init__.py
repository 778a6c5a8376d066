"""medinst plugin for MedHop (Welbl, Stenetorp and Riedel, TACL 2018): multi-hop questions on drug-drug
interactions answered from several Medline abstracts (part of QAngaroo)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
