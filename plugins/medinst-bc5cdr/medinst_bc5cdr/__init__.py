"""medinst plugin for the BioCreative V CDR corpus (Li et al., 2016): 1,500 PubMed
abstracts with chemical and disease mentions linked to MeSH and chemical-induced-disease relations."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "bc5cdr",
        "medinst_bc5cdr.reader:read_cdr",
        description="BC5CDR: the official PubTator files (preferred) or the BioC XML files of the same archive",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "pubtator": {**reader_options("pubtator"), "description": "options of the pubtator reader"},
                "bioc_xml": {**reader_options("bioc_xml"), "description": "options of the bioc_xml reader"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
