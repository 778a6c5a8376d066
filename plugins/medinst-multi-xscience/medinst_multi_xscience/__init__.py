"""medinst plugin for Multi-XScience (Lu, Dong & Charlin, 2020): write the
related-work section of a paper from its abstract and the abstracts of the
papers it cites."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "multi_xscience",
        "medinst_multi_xscience.reader:read_multi_xscience",
        description="Multi-XScience: JSON arrays of papers (train/val/test.json, gzipped or not), streamed",
        record_kind="t2t",
        options_schema={
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "keep_empty_references": {
                    "type": "boolean",
                    "description": "keep cited papers whose abstract is empty (default false)",
                },
                "cite_keys": {
                    "type": "boolean",
                    "description": "label each cited abstract with its @cite_N key (default true)",
                },
            },
        },
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
