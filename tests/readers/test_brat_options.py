"""BRAT reader options for the standoff corpora that are not laid out as BioNLP-ST:
texts apart from the annotations (another folder, an id-text table), Bacteria Biotope
normalization lines, two annotators' agreement, offsets that need repair, lines that
continue a mention's text, entity-type filtering, ignored E lines, Equiv as relations
and folder-qualified document ids."""

from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.readers.brat import read_brat
from medinst_core.records import Argument, Normalization

from ._util import run


def _w(folder: Path, name: str, content: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8"))
    return path


def _t(text: str, ident: str, etype: str, mention: str, nth: int = 0) -> str:
    start = -1
    for _ in range(nth + 1):
        start = text.index(mention, start + 1)
    return f"{ident}\t{etype} {start} {start + len(mention)}\t{mention}\n"


TEXT = "BRCA1 mutations cause breast cancer in women.\n"


def test_annotations_in_another_folder(tmp_path):
    txt = _w(tmp_path / "corpus", "P1-01-Abstract-p01.txt", TEXT)
    _w(tmp_path / "corpus", "P1-02-Methods-p01.txt", "Nothing here.\n")
    ann = _w(tmp_path / "annotations", "P1-01-Abstract-p01.ann",
             _t(TEXT, "T2_cancer", "disease", "breast cancer") + _t(TEXT, "T57_2", "gene", "BRCA1")
             + "R10_1\thas Arg1:T57_2 Arg2:T2_cancer\n")
    recs = run(read_brat, {"data": [txt, tmp_path / "corpus" / "P1-02-Methods-p01.txt"], "annotations": [ann]})
    assert [r.id for r in recs] == ["P1-01-Abstract-p01", "P1-02-Methods-p01"]
    assert [(e.id, e.text) for e in recs[0].entities] == [("T2_cancer", ("breast cancer",)), ("T57_2", ("BRCA1",))]
    assert [(r.id, r.arg1_id, r.arg2_id) for r in recs[0].relations] == [("R10_1", "T57_2", "T2_cancer")]
    assert recs[1].entities == ()
    # the same, with the annotation files listed among the data files
    listed = run(read_brat, {"data": [txt, tmp_path / "corpus" / "P1-02-Methods-p01.txt", ann]})
    assert listed == recs


def test_annotation_file_apart_without_text_is_an_error(tmp_path):
    txt = _w(tmp_path / "corpus", "A.txt", TEXT)
    ann = _w(tmp_path / "annotations", "B.ann", _t(TEXT, "T1", "gene", "BRCA1"))
    with pytest.raises(SourceError, match="B.ann.*without its text file B.txt"):
        run(read_brat, {"data": [txt], "annotations": [ann]})
    with pytest.raises(SourceError, match="B.ann.*without its text file B.txt"):
        run(read_brat, {"data": [txt, ann]})


def test_texts_from_an_id_text_table(tmp_path):
    second = "Rs1234 and p.V600E in BRAF \u03b1-chain.\n"
    table = _w(tmp_path, "corpus.txt", f"111\t{TEXT.rstrip()}\n222\t{second.rstrip()}\r\n333\tNo annotations here.\n")
    a1 = _w(tmp_path / "annotations", "111.ann", _t(TEXT, "T1", "Gene", "BRCA1") + "E1\tSNP:T1 \n")
    a2 = _w(tmp_path / "annotations", "222.ann", _t(second, "T1", "RS", "Rs1234") + _t(second, "T2", "SNP", "p.V600E")
            + _t(second, "T3", "Gene", "BRAF") + "R1\tAssociatedTo Arg1:T2 Arg2:T3\n")
    a3 = _w(tmp_path / "annotations", "333.ann", "")
    recs = run(read_brat, {"data": [a3, a2, a1], "texts": [table]}, {"events": "ignore"})
    assert [r.id for r in recs] == ["111", "222", "333"]  # table order
    assert recs[0].text == TEXT.rstrip() and recs[1].text == second.rstrip()
    # the E line is ignored: its trigger stays an entity
    assert [(e.type, e.text) for e in recs[0].entities] == [("Gene", ("BRCA1",))] and recs[0].events == ()
    assert [e.text for e in recs[1].entities] == [("Rs1234",), ("p.V600E",), ("BRAF",)]
    assert recs[2].entities == ()


def test_text_table_errors(tmp_path):
    table = _w(tmp_path, "corpus.txt", "111\tSome text.\n")
    stray = _w(tmp_path / "annotations", "999.ann", "")
    with pytest.raises(SourceError, match="999.ann.*no row of the text table"):
        run(read_brat, {"data": [stray], "texts": [table]})
    bad = _w(tmp_path, "bad.txt", "111\tSome text.\nno tab on this line\n")
    with pytest.raises(SourceError, match=r"bad.txt:2.*ID<TAB>text"):
        run(read_brat, {"data": [], "texts": [bad]})
    twice = _w(tmp_path, "twice.txt", "111\tSome text.\n111\tAgain.\n")
    with pytest.raises(SourceError, match=r"twice.txt:2.*already given at twice.txt:1"):
        run(read_brat, {"data": [], "texts": [twice]})


def test_bacteria_biotope_normalization_lines(tmp_path):
    text = "Bacillus subtilis lives in soil.\n"
    txt = _w(tmp_path, "BB-kb+ner-1.txt", text)
    _w(tmp_path, "BB-kb+ner-1.a1", "T1\tTitle 0 32\tBacillus subtilis lives in soil.\n")
    _w(tmp_path, "BB-kb+ner-1.a2", _t(text, "T2", "Microorganism", "Bacillus subtilis") + _t(text, "T3", "Habitat", "soil")
       + "R1\tLives_In Microorganism:T2 Location:T3\n"
       + "N1\tNCBI_Taxonomy Annotation:T2 Referent:1423\n"
       + "N2\tOntoBiotope Annotation:T3 Referent:OBT:000427\n")
    (rec,) = run(read_brat, {"data": [txt]})
    ents = {e.id: e for e in rec.entities}
    assert ents["T2"].normalized == (Normalization("NCBI_Taxonomy", "1423"),)
    assert ents["T3"].normalized == (Normalization("OntoBiotope", "OBT:000427"),)
    (rel,) = rec.relations
    assert rel.attributes == (("arg1_role", "Microorganism"), ("arg2_role", "Location"))
    # forced brat-style reading of the same line is an error naming it
    with pytest.raises(SourceError, match=r"BB-kb\+ner-1.a2:4"):
        run(read_brat, {"data": [txt]}, {"normalizations": "reference"})
    _w(tmp_path, "BB-kb+ner-1.a2", "N1\tOntoBiotope Annotation:T3 Other:OBT:1\n")
    with pytest.raises(SourceError, match="Annotation:ID and Referent:ID"):
        run(read_brat, {"data": [txt]})


def test_entity_types_filter_what_refers_to_them(tmp_path):
    text = "No prior chemotherapy within 6 months or radiation.\n"
    txt = _w(tmp_path, "NCT1_exc.txt", text)
    _w(tmp_path, "NCT1_exc.ann", _t(text, "T1", "Negation", "No") + _t(text, "T2", "Procedure", "chemotherapy")
       + _t(text, "T3", "Temporal", "within 6 months") + _t(text, "T4", "Non-query_able", "prior")
       + _t(text, "T5", "Procedure", "radiation")
       + "R1\tHas_negation Arg1:T2 Arg2:T1\nR2\tHas_temporal Arg1:T2 Arg2:T3\nR3\tSubsumes Arg1:T4 Arg2:T2\n"
       + "*\tOR T2 T5\n*\tOR T4 T5\nA1\tOptional T4\n")
    (rec,) = run(read_brat, {"data": [txt]},
                 {"entity_types": ["Negation", "Procedure", "Temporal"], "equiv_relations": "OR"})
    assert [e.id for e in rec.entities] == ["T1", "T2", "T3", "T5"]
    assert [(r.type, r.arg1_id, r.arg2_id) for r in rec.relations] == [
        ("Has_negation", "T2", "T1"), ("Has_temporal", "T2", "T3"), ("OR", "T2", "T5")]
    assert [c.entity_ids for c in rec.coreferences] == [("T2", "T5")]


def test_continued_lines_join_a_mention_written_on_two_lines(tmp_path):
    text = "History of\nheart failure.\n"
    txt = _w(tmp_path, "NCT2_inc.txt", text)
    _w(tmp_path, "NCT2_inc.ann", "T1\tCondition 0 24\tHistory of\nheart failure\nT2\tCondition 11 24\theart failure\n")
    with pytest.raises(SourceError, match=r"NCT2_inc.ann:2"):
        run(read_brat, {"data": [txt]})
    (rec,) = run(read_brat, {"data": [txt]}, {"continued_lines": True})
    assert [(e.id, e.text) for e in rec.entities] == [("T1", ("History of\nheart failure",)), ("T2", ("heart failure",))]


def test_offset_repair_is_counted(tmp_path):
    text = "Age 18 years or older; type 2 diabetes; BMI > 30.\n"
    txt = _w(tmp_path, "NCT3_inc.txt", text)
    good = text.index("type 2 diabetes")
    _w(tmp_path, "NCT3_inc.ann", "".join([
        f"T1\tCondition {good + 3} {good + 18}\ttype 2 diabetes\n",  # three characters too far right
        f"T2\tMeasurement {text.index('BMI') - 2} {text.index('BMI') + 1}\tBMI \n",  # too far left, trailing space
        "T3\tValue 0 3\tnowhere to be found\n",
        _t(text, "T4", "Value", "18 years"),
    ]))
    with pytest.raises(SourceError, match="NCT3_inc.ann:1"):
        run(read_brat, {"data": [txt]})
    diagnostics = Diagnostics()
    (rec,) = run(read_brat, {"data": [txt]}, {"offset_check": "repair"}, diagnostics=diagnostics)
    ents = {e.id: e for e in rec.entities}
    assert ents["T1"].offsets == ((good, good + 15),) and ents["T1"].text == ("type 2 diabetes",)
    assert ents["T2"].text == ("BMI",)
    assert ents["T3"].offsets == ((0, 3),) and ents["T3"].text == ("Age",)  # kept, with the text there
    assert diagnostics.counts == {"brat.offset_repaired": 2, "brat.offset_unrepaired": 1}
    assert "NCT3_inc.ann:3" in diagnostics.examples["brat.offset_unrepaired"][0]
    # a window too small to reach the mention
    diagnostics = Diagnostics()
    run(read_brat, {"data": [txt]}, {"offset_check": "repair", "repair_window": 1}, diagnostics=diagnostics)
    assert diagnostics.counts == {"brat.offset_unrepaired": 3}


def test_folder_qualified_ids(tmp_path):
    a = _w(tmp_path / "abstracts" / "Annotator1", "101.txt", TEXT)
    _w(tmp_path / "abstracts" / "Annotator1", "101.ann", _t(TEXT, "T1", "Chemical", "BRCA1"))
    b = _w(tmp_path / "abstracts" / "Annotator2", "101.txt", TEXT)
    _w(tmp_path / "abstracts" / "Annotator2", "101.ann", _t(TEXT, "T1", "Protein", "BRCA1"))
    with pytest.raises(SourceError, match="two documents named '101'"):
        run(read_brat, {"data": [a, b]})
    recs = run(read_brat, {"data": [a, b]}, {"id_folders": 1})
    assert [(r.id, r.entities[0].type) for r in recs] == [("Annotator1/101", "Chemical"), ("Annotator2/101", "Protein")]


AGREE_TEXT = "Ginseng extract reduced the symptoms of tomato leaf mold and of rice blast (Magnaporthe oryzae).\n"


def test_two_annotators_agreement(tmp_path):
    t = AGREE_TEXT
    txt = _w(tmp_path, "1234.txt", t)
    _w(tmp_path, "1234.ann", "".join([
        _t(t, "T1", "Plant", "Ginseng"), _t(t, "T2", "Disease", "leaf mold"), _t(t, "T3", "Plant", "tomato"),
        _t(t, "T4", "Plant", "rice"), _t(t, "T5", "Disease", "rice blast"), _t(t, "T6", "Negative", "reduced"),
        _t(t, "T7", "Disease", "Magnaporthe oryzae"),
        "E1\tNegative:T6 Theme:T2 Cause:T1\n", "R1\tPart_of Arg1:T2 Arg2:T3\n", "*\tEquiv T5 T7\n",
    ]))
    _w(tmp_path, "1234.ann2", "".join([
        _t(t, "T1", "Plant", "Ginseng extract"),  # longer: kept
        _t(t, "T2", "Disease", "tomato leaf mold"),
        _t(t, "T3", "Disease", "tomato"),  # another type: no partner for annotator 1's Plant 'tomato'
        _t(t, "T4", "Disease", "rice blast"), _t(t, "T5", "Trigger", "reduced the"), _t(t, "T6", "Disease", "Magnaporthe oryzae"),
        "E1\tNegative:T5 Theme:T2 Cause:T1\n", "R1\tPart_of Arg1:T2 Arg2:T3\n", "*\tEquiv T4 T6\n",
    ]))
    (rec,) = run(read_brat, {"data": [txt]}, {"suffixes": [".ann"], "agreement_suffixes": [".ann2"]})
    ents = {e.id: e for e in rec.entities}
    assert sorted(ents) == ["T1", "T2", "T5", "T7"]
    assert ents["T1"].text == ("Ginseng extract",) and ents["T2"].text == ("tomato leaf mold",)
    (event,) = rec.events
    assert event.trigger_text == ("reduced the",)
    assert event.arguments == (Argument("Theme", "T2"), Argument("Cause", "T1"))
    assert rec.relations == ()  # the partner of T3 is missing
    assert [c.entity_ids for c in rec.coreferences] == [("T5", "T7")]
    # without the second annotator's file nothing is agreed
    (tmp_path / "1234.ann2").unlink()
    (rec,) = run(read_brat, {"data": [txt]}, {"suffixes": [".ann"], "agreement_suffixes": [".ann2"]})
    assert rec.entities == () and rec.events == ()


def test_discontinuous_fragments_written_without_their_space(tmp_path):
    text = "Beta- and alpha-blockers.\n"
    txt = _w(tmp_path, "D1.txt", text)
    _w(tmp_path, "D1.ann", "T1\tGROUP 0 5;16 24\tBeta-blockers\nT2\tGROUP 0 5;16 24\tBeta- blockers\n")
    diagnostics = Diagnostics()
    (rec,) = run(read_brat, {"data": [txt]}, diagnostics=diagnostics)
    assert [e.text for e in rec.entities] == [("Beta-", "blockers"), ("Beta-", "blockers")]
    assert not diagnostics


def test_event_arguments_shared_and_still_checked_per_document(tmp_path, monkeypatch):
    """An event argument token read before gives the same Argument again (also across
    documents), and its reference is still checked in each document; the table is
    emptied when full."""
    from medinst_core.readers import brat_build

    text = "p53 binds MDM2.\n"
    ann = _t(text, "T1", "Protein", "p53") + _t(text, "T2", "Protein", "MDM2") + _t(text, "T3", "Binding", "binds")
    for name in ("a", "b"):
        _w(tmp_path, f"{name}.txt", text)
        _w(tmp_path, f"{name}.ann", ann + "E1\tBinding:T3 Theme:T1 Theme2:T2\nE2\tBinding:T3 Theme:T1\n")
    a, b = run(read_brat, {"data": [tmp_path / "a.txt", tmp_path / "b.txt"]})
    assert a.events == b.events
    assert a.events[0].arguments == (Argument("Theme", "T1"), Argument("Theme", "T2"))
    assert a.events[0].arguments[0] is a.events[1].arguments[0] is b.events[0].arguments[0]
    monkeypatch.setattr(brat_build, "ARGUMENTS_KEPT", 1)  # emptied before each new token
    assert run(read_brat, {"data": [tmp_path / "a.txt", tmp_path / "b.txt"]}) == [a, b]
    # the token is known from document a; document c does not define T1
    _w(tmp_path, "c.txt", text)
    _w(tmp_path, "c.ann", _t(text, "T3", "Binding", "binds") + "E1\tBinding:T3 Theme:T1\n")
    with pytest.raises(SourceError, match=r"c\.ann:2.*E1 argument Theme:T1 refers to an undefined id"):
        run(read_brat, {"data": [tmp_path / "a.txt", tmp_path / "c.txt"]})


@pytest.mark.parametrize("options", [{"events": "ignore"}, {"entity_types": ["Protein"]}])
def test_event_arguments_checked_when_the_event_is_left_out(tmp_path, options):
    text = "p53 binds MDM2.\n"
    txt = _w(tmp_path, "d.txt", text)
    _w(tmp_path, "d.ann", _t(text, "T1", "Protein", "p53") + _t(text, "T3", "Binding", "binds")
       + "E1\tBinding:T3 Theme:T1 Cause\n")
    with pytest.raises(SourceError, match=r"d\.ann:3.*expected ROLE:ID in event E1, found 'Cause'"):
        run(read_brat, {"data": [txt]}, options)
