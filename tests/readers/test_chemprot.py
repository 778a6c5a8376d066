"""chemprot_tsv reader (ChemProt and DrugProt abstracts / entities / relations TSV files): hand-written files."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.chemprot import read_chemprot_tsv

from ._util import run

ABSTRACTS = "1\tAspirin blocks COX-1.\tIn platelets aspirin acetylates COX-1 and spares β-actin.\n2\tNo genes.\tWater only.\n"
ENTITIES = ("1\tT1\tCHEMICAL\t0\t7\tAspirin\n1\tT2\tGENE-Y\t15\t20\tCOX-1\n1\tT3\tCHEMICAL\t35\t42\taspirin\n"
            "1\tT4\tGENE-Y\t54\t59\tCOX-1\n1\tT5\tGENE-N\t71\t78\tβ-actin\n2\tT1\tCHEMICAL\t10\t15\tWater\n")
CHEMPROT_RELATIONS = ("1\tCPR:4\tY \tINHIBITOR\tArg1:T1\tArg2:T2\n1\tCPR:2\tN \tDIRECT-REGULATOR\tArg1:T3\tArg2:T4\n"
                      "1\tCPR:10\tN \tNOT\tArg1:T3\tArg2:T5\n")
DRUGPROT_RELATIONS = "1\tINHIBITOR\tArg1:T1\tArg2:T2\n1\tDIRECT-REGULATOR\tArg1:T3\tArg2:T4\n"


def files(tmp_path: Path, abstracts=ABSTRACTS, entities=ENTITIES, relations=CHEMPROT_RELATIONS) -> dict:
    roles = {}
    for role, text in (("abstracts", abstracts), ("entities", entities), ("relations", relations)):
        if text is not None:
            path = tmp_path / f"x_{role}.tsv"
            path.write_text(text, encoding="utf-8")
            roles[role] = path
    return roles


def test_records_passages_entities_relations(tmp_path):
    one, two = run(read_chemprot_tsv, files(tmp_path))
    assert (one.id, one.document_id) == ("1", "1")
    assert one.text == "Aspirin blocks COX-1. In platelets aspirin acetylates COX-1 and spares β-actin."
    assert [(p.type, p.offsets) for p in one.passages] == [("title", ((0, 21),)), ("abstract", ((22, 79),))]
    assert [(e.id, e.type, e.text, e.offsets) for e in one.entities][-1] == ("T5", "GENE-N", ("β-actin",), ((71, 78),))
    assert [(r.id, r.type, r.arg1_id, r.arg2_id) for r in one.relations] == [
        ("R1", "CPR:4", "T1", "T2"), ("R2", "CPR:2", "T3", "T4"), ("R3", "CPR:10", "T3", "T5")]
    assert two.relations == () and [e.text for e in two.entities] == [("Water",)]


def test_relation_options(tmp_path):
    roles = files(tmp_path)
    [one, _] = run(read_chemprot_tsv, roles, {"relation_type": "label"})
    assert [r.type for r in one.relations] == ["INHIBITOR", "DIRECT-REGULATOR", "NOT"]
    [one, _] = run(read_chemprot_tsv, roles, {"groups": ["CPR:3", "CPR:4", "CPR:5", "CPR:6", "CPR:9"]})
    assert [r.type for r in one.relations] == ["CPR:4"]
    [one, _] = run(read_chemprot_tsv, roles, {"evaluated_only": True})
    assert [r.type for r in one.relations] == ["CPR:4"]
    with pytest.raises(ManifestError, match="relation_type"):
        run(read_chemprot_tsv, roles, {"relation_type": "both"})


def test_four_column_relations_and_no_relations_file(tmp_path):
    [one, _] = run(read_chemprot_tsv, files(tmp_path, relations=DRUGPROT_RELATIONS))
    assert [(r.type, r.arg1_id, r.arg2_id) for r in one.relations] == [
        ("INHIBITOR", "T1", "T2"), ("DIRECT-REGULATOR", "T3", "T4")]
    [one, _] = run(read_chemprot_tsv, files(tmp_path, relations=None))
    assert one.relations == ()


def test_crlf_and_blank_lines(tmp_path):
    roles = files(tmp_path, abstracts=ABSTRACTS.replace("\n", "\r\n") + "\r\n", entities=ENTITIES + "\n")
    assert [r.id for r in run(read_chemprot_tsv, roles)] == ["1", "2"]


def test_offset_mismatch_can_be_a_warning(tmp_path):
    roles = files(tmp_path, entities=ENTITIES.replace("0\t7\tAspirin", "0\t7\tAspirim"), relations=None)
    with pytest.raises(SourceError, match=r"x_entities.tsv:1: .*'Aspirim'"):
        run(read_chemprot_tsv, roles)
    diagnostics = Diagnostics()
    run(read_chemprot_tsv, roles, {"offset_check": "warn"}, diagnostics)
    assert diagnostics.counts["offset_mismatch"] == 1


@pytest.mark.parametrize("role, text, line, message", [
    ("abstracts", "1\tonly a title\n", 1, "expected 3 tab-separated columns"),
    ("abstracts", ABSTRACTS + "1\tAgain\tx\n", 3, "PMID 1 is given twice"),
    ("entities", ENTITIES + "1\tT6\tCHEMICAL\tx\t3\tAsp\n", 7, "expected numeric start and end offsets"),
    ("entities", ENTITIES + "1\tT6\tCHEMICAL\t0\t3\n", 7, "expected 6 tab-separated columns"),
    ("entities", ENTITIES + "1\tT1\tCHEMICAL\t0\t7\tAspirin\n", 7, "entity id T1 is used twice in document 1"),
    ("entities", ENTITIES + "9\tT1\tCHEMICAL\t0\t3\tAsp\n", 7, "PMID 9 is not in the abstracts file"),
    ("relations", "1\tCPR:4\tArg1:T1\n", 1, "expected 6 tab-separated columns"),
    ("relations", "1\tCPR:4\tY \tINHIBITOR\tT1\tT2\n", 1, "expected arguments 'Arg1:<id>'"),
    ("relations", "1\tCPR:4\tY \tINHIBITOR\tArg1:T1\tArg2:T9\n", 1, "names T9, which is not one of its entities"),
])
def test_errors_name_file_and_line(tmp_path, role, text, line, message):
    roles = files(tmp_path, **{role: text})
    with pytest.raises(SourceError, match=re.escape(message)) as info:
        run(read_chemprot_tsv, roles)
    assert str(info.value).startswith(f"{roles[role]}:{line}:")
