"""medinst plugin for the Hallmarks of Cancer corpus (Baker et al., 2016):
PubMed abstracts whose sentences are labelled with the hallmarks of cancer
they discuss (zero or more of ten)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

READER_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "blocks": {
            "type": "array",
            "items": {"type": "integer", "minimum": 1},
            "description": "sentence counts of leading blocks of whole documents (see the reader documentation)",
        },
        "order": {
            "enum": ["sha256", "pmid"],
            "description": "document order: by the SHA-256 of the PMID (default) or by PMID as a number",
        },
        "hierarchy": {
            "enum": ["top", "full"],
            "description": "keep the top-level hallmark of each label (default) or the whole '--' path",
        },
        "lowercase": {"type": "boolean", "description": "lower-case the labels (default true)"},
    },
}


@hookimpl
def register_readers(register):
    register(
        "hallmarks_of_cancer",
        "medinst_hallmarks_of_cancer.reader:read_hallmarks_of_cancer",
        description="Hallmarks of Cancer: text/<PMID>.txt (one sentence a line) with labels/<PMID>.txt",
        record_kind="text",
        options_schema=READER_OPTIONS,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
