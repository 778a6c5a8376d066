"""medinst plugin for PubMedQA (Jin et al., 2019): yes/no/maybe questions
about PubMed abstracts, answered from the abstract without its conclusion."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent

READER_OPTIONS = reader_options("jsonl")
READER_OPTIONS["properties"]["official_order"] = {
    "type": "object",
    "additionalProperties": False,
    "description": "yield the entries in the order of PubMedQA's official shuffle (see the reader documentation)",
    "properties": {
        "seed": {"type": "integer", "default": 0},
        "shuffle": {"type": "string", "default": "ori_pqaa.json", "description": "fnmatch pattern of the files to shuffle"},
        "sequence": {
            "type": "array",
            "items": {"type": "string"},
            "description": "names of already shuffled files, read one after the other",
        },
    },
}
READER_OPTIONS["properties"]["original"] = {
    "type": "string",
    "description": "fnmatch pattern of the original file (ori_pqal.json): when a split's files include one, "
    "the other (derived split) files are skipped",
}


@hookimpl
def register_readers(register):
    register(
        "pubmedqa_json",
        "medinst_pubmedqa.reader:read_pubmedqa",
        description="PubMedQA JSON objects keyed by PMID, streamed, optionally in the official shuffled order of PQA-A",
        record_kind="any",
        options_schema=READER_OPTIONS,
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
