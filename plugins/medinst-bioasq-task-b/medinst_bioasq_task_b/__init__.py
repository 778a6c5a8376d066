"""medinst plugin for BioASQ Task B (Tsatsaronis et al., 2015): biomedical
questions of four types (yes/no, factoid, list, summary) with the PubMed
snippets experts marked as relevant and their exact and ideal answers."""

from pathlib import Path

from medinst_core.plugin_api import hookimpl, reader_options

HERE = Path(__file__).resolve().parent


@hookimpl
def register_readers(register):
    register(
        "bioasq_task_b_json",
        "medinst_bioasq_task_b.reader:read_bioasq",
        description="BioASQ Task B questions ({\"questions\": [...]}) mapped declaratively, list answers normalised",
        record_kind="any",
        options_schema=reader_options("jsonl"),
    )


@hookimpl
def register_tasks(register):
    register(HERE / "tasks")
