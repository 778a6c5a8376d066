"""medinst plugin for the tmVar 2.0 corpus (Wei et al., Bioinformatics 2018): 158 PubMed abstracts with sequence
variant mentions normalized to dbSNP, one PubTator file with a seventh column of rs numbers."""

from pathlib import Path

from medinst_core import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    # plain data, cheap to import: the option schema of the core PubTator reader
    from medinst_core.default_plugins.readers import PUBTATOR_OPTIONS

    register(
        "tmvar2",
        "medinst_tmvar_v2.reader:read_tmvar2",
        description="tmVar 2.0 corpus (PubTator with an RSID column): variant mentions with their dbSNP links",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "pubtator": {**PUBTATOR_OPTIONS, "default": {}, "description": "options of the pubtator reader"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
