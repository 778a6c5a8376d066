"""medinst plugin for the BioCreative II gene mention corpus (Smith et al., 2008): 20,000 MEDLINE
sentences with gene and protein mentions, read from the CoNLL/IOB conversion and from the official
sentence and GENE.eval files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
