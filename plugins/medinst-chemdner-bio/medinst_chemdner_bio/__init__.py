"""medinst plugin for the CHEMDNER corpus of BioCreative IV (Krallinger et al., 2015) in its CoNLL/IOB
conversion BC4CHEMD: 10,000 PubMed abstracts with chemical and drug mentions, one sentence a unit."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
