"""medinst plugin for FEVER (Thorne et al., NAACL 2018): claims checked against
sentences of the June 2017 Wikipedia dump distributed with the dataset."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

READER_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "evidence": {
            "enum": ["first_set", "all_sets"],
            "default": "first_set",
            "description": "which evidence sentences make the premise: those of the claim's first evidence set, "
                           "or every distinct sentence of all its sets",
        },
        "detokenize": {
            "type": "boolean",
            "default": True,
            "description": "write the dump's bracket and colon tokens (-LRB-, -RRB-, -LSB-, -RSB-, -LCB-, -RCB-, "
                           "-COLON-) as the characters they stand for",
        },
        "missing": {
            "enum": ["error", "skip"],
            "default": "error",
            "description": "an evidence sentence that is not in the wiki-pages files: an error naming the claim, "
                           "or left out of the premise (counted in build.json)",
        },
    },
}


@hookimpl
def register_readers(register):
    register("fever", "medinst_fever.reader:read_fever", record_kind="te", options_schema=READER_OPTIONS,
             description="FEVER claims (JSON Lines) with evidence sentences from the wiki-pages JSON Lines dump")


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
