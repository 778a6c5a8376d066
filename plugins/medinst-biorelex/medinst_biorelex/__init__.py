"""medinst plugin for BioRelEx 1.0 (Khachatrian et al., 2019): 2,010 sentences
describing binding interactions between biological entities, with every
entity mention, its type and grounding, coreference between the names of an
entity, and the interactions, read from the release's JSON files with the
plugin's ``biorelex_json`` reader."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

OPTIONS_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "offset_check": {
            "enum": ["error", "warn"],
            "default": "error",
            "description": "a mention whose name differs from the sentence at its offsets is an error or a counted warning",
        },
    },
}


@hookimpl
def register_readers(register):
    register("biorelex_json", "medinst_biorelex.reader:read_biorelex", record_kind="kb", options_schema=OPTIONS_SCHEMA,
             description="BioRelEx 1.0 JSON release files (sentences with entities, names, mentions, grounding, interactions)")


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
