"""medinst plugin for the CHEMDNER corpus (Krallinger et al., J Cheminform 2015): 10,000 PubMed abstracts with
chemical mentions (3,500 training, 3,500 development, 3,000 evaluation), read from the BioC XML release of the
BioCreative VII NLM-Chem track or from the original BioCreative IV files."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "chemdner",
        "medinst_chemdner.reader:read_chemdner",
        description="CHEMDNER: the BioC XML release, or the original BioCreative IV abstracts and annotations files",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "bioc_xml": {**reader_options("bioc_xml"), "default": {},
                             "description": "options of the bioc_xml reader, for the BioC XML release"},
                "offset_check": {"enum": ["error", "warn"], "default": "error",
                                 "description": "original files: a mention whose text is not the text at its offsets "
                                                "is an error, or a counted warning (kept as annotated)"},
                "tsv_type": {"type": "string", "default": "Chemical",
                             "description": "original files: the type of every mention, or 'class' for its SACEM class"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
