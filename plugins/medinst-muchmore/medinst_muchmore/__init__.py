"""medinst plugin for the MuchMore Springer bilingual corpus: English and German medical abstracts from
Springer journals, annotated (automatically) with UMLS terms, concepts and semantic relations."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent

_OPTIONS = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "encoding": {"type": "string", "default": "iso-8859-1", "description": "text encoding of the files"},
    },
}


@hookimpl
def register_readers(register):
    register("muchmore_xml", "medinst_muchmore.reader:read_muchmore_xml", record_kind="kb", options_schema=_OPTIONS,
             description="MuchMore annotated abstracts (tokens, UMLS terms with concepts, semantic relations)")
    register("muchmore_pairs", "medinst_muchmore.reader:read_muchmore_pairs", record_kind="t2t",
             options_schema=_OPTIONS,
             description="MuchMore plain-text abstracts paired English-German by file name")


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
