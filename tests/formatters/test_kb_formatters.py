from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.formatters import kb
from medinst_core.metrics.parsing import outer_brackets
from medinst_core.records import Coreference, Entity, Event, KBRecord, Normalization, Passage, QARecord, Relation

from ._util import filled

TEXT = "Naloxone reverses clonidine induced hypotension in rats."


abbreviation, coref, ee, ner_bio, ner_entities, ned, re_ = map(
    filled, (kb.abbreviation, kb.coref, kb.ee, kb.ner_bio, kb.ner_entities, kb.ned, kb.re_)
)


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


def test_re_concept_level_finds_a_mention_by_its_joined_identifiers():
    record = doc([CLONIDINE, HYPO], concept_relations=[Relation("C1", "CID", "D003000", "D007022|1")])
    assert out(re_, record) == ["[<clonidine> <CID> <hypotension>]"]


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


# --- options and edge cases -------------------------------------------------


def test_ner_entities_include_normalized_exclude_and_dedupe():
    plain = ent("T8", "Chemical", 18, 27)  # no normalisation
    record = doc([NALOXONE, plain, HYPO])
    assert out(ner_entities, record, include="normalized") == ["[Naloxone <Chemical>] [hypotension <Disease>]"]
    assert out(ner_entities, record, exclude_types=["Disease"]) == ["[Naloxone <Chemical>] [clonidine <Chemical>]"]
    twice = doc([ent("A", "Disease", 36, 47), ent("B", "Disease", 36, 47)])
    assert out(ner_entities, twice) == ["[hypotension <Disease>] [hypotension <Disease>]"]
    assert out(ner_entities, twice, dedupe=True) == ["[hypotension <Disease>]"]


def test_same_span_different_types_ordered_by_type():
    record = doc([ent("T2", "Gene", 0, 8), ent("T1", "Chemical", 0, 8)])
    assert out(ner_entities, record) == ["[Naloxone <Chemical>] [Naloxone <Gene>]"]


def test_kb_input_is_the_document_text_with_passage_gaps():
    record = KBRecord(id="d", document_id="d", passages=[
        Passage("p2", "abstract", "Body text.", [(6, 16)]), Passage("p1", "title", "Title", [(0, 5)])],
        entities=[Entity("T1", "X", ["Body"], [(6, 10)])])
    [draft] = ner_entities(record, {})
    assert draft.input == "Title Body text."
    assert draft.output == "[Body <X>]"


def test_ner_bio_overlap_merges_nested_vanishes_and_discontinuous():
    # "Naloxone reverses clonidine induced hypotension in rats ."
    record = doc([ent("A", "X", 9, 27), ent("B", "X", 18, 35), ent("C", "X", 36, 47), ent("D", "X", 36, 47)])
    [output] = out(ner_bio, record)
    assert output == ("Naloxone [O] reverses [B] clonidine [I] induced [I] hypotension [B] in [O] rats [O] . [O]")
    gap = doc([ent("G", "X", 0, 0, offsets=[(0, 8), (36, 47)])])
    assert out(ner_bio, gap)[0].startswith("Naloxone [B] reverses [O] clonidine [O] induced [O] hypotension [I] in [O]")


def test_ner_bio_tokenizers_and_partial_token_overlap():
    text = "IL-2 receptor (IL-2R)."
    record = KBRecord(id="s", document_id="s", passages=[Passage("p", "t", text, [(0, len(text))])],
                      entities=[Entity("T1", "Gene", ["IL-2R"], [(15, 20)]), Entity("T2", "Gene", ["IL"], [(0, 2)])])
    assert out(ner_bio, record) == ["IL [B] - [O] 2 [O] receptor [O] ( [O] IL [B] - [I] 2R [I] ) [O] . [O]"]
    # whitespace tokens: a token touched by a mention is inside it
    assert out(ner_bio, record, tokenizer="whitespace", typed=True) == ["IL-2 [B-Gene] receptor [O] (IL-2R). [B-Gene]"]
    [draft] = ner_bio(record, {"tokenizer": "whitespace"})
    assert draft.input == "IL-2 receptor (IL-2R)."


def test_ner_bio_token_path_filters_and_renames_types():
    record = KBRecord(id="s", document_id="s", tokens=["aspirin", "and", "renal", "failure", "x"],
                      tags=["B-Chemical", "O", "B-Disease", "I-Disease", "B"])
    assert out(ner_bio, record, types={"Disease": "disease"}, typed=True) == [
        "aspirin [O] and [O] renal [B-disease] failure [I-disease] x [B]"]
    assert out(ner_bio, record, exclude_types=["Disease"]) == ["aspirin [B] and [O] renal [O] failure [O] x [B]"]


def test_ner_bio_bad_tags_are_source_errors():
    with pytest.raises(SourceError, match="unknown tag 'X-Gene'"):
        list(ner_bio(KBRecord(id="s", document_id="s", tokens=["a"], tags=["X-Gene"], source="f.tsv:3"), {}))
    with pytest.raises(SourceError, match="2 tokens but 1 tags"):
        list(ner_bio(KBRecord(id="s", document_id="s", tokens=["a", "b"], tags=["O"]), {}))
    assert out(ner_bio, KBRecord(id="e", document_id="e")) == [""]


