"""medinst plugin for BIOSSES (Soğancıoğlu et al., 2017): 100 sentence pairs
from biomedical articles, each scored 0-4 by five annotators."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "biosses",
        "medinst_biosses.reader:read_biosses",
        description="BIOSSES: the official Word tables or the annotation_pairs_scores.tsv conversion",
        record_kind="pairs",
        options_schema={"type": "object", "additionalProperties": False, "properties": {}},
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
