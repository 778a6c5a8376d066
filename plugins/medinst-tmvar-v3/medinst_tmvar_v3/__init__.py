"""medinst plugin for the tmVar 3.0 corpus (Wei et al., 2022): 500 PubMed abstracts
with sequence variant, gene, species and cell line mentions and their normalizations."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "tmvar_v3",
        "medinst_tmvar_v3.reader:read_tmvar3",
        description="tmVar 3.0 corpus (PubTator) with variant identifiers mapped to tmVar, dbSNP and NCBI Gene links",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "pubtator": {**reader_options("pubtator"), "description": "options of the pubtator reader"},
                "variant_types": {"type": "array", "items": {"type": "string"},
                                  "description": "entity types whose identifiers are variant identifiers"},
                "databases": {"type": "object", "additionalProperties": {"type": "string"},
                              "description": "identifier kind (prefix, '' for a bare tmVar id) -> database name shown; "
                                             "kinds not listed are dropped"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