def test_ned_formats_joiner_and_unnormalised_mentions():
    dup = ent("T4", "Chemical", 18, 27, [("MESH", "D003000"), ("MESH", "D003000"), ("", "C1")])
    record = doc([dup, ent("T5", "Disease", 36, 47)])
    assert out(ned, record, id_format="db_name:db_id") == ["[clonidine <MESH:D003000>] [clonidine <C1>]"]
    assert out(ned, record, multi="join", joiner=", ") == ["[clonidine <MESH/D003000, C1>]"]
    assert out(ned, doc([ent("T5", "Disease", 36, 47)])) == [""]


def test_abbreviation_falls_back_to_normalisation_and_empty():
    record = doc([ent("T2", "ABBR", 36, 47), ent("T1", "ABBR", 0, 8, [("EXP", "the drug")])])
    drafts = list(abbreviation(record, {"abbreviation_prefix": "Expand: "}))
    assert [(d.key, d.output) for d in drafts] == [("T1", "the drug"), ("T2", "")]
    assert drafts[0].input == TEXT + "\nExpand: Naloxone"


def test_re_plain_brackets_filter_case_insensitive_duplicates_and_diagnostics():
    lower = Entity("T9", "Chemical", ["naloxone"], [(0, 8)])  # same words, another case
    record = doc([NALOXONE, lower, HYPO], relations=[
        Relation("R1", "CID", "T1", "T3"), Relation("R2", "CID", "T9", "T3"), Relation("R3", "Skip", "T1", "T3"),
        Relation("R4", "CID", "T1", "E7"),
    ])
    diagnostics = Diagnostics()
    drafts = list(re_(record, {"relations": {"CID": "induces"}, "angle_brackets": False}, diagnostics))
    assert [d.output for d in drafts] == ["[Naloxone induces hypotension]"]
    assert diagnostics.counts == {"re.unresolved_argument": 1}


def test_re_concept_level_by_prefixed_id_and_unmentioned_concept():
    record = doc([CLONIDINE, HYPO], concept_relations=[
        Relation("C1", "CID", "MESH:D003000", "D007022"), Relation("C2", "CID", "D003000", "D999999")])
    diagnostics = Diagnostics()
    assert [d.output for d in re_(record, {}, diagnostics)] == ["[<clonidine> <CID> <hypotension>]"]
    assert diagnostics.counts["re.unresolved_argument"] == 1


def test_ee_multiple_themes_types_map_and_unresolved():
    record = doc([NALOXONE, CLONIDINE, HYPO], events=[
        Event("E2", "Binding", ["reverses"], [(9, 17)], [{"role": "Theme", "ref_id": "T1"}, {"role": "Theme", "ref_id": "T2"},
                                                          {"role": "Site", "ref_id": "T3"}]),
        Event("E1", "Other", ["induced"], [(28, 35)], [{"role": "Theme", "ref_id": "T3"}]),
        Event("E3", "Binding", ["rats"], [(51, 55)], [{"role": "Theme", "ref_id": "T404"}]),
    ])
    diagnostics = Diagnostics()
    drafts = list(ee(record, {"types": {"Binding": "binding"}, "no_theme": "trigger", "angle_brackets": False}, diagnostics))
    assert [d.output for d in drafts] == ["[binding reverses Naloxone] [binding reverses clonidine] [binding rats]"]
    assert diagnostics.counts == {"ee.unresolved_theme": 1}
    assert out(ee, record, theme_roles=["Theme", "Site"]) == [
        "[<Binding> <reverses> <Naloxone>] [<Binding> <reverses> <clonidine>] [<Binding> <reverses> <hypotension>] "
        "[<Other> <induced> <hypotension>]"]


def test_coref_ignores_singletons_and_repeated_members():
    record = doc([NALOXONE, CLONIDINE, HYPO], coreferences=[
        Coreference("C1", ["T2", "T2", "T404"]),  # one known member only
        Coreference("C2", ["T3", "T1", "T1"]), Coreference("C3", ["T1", "T2"]),
    ])
    assert [(d.key, d.output) for d in coref(record, {})] == [("T1", "[hypotension]"), ("T3", "[Naloxone]"), ("T2", "[Naloxone]")]
    assert [d.input for d in coref(record, {"entity_prefix": " || "})][0] == TEXT + " || Naloxone"


def test_unbalanced_bracket_in_a_mention_is_kept_and_counted():
    text = "[hSug1 binds"
    record = KBRecord(id="u", document_id="u", passages=[Passage("p", "t", text, [(0, len(text))])],
                      entities=[Entity("T1", "Protein", ["[hSug1"], [(0, 6)])],
                      coreferences=[Coreference("C", ["T1", "T2"])])
    diagnostics = Diagnostics()
    [draft] = ner_entities(record, {}, diagnostics)
    assert draft.output == "[[hSug1 <Protein>]"
    assert diagnostics.counts == {"brackets.unbalanced": 1}
    assert outer_brackets(draft.output) == []  # what the warning is about
