"""medinst plugin for the GNormPlus corpus (Wei, Kao & Lu, BioMed Res Int 2015): the BioCreative II gene
normalization abstracts and the NLM IAT (gene indexing) abstracts re-annotated with genes, gene families and
protein domains, in BioC XML."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
