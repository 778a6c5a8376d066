"""medinst plugin for ManConCorpus (Alamri & Stevenson, 2016): claims from
clinical study abstracts, grouped by the clinical question of a systematic
review, that answer it yes or no (potentially contradictory claims)."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

READER_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "neutral_pairs": {
            "anyOf": [{"type": "integer", "minimum": 0}, {"const": "all"}],
            "default": 1000,
            "description": "how many cross-question (neutral) pairs to keep, chosen by SHA-256 of the pair; or \"all\"",
        },
    },
}


@hookimpl
def register_readers(register):
    register(
        "manconcorpus",
        "medinst_manconcorpus.reader:read_manconcorpus",
        description="ManConCorpus XML (REVIEW/CLAIM with QUESTION and ASSERTION YS|NO), read as claim pairs",
        record_kind="te",
        options_schema=READER_OPTIONS,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
