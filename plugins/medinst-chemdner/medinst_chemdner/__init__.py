"""medinst plugin for the CHEMDNER corpus (Krallinger et al., J Cheminform 2015): 10,000 PubMed abstracts with
chemical mentions (3,500 training, 3,500 development, 3,000 evaluation), in the BioC XML release of the
BioCreative VII NLM-Chem track."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
