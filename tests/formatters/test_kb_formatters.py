from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from medinst_core.formatters.kb import abbreviation, coref, ee, ner_bio, ner_entities, ned, re_
from medinst_core.metrics.parsing import outer_brackets
from medinst_core.records import Coreference, Entity, Event, KBRecord, Normalization, Passage, QARecord, Relation

TEXT = "Naloxone reverses clonidine induced hypotension in rats."


def doc(entities=(), **kw) -> KBRecord:
    return KBRecord(id="d1", document_id="d1", passages=[Passage("p", "abstract", TEXT, [(0, len(TEXT))])],
                    entities=entities, **kw)


def ent(id_, type_, start, end, norms=(), offsets=None):
    offsets = offsets or [(start, end)]
    return Entity(id_, type_, [TEXT[s:e] for s, e in offsets], offsets, [Normalization(*n) for n in norms])


NALOXONE = ent("T1", "Chemical", 0, 8, [("MESH", "D009270")])
CLONIDINE = ent("T2", "Chemical", 18, 27, [("MESH", "D003000")])
HYPO = ent("T3", "Disease", 36, 47, [("MESH", "D007022"), ("OMIM", "1")])


def out(fn, record, **options):
    return [d.output for d in fn(record, options)]


def test_ner_entities_text_order_types_and_overlap():
    nested = ent("T4", "Disease", 18, 47)  # overlaps clonidine: same start order by end
    record = doc([HYPO, nested, NALOXONE, CLONIDINE])
    assert out(ner_entities, record) == [
        "[Naloxone <Chemical>] [clonidine <Chemical>] [clonidine induced hypotension <Disease>] [hypotension <Disease>]"
    ]
    assert out(ner_entities, record, types={"Chemical": "chemical"}) == ["[Naloxone <chemical>] [clonidine <chemical>]"]
    assert out(ner_entities, doc([])) == [""]


def test_discontinuous_mention_joins_fragments():
    gap = ent("T9", "Disease", 0, 0, offsets=[(0, 8), (36, 47)])
    assert out(ner_entities, doc([gap])) == ["[Naloxone hypotension <Disease>]"]


def test_ner_bio_from_tokens_and_from_offsets():
    tokens = KBRecord(id="s", document_id="s", tokens=["Aspirin", "induced", "renal", "failure"],
                      tags=["S-Chemical", "O", "B-Disease", "E-Disease"])
    assert out(ner_bio, tokens) == ["Aspirin [B] induced [O] renal [B] failure [I]"]
    assert out(ner_bio, tokens, typed=True) == ["Aspirin [B-Chemical] induced [O] renal [B-Disease] failure [I-Disease]"]
    record = doc([CLONIDINE, ent("T5", "Disease", 18, 47)])
    [output] = out(ner_bio, record)
    assert output.startswith("Naloxone [O] reverses [O] clonidine [B] induced [I] hypotension [I] in [O] rats [O] . [O]")


def test_ned_one_bracket_per_id_or_joined():
    record = doc([HYPO, NALOXONE, ent("T6", "Chemical", 50, 54)])
    assert out(ned, record) == ["[Naloxone <MESH/D009270>] [hypotension <MESH/D007022>] [hypotension <OMIM/1>]"]
    assert out(ned, record, multi="join", id_format="db_id") == ["[Naloxone <D009270>] [hypotension <D007022|1>]"]
    assert out(ned, record, databases={"OMIM": "omim"}) == ["[hypotension <omim/1>]"]


def test_abbreviation_from_kb_and_qa():
    record = doc([Entity("T1", "ABBR", ["Naloxone"], [(0, 8)], attributes=[("expansion", "an opioid antagonist")])])
    [draft] = list(abbreviation(record, {}))
    assert draft.output == "an opioid antagonist" and draft.input.endswith("Abbreviation: Naloxone") and draft.key == "T1"
    [draft] = list(abbreviation(QARecord(id="q", question="BP", type="factoid", context="high BP", answers=["blood pressure"]), {}))
    assert (draft.input, draft.output) == ("high BP\nAbbreviation: BP", "blood pressure")


def test_re_mention_level_symmetric_dedup_and_verbalised():
    record = doc([NALOXONE, CLONIDINE, HYPO], relations=[
        Relation("R1", "CID", "T2", "T3"), Relation("R2", "Interacts", "T2", "T1"), Relation("R3", "Interacts", "T1", "T2"),
        Relation("R4", "Other", "T1", "T3"),
    ])
    assert out(re_, record, relations={"CID": "induces", "Interacts": "interacts with"}, symmetric=["Interacts"]) == [
        "[<Naloxone> <interacts with> <clonidine>] [<clonidine> <induces> <hypotension>]"
    ]


def test_re_concept_level_uses_first_mentions():
    second = ent("T7", "Disease", 36, 47, [("MESH", "D007022")])
    record = doc([second, CLONIDINE, HYPO], concept_relations=[Relation("C1", "CID", "D003000", "D007022")])
    assert out(re_, record) == ["[<clonidine> <CID> <hypotension>]"]
    assert out(re_, record, level="mention") == [""]


def test_ee_nested_events_and_missing_theme():
    trigger = (28, 35)
    record = doc([CLONIDINE, HYPO], events=[
        Event("E1", "Positive_regulation", ["induced"], [trigger], [{"role": "Theme", "ref_id": "E2"}, {"role": "Cause", "ref_id": "T2"}]),
        Event("E2", "Hypotension", ["hypotension"], [(36, 47)], [{"role": "Theme", "ref_id": "T3"}]),
        Event("E3", "Process", ["reverses"], [(9, 17)], []),
    ])
    assert out(ee, record) == ["[<Positive_regulation> <induced> <hypotension>] [<Hypotension> <hypotension> <hypotension>]"]
    assert out(ee, record, no_theme="trigger")[0].startswith("[<Process> <reverses>] ")
    # MedINST's EE sets count only entity themes
    assert out(ee, record, event_themes="skip") == ["[<Hypotension> <hypotension> <hypotension>]"]


def test_coref_one_sample_per_member():
    record = doc([NALOXONE, CLONIDINE, HYPO], coreferences=[Coreference("C1", ["T3", "T1"]), Coreference("C2", ["T2"])])
    drafts = list(coref(record, {}))
    assert [(d.key, d.output) for d in drafts] == [("T1", "[hypotension]"), ("T3", "[Naloxone]")]
    assert drafts[0].input == TEXT + "\nEntity: Naloxone"
    # one sample per chain, anchored on its first mention in the text
    assert [(d.key, d.output) for d in coref(record, {"anchors": "first"})] == [("T1", "[hypotension]")]


words = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@given(st.lists(st.tuples(words, st.sampled_from(["Gene", "Disease", "Chemical"])), min_size=0, max_size=8))
@settings(max_examples=80, deadline=None)
def test_ner_output_parses_back_to_the_annotations(mentions):
    text, entities, pos = "", [], 0
    for i, (word, type_) in enumerate(mentions):
        text += word + " "
        entities.append(Entity(f"T{i}", type_, [word], [(pos, pos + len(word))]))
        pos += len(word) + 1
    record = KBRecord(id="x", document_id="x", passages=[Passage("p", "t", text, [(0, len(text))])], entities=entities)
    [draft] = ner_entities(record, {})
    parsed = [b.rsplit(" <", 1) for b in outer_brackets(draft.output)]
    assert [(m, t.rstrip(">")) for m, t in parsed] == mentions
