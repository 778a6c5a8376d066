"""The phrase-normalisation table reader, and the tabular encoding option it relies on."""

from __future__ import annotations

import pytest

from medinst_core.default_plugins.formatters import FORMATTERS
from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.formatters.kb import ned as _ned
from medinst_core.options import with_defaults
from medinst_core.readers.phrases import read_phrase_table
from medinst_core.readers.tabular import read_tsv

from ._util import run


def ned(record, options, *args):
    """The ned formatter with its schema's defaults, as the pipeline calls it."""
    return _ned(record, with_defaults(FORMATTERS["ned"][3], options), *args)

OPTIONS = {
    "format": "tsv", "header": False, "columns": ["cui", "concept", "phrase"], "encoding": "latin-1",
    "fields": {"text": {"path": "phrase", "strip": True}, "db_id": {"path": "cui", "strip": True},
               "db_name": {"const": "SNOMED-CT|AMT"}},
}


def write(tmp_path, data: bytes, name="AskAPatient.fold-0.train.txt"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_rows_become_one_entity_records(tmp_path):
    path = write(tmp_path, "22298006\tmyocardial infarction\theart attack \r\n"
                           "271807003\trash\tskin went all blotchy and r\xf6d\n".encode("latin-1"))
    first, second = run(read_phrase_table, {"data": path}, OPTIONS)
    assert (first.id, first.text) == ("0", "heart attack")
    (entity,) = first.entities
    assert (entity.type, entity.text, entity.offsets) == ("phrase", ("heart attack",), ((0, 12),))
    assert [(n.db_name, n.db_id) for n in entity.normalized] == [("SNOMED-CT|AMT", "22298006")]
    assert second.text == "skin went all blotchy and röd"  # ISO-8859-1 decoded
    assert second.source.endswith(":2")
    assert next(ned(first, {})).output == "[heart attack <SNOMED-CT|AMT/22298006>]"


def test_several_ids_type_and_declared_id(tmp_path):
    path = write(tmp_path, b"id,cuis,text\nr1,C1|C2|C1,sore head\nr2,C3,\n", "table.csv")
    diagnostics = Diagnostics()
    options = {"format": "csv", "fields": {"id": "id", "text": "text", "db_id": {"path": "cuis", "split": "|"},
                                           "db_name": {"const": "UMLS"}, "type": {"const": "ADR"}}}
    (record,) = run(read_phrase_table, {"data": path}, options, diagnostics)
    assert record.id == "r1" and record.entities[0].type == "ADR"
    assert [n.db_id for n in record.entities[0].normalized] == ["C1", "C2"]  # repeated id once
    assert diagnostics.counts["phrase_table.empty_phrase"] == 1


def test_where_and_jsonl(tmp_path):
    path = write(tmp_path, b'{"p": "tired", "c": "C9", "ok": true}\n{"p": "dizzy", "c": "C8", "ok": false}\n', "t.jsonl")
    options = {"format": "jsonl", "where": {"ok": True}, "fields": {"text": "p", "db_id": "c"}}
    assert [r.text for r in run(read_phrase_table, {"data": path}, options)] == ["tired"]


def test_errors(tmp_path):
    path = write(tmp_path, b"C1\tconcept\tphrase\nC2\tonly two\n")
    with pytest.raises(SourceError, match=r"fold-0.train.txt:2.*expected 3 columns"):
        run(read_phrase_table, {"data": path}, OPTIONS)
    dup = write(tmp_path, b"a\tC1\tx\na\tC2\ty\n", "dup.tsv")
    options = {"header": False, "columns": ["id", "cui", "phrase"], "fields": {"id": "id", "text": "phrase", "db_id": "cui"}}
    with pytest.raises(SourceError, match=r"dup.tsv:2.*record id 'a' occurs twice"):
        run(read_phrase_table, {"data": dup}, options)
    with pytest.raises(ManifestError, match="needs the field 'db_id'"):
        run(read_phrase_table, {"data": dup}, {"fields": {"text": "phrase"}})
    with pytest.raises(ManifestError, match="no field 'label'"):
        run(read_phrase_table, {"data": dup}, {"fields": {"text": "phrase", "db_id": "cui", "label": "x"}})


def test_tabular_encoding_option(tmp_path):
    path = write(tmp_path, "a\tb\nna\xefve\tx\n".encode("latin-1"), "t.tsv")
    options = {"record": "text", "fields": {"text": "a", "labels": "b"}}
    with pytest.raises(SourceError, match="is not valid UTF-8"):
        run(read_tsv, {"data": path}, options)
    (record,) = run(read_tsv, {"data": path}, {**options, "encoding": "latin-1"})
    assert record.text == "naïve"
