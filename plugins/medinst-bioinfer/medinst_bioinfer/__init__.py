"""medinst plugin for BioInfer (Pyysalo et al., 2007): 1,100 sentences from
PubMed abstracts with protein, gene and RNA mentions and the interactions
between them, read from the unified protein-protein interaction XML files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    from .options import OPTIONS_SCHEMA

    register(
        "bioinfer_xml",
        "medinst_bioinfer.reader:read_bioinfer_xml",
        description="unified PPI XML (corpus/document/sentence/entity/interaction), one record per sentence",
        record_kind="kb",
        options_schema=OPTIONS_SCHEMA,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
