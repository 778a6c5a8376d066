"""medinst plugin for BIOMRC (Pappas et al., BioNLP 2020): cloze-style machine reading comprehension on
PubMed abstracts, where the entity removed from an article's title is to be found among the
abstract's entities."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
