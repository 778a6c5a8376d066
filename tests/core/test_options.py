"""Options declared once, in the schema a reader or formatter registers:
filled in from there, and shown by `medinst tasks show`."""

from __future__ import annotations

from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.default_plugins.readers import BRAT_OPTIONS, CSV_OPTIONS, TSV_OPTIONS
from medinst_core.options import describe, with_defaults


def test_defaults_fill_what_the_options_leave_unset():
    filled = with_defaults(BRAT_OPTIONS, {"offset_check": "warn"})
    assert filled["offset_check"] == "warn"
    assert filled["suffixes"] == [".a1", ".a2", ".ann", ".rel"]
    assert set(filled) == set(BRAT_OPTIONS["properties"])
    # a copy: changing the filled options changes neither the schema nor the manifest's options
    filled["suffixes"].append(".x")
    assert with_defaults(BRAT_OPTIONS, {})["suffixes"] == [".a1", ".a2", ".ann", ".rel"]
    assert with_defaults(None, {"a": 1}) == {"a": 1}
    assert with_defaults({"properties": {"a": {"default": 2}}}, None) == {"a": 2}


def test_csv_and_tsv_declare_their_own_delimiter_and_quoting():
    assert with_defaults(CSV_OPTIONS, {})["delimiter"] == ","
    assert with_defaults(TSV_OPTIONS, {})["delimiter"] == "\t"
    assert (with_defaults(CSV_OPTIONS, {})["quoting"], with_defaults(TSV_OPTIONS, {})["quoting"]) == ("minimal", "none")


def test_describe_lists_required_options_and_defaults():
    rows = {row[0]: row for row in describe(CSV_OPTIONS)}
    assert rows["record"][2] == "(required)"
    assert rows["delimiter"][2] == '","'
    assert rows["quoting"][1] == '"minimal" | "none"'
    assert rows["header"][3]


def test_tasks_show_prints_the_options_with_defaults_and_descriptions(medinst_register):
    from .helpers import TaskOnly, manifest

    task = manifest(id="toy.ner", category="NER", source={"reader": "brat", "options": {"offset_check": "warn"},
                                                          "splits": {"train": ["*.txt"]}},
                    formatter={"name": "ner_entities"}, metrics=["entity_f1"])
    medinst_register(TaskOnly(task), name="toy")
    result = CliRunner().invoke(main, ["tasks", "show", "toy.ner"])
    assert result.exit_code == 0, result.output
    assert "reader:        brat" in result.output
    [line] = [line for line in result.output.splitlines() if line.strip().startswith("offset_check")]
    assert '"warn"' in line and '"error"' in line and "a mention whose text differs" in line
    [line] = [line for line in result.output.splitlines() if line.strip().startswith("dedupe")]
    assert "false" in line and "one bracket per distinct" in line
