"""medinst plugin for the LINNAEUS species corpus (Gerner, Nenadic & Bergman, 2010): 100 PMC full-text
articles with species mentions linked to NCBI Taxonomy, read from the original txt/ + tags.tsv release
and from the CoNLL/IOB conversion."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    from .reader import OPTIONS_SCHEMA

    register(
        "linnaeus_tags",
        "medinst_linnaeus.reader:read_linnaeus_tags",
        description="LINNAEUS txt/<document>.txt files with the tags.tsv standoff of species mentions",
        record_kind="kb",
        options_schema=OPTIONS_SCHEMA,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
