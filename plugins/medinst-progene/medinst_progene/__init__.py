"""medinst plugin for ProGene (Faessler et al., 2020): 3,308 MEDLINE abstracts with protein and gene
mentions, read from the CoNLL files of the distribution's cross-validation folds."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
