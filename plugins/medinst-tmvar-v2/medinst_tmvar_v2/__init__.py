"""medinst plugin for the tmVar 2.0 corpus (Wei et al., Bioinformatics 2018): 158 PubMed abstracts with sequence
variant mentions normalized to dbSNP, one PubTator file with a seventh column of rs numbers."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "tmvar_v2",
        "medinst_tmvar_v2.reader:read_tmvar2",
        description="tmVar 2.0 corpus (PubTator with an RSID column): variant mentions with their dbSNP links",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "pubtator": {**reader_options("pubtator"), "default": {}, "description": "options of the pubtator reader"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
