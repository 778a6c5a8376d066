"""medinst plugin for the TAC 2017 Adverse Drug Reaction corpus (SPL-ADR-200db, Demner-Fushman et al., 2018):
FDA Structured Product Labels with adverse reaction mentions, their relations and MedDRA normalisations."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

_LINK = {
    "type": "object",
    "additionalProperties": False,
    "required": ["attribute"],
    "properties": {"attribute": {"type": "string"}, "db_name": {"type": "string"}, "prefix": {"type": "string"}},
}


@hookimpl
def register_readers(register):
    register(
        "spl_adr_xml",
        "medinst_spl_adr.reader:read_spl_adr",
        description="TAC 2017 ADR drug-label XML: sections, mentions with comma-separated starts/lengths, "
                    "relations, reactions with MedDRA normalisations",
        record_kind="kb",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "links": {"type": "array", "items": _LINK,
                          "default": [{"attribute": "meddra_llt_id", "db_name": "MedDRA v18.1", "prefix": "llt_"}],
                          "description": "Normalization attributes that give links, with their database and id prefix"},
                "link_types": {"type": "array", "items": {"type": "string"}, "default": ["AdverseReaction"],
                               "description": "mention types linked to the reaction of the same string"},
                "match_case": {"type": "boolean", "default": False,
                               "description": "match mention and reaction strings with their case"},
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
