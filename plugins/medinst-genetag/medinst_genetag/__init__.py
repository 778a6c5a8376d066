"""medinst plugin for GENETAG (Tanabe et al., 2005): 20,000 tokenised MEDLINE sentences with gene and
protein names, read from the TOKENIZED_CORPUS and Gold.format files of the NCBI distribution."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
