"""medinst plugin for SciFact (Wadden et al., 2020): expert-written scientific
claims checked against the abstracts of the papers they cite."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

READER_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "neutral": {
            "enum": ["first_cited", "all_cited", "none"],
            "default": "first_cited",
            "description": "which cited documents without evidence give NOINFO pairs (see the reader documentation)",
        },
        "title": {"type": "boolean", "default": False, "description": "put the document's title before its abstract"},
    },
}


@hookimpl
def register_readers(register):
    register(
        "scifact",
        "medinst_scifact.reader:read_scifact",
        description="SciFact claims (claims_*.jsonl) paired with the abstracts of corpus.jsonl",
        record_kind="te",
        options_schema=READER_OPTIONS,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
