"""medinst plugin for MedMentions (Mohan & Li, AKBC 2019): 4,392 PubMed abstracts with every mention of a
UMLS 2017AA concept annotated, in one PubTator file split by three PMID lists."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
