"""lll reader (LLL'05 genic interaction data files): hand-written files."""

from __future__ import annotations

import re

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.readers.lll import read_lll

from ._util import run

BLOCK = (
    "ID\t11-2\n"
    "sentence\tsigK and GerE regulate gerE.\n"
    "words\tword(W0,'sigK',0,3)\tword(W1,'and',5,7)\tword(W2,'GerE',9,12)\tword(W3,'regulate',14,21)\t"
    "word(W4,'gerE',23,26)\n"
    "agents\tagent(W0)\tagent(W2)\n"
    "targets\ttarget(W4)\ttarget(W0)\n"
    "genic_interactions\tgenic_interaction(W0,W4)\tgenic_interaction(W2,W4)\tgenic_interaction(W2,W0)\n"
    "lemmas\tlemma(W0,'sigk')\tlemma(W3,'regulate')\n"
    "syntactic_relations\trelation('subj:V_N',W3,W0)\n"
)


def write(tmp_path, text, name="genic_interaction_linguistic_data.txt"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_blocks_entities_relations(tmp_path):
    text = "% comment line\n\n" + BLOCK + "\n\n" + "ID\t12-1\nsentence\tNothing here.\n"
    one, two = run(read_lll, {"data": write(tmp_path, text)})
    assert (one.id, one.text) == ("11-2", "sigK and GerE regulate gerE.")
    # end-inclusive word offsets; sigK is both an agent and a target
    assert [(e.id, e.type, e.text, e.offsets) for e in one.entities] == [
        ("agent-W0", "agent", ("sigK",), ((0, 4),)), ("agent-W2", "agent", ("GerE",), ((9, 13),)),
        ("target-W4", "target", ("gerE",), ((23, 27),)), ("target-W0", "target", ("sigK",), ((0, 4),))]
    assert [(r.type, r.arg1_id, r.arg2_id) for r in one.relations] == [
        ("genic_interaction", "agent-W0", "target-W4"), ("genic_interaction", "agent-W2", "target-W4"),
        ("genic_interaction", "agent-W2", "target-W0")]
    assert (two.id, two.entities, two.relations) == ("12-1", (), ())


def test_crlf_and_no_final_blank_line(tmp_path):
    [record] = run(read_lll, {"data": write(tmp_path, BLOCK.replace("\n", "\r\n").rstrip())})
    assert record.text == "sigK and GerE regulate gerE." and len(record.relations) == 3


def test_a_word_with_a_comma_or_quote(tmp_path):
    text = ("ID\t1\nsentence\tIt's a, b.\nwords\tword(W0,'It's',0,3)\tword(W1,',',6,6)\n"
            "agents\tagent(W0)\ntargets\ttarget(W1)\ngenic_interactions\tgenic_interaction(W0,W1)\n")
    [record] = run(read_lll, {"data": write(tmp_path, text)})
    assert [e.text for e in record.entities] == [("It's",), (",",)]


def test_offset_mismatch_can_be_a_warning(tmp_path):
    path = write(tmp_path, BLOCK.replace("word(W2,'GerE',9,12)", "word(W2,'GerE',8,11)"))
    with pytest.raises(SourceError, match=r":3: document 11-2: word W2 is annotated as 'GerE'"):
        run(read_lll, {"data": path})
    diagnostics = Diagnostics()
    run(read_lll, {"data": path}, {"offset_check": "warn"}, diagnostics)
    assert diagnostics.counts["offset_mismatch"] == 1


@pytest.mark.parametrize("old, new, line, message", [
    ("agents\t", "agents ", 4, "expected a line 'key<TAB>value'"),
    ("agent(W2)", "agnt(W2)", 4, "expected agent(...) atoms"),
    ("agent(W2)", "agent(W9)", 4, "agents names word 'W9'"),
    ("word(W1,'and',5,7)", "word(W1,and,5,7)", 3, "expected word(id,'text',start,end)"),
    ("genic_interaction(W2,W0)", "genic_interaction(W4,W0)", 6, "names 'W4', which is not declared as agent(W4)"),
    ("genic_interaction(W2,W0)", "genic_interaction(W2)", 6, "expected genic_interaction(agent,target)"),
    ("ID\t11-2\n", "", 1, "has no 'ID' line"),
])
def test_errors_name_file_and_line(tmp_path, old, new, line, message):
    path = write(tmp_path, "\n" + BLOCK.replace(old, new))
    with pytest.raises(SourceError, match=re.escape(message)) as info:
        run(read_lll, {"data": path})
    assert str(info.value).startswith(f"{path}:{line + 1}:")
