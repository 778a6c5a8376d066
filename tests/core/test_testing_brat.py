"""The plugin authors' independent reading of BRAT standoff files
(medinst_core.testing.brat), on small hand-written documents."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from medinst_core import hookimpl
from medinst_core.errors import SourceError
from medinst_core.plugins import load_registry
from medinst_core.testing import task_samples
from medinst_core.testing.brat import (
    Attribute,
    Equivalence,
    Event,
    Normalization,
    Note,
    Relation,
    Standoff,
    TextBound,
    assert_same_brackets,
    assert_samples_match_standoff,
    coref_anchors,
    count_documents,
    ee_brackets,
    ner_brackets,
    parse_standoff,
    parse_standoff_text,
    re_brackets,
    standoff_documents,
)

from .helpers import manifest

TEXT = "IL-2 binds IL-2R and activates NF-kB in T cells; this factor (NF-kappa B) is phosphorylated.\n"
A1 = (
    "T1\tProtein 0 4\tIL-2\n"
    "T2\tProtein 11 16\tIL-2R\n"
    "T3\tProtein 31 36\tNF-kB\n"
    "T4\tCell 40 47\tT cells\n"
    "T5\tProtein 62 70;71 72\tNF-kappa B\n"
)
# CRLF line ends, a blank line, an event without argument (trailing space), a relation
# with a trailing tab and one naming an event, an event theme, binary and valued attributes
A2 = (
    "T6\tBinding 5 10\tbinds\r\n"
    "T7\tPositive_regulation 21 30\tactivates\r\n"
    "T8\tAnaphora 49 60\tthis factor\r\n"
    "T9\tPhosphorylation 77 91\tphosphorylated\r\n"
    "E1\tBinding:T6 Theme:T1 Theme2:T2\r\n"
    "E2\tPositive_regulation:T7 Theme:T3 Cause:E1\r\n"
    "\r\n"
    "E3\tPhosphorylation:T9 Theme:T5\r\n"
    "E4\tPositive_regulation:T7 Theme:E3\r\n"
    "E5\tPhosphorylation:T9 \r\n"
    "R1\tCoreference Subject:T8 Object:T3\t\r\n"
    "R2\tBind Arg1:T1 Arg2:E1\r\n"
    "*\tEquiv T3 T5\r\n"
    "M1\tSpeculation E2\r\n"
    "A1\tConfidence E3 High\r\n"
    "N1\tReference T1 UniProt:P60568\tIL2\r\n"
    "#1\tAnnotatorNotes T4\tCD4+ only\r\n"
)


@pytest.fixture
def corpus(tmp_path) -> Path:
    """Two documents: PMID-1 (above) and PMID-2 (an empty .a1, no .a2)."""
    folder = tmp_path / "train"
    folder.mkdir()
    (folder / "PMID-1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "PMID-1.a1").write_text(A1, encoding="utf-8")
    (folder / "PMID-1.a2").write_bytes(A2.encode("utf-8"))
    (folder / "PMID-2.txt").write_text("Nothing to see.\n", encoding="utf-8")
    (folder / "PMID-2.a1").write_text("", encoding="utf-8")
    return folder


@pytest.fixture
def doc(corpus) -> Standoff:
    return parse_standoff(corpus / "PMID-1", (".a1", ".a2"))


# -- reading -------------------------------------------------------------------


def test_every_line_kind_is_read(doc):
    assert doc.textbounds["T1"] == TextBound("T1", "Protein", ((0, 4),), "IL-2", ".a1")
    assert doc.textbounds["T8"] == TextBound("T8", "Anaphora", ((49, 60),), "this factor", ".a2")
    assert list(doc.textbounds) == [f"T{i}" for i in range(1, 10)]
    assert doc.events["E1"] == Event("E1", "Binding", "T6", (("Theme", "T1"), ("Theme2", "T2")))
    assert doc.events["E4"] == Event("E4", "Positive_regulation", "T7", (("Theme", "E3"),))
    assert doc.events["E5"] == Event("E5", "Phosphorylation", "T9", ())
    assert list(doc.relations.values()) == [
        Relation("R1", "Coreference", (("Subject", "T8"), ("Object", "T3"))),
        Relation("R2", "Bind", (("Arg1", "T1"), ("Arg2", "E1"))),
    ]
    assert (doc.relations["R1"].arg1, doc.relations["R1"].arg2) == ("T8", "T3")
    assert doc.equivalences == [Equivalence("Equiv", ("T3", "T5"))]
    assert list(doc.attributes.values()) == [
        Attribute("M1", "Speculation", "E2", None),
        Attribute("A1", "Confidence", "E3", "High"),
    ]
    assert list(doc.normalizations.values()) == [Normalization("N1", "Reference", "T1", "UniProt:P60568", "IL2")]
    assert list(doc.notes.values()) == [Note("#1", "AnnotatorNotes", "T4", "CD4+ only")]


def test_discontinuous_span(doc):
    t5 = doc.textbounds["T5"]
    assert t5.spans == ((62, 70), (71, 72))
    assert (t5.start, t5.end, t5.text) == (62, 72, "NF-kappa B")
    assert TEXT[t5.start:t5.end] == "NF-kappa B"


def test_offsets_of_the_hand_written_file_are_right(doc):
    for t in doc.textbounds.values():
        assert " ".join(TEXT[s:e] for s, e in t.spans) == t.text, t.id


def test_triggers_are_not_entities(doc):
    assert doc.triggers() == {"T6", "T7", "T9"}
    assert list(doc.entities()) == ["T1", "T2", "T3", "T4", "T5", "T8"]
    assert list(doc.entities((".a1",))) == ["T1", "T2", "T3", "T4", "T5"]


def test_files_are_read_in_suffix_order_and_missing_ones_skipped(corpus):
    only_a1 = parse_standoff(corpus / "PMID-1", (".a1", ".ann"))
    assert list(only_a1.textbounds) == ["T1", "T2", "T3", "T4", "T5"] and not only_a1.events
    with pytest.raises(FileNotFoundError, match="PMID-9"):
        parse_standoff(corpus / "PMID-9")
    assert parse_standoff(corpus / "PMID-9", missing_ok=True) == Standoff()


def test_a_stem_with_dots_keeps_them(tmp_path):
    (tmp_path / "PMC-1.2.ann").write_text("T1\tGene 0 3\tabc\n")
    assert list(parse_standoff(tmp_path / "PMC-1.2").textbounds) == ["T1"]


def test_a_restated_line_is_one_annotation(corpus):
    (corpus / "PMID-1.a2").write_text("T1\tProtein 0 4\tIL-2\n" + A2, encoding="utf-8")
    doc = parse_standoff(corpus / "PMID-1", (".a1", ".a2"))
    assert doc.textbounds["T1"].suffix == ".a1"
    assert list(doc.textbounds).count("T1") == 1


def test_a_restated_id_with_other_content_is_an_error(corpus):
    (corpus / "PMID-1.a2").write_text("E1\tBinding:T1 Theme:T2\nT2\tProtein 11 15\tIL-2\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"T2 is written again with other content") as info:
        parse_standoff(corpus / "PMID-1", (".a1", ".a2"))
    assert str(info.value).startswith(f"{corpus / 'PMID-1.a2'}:2:")


@pytest.mark.parametrize(
    "line, message",
    [
        ("X1\tThing T1", "expected an annotation line"),
        ("T1 Protein 0 4 IL-2", "expected an annotation line"),
        ("T1\tProtein 0\tIL-2", "expected 'TYPE START END"),
        ("T1\tProtein 4 0\tIL-2", "expected 'TYPE START END"),
        ("T1\tProtein 0 4;x 5\tIL-2", "expected 'TYPE START END"),
        ("T1\tProtein 0 4", "expected 'TYPE START END"),
        ("E1\tBinding Theme:T1", "expected 'TYPE:TRIGGER"),
        ("E1\tBinding:T6 Theme", "expected ROLE:ID"),
        ("R1\tPart-of Arg1:T1", "expected 'TYPE ROLE:ID ROLE:ID'"),
        ("R1\tPart-of Arg1:T1 T2", "expected ROLE:ID"),
        ("*\tEquiv", "expected 'Equiv ID ID"),
        ("A1\tNegation", "expected 'TYPE TARGET"),
        ("N1\tReference T1\tIL2", "expected 'TYPE TARGET DB:ID"),
        ("#1\tAnnotatorNotes\tno target", "expected 'TYPE TARGET"),
    ],
)
def test_malformed_lines_name_file_and_line(line, message):
    with pytest.raises(SourceError, match=message) as info:
        parse_standoff_text("T9\tGene 0 1\ta\n\n" + line + "\n", path="doc.ann")
    assert str(info.value).startswith("doc.ann:3:")


def test_standoff_documents_reads_a_folder(corpus):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    assert list(docs) == ["PMID-1", "PMID-2"]
    assert docs["PMID-2"] == Standoff()
    (corpus / "PMID-3.txt").write_text("No annotation file.\n")
    with pytest.raises(FileNotFoundError, match="PMID-3"):
        standoff_documents(corpus, (".a1", ".a2"))
    assert list(standoff_documents(corpus, (".a1", ".a2"), missing_ok=True)) == ["PMID-1", "PMID-2", "PMID-3"]


# -- expected samples ----------------------------------------------------------------


def test_ner_brackets_in_text_order(doc):
    given = ["[IL-2 <Protein>]", "[IL-2R <Protein>]", "[NF-kB <Protein>]", "[T cells <Cell>]", "[NF-kappa B <Protein>]"]
    assert ner_brackets(doc, (".a1",)) == given
    assert ner_brackets(doc) == given[:4] + ["[this factor <Anaphora>]"] + given[4:]


def test_a_mention_is_shown_without_white_space_at_its_ends():
    doc = parse_standoff_text("T2\tGene 6 10\tabc \nT1\tGene 0 4\t abc\n")
    assert ner_brackets(doc) == ["[abc <Gene>]", "[abc <Gene>]"]


def test_re_brackets_leave_out_relations_naming_events(doc):
    assert re_brackets(doc) == ["[<this factor> <Coreference> <NF-kB>]"]


def test_re_brackets_once_per_case_insensitive_reading():
    doc = parse_standoff_text(
        "T1\tA 0 3\tAbc\nT2\tB 4 7\tdef\nT3\tA 8 11\tabc\n"
        "R1\tPart-of Arg1:T1 Arg2:T2\nR2\tPart-of Arg1:T3 Arg2:T2\nR3\tfrag Arg1:T3 Arg2:T2\n"
    )
    assert re_brackets(doc) == ["[<Abc> <Part-of> <def>]", "[<abc> <frag> <def>]"]


def test_ee_brackets(doc):
    entity_themes = [
        "[<Binding> <binds> <IL-2>]",
        "[<Binding> <binds> <IL-2R>]",  # Theme2 is a theme; Cause is not
        "[<Positive_regulation> <activates> <NF-kB>]",
        "[<Phosphorylation> <phosphorylated> <NF-kappa B>]",
    ]
    assert ee_brackets(doc) == entity_themes
    assert ee_brackets(doc, event_themes="trigger") == entity_themes + ["[<Positive_regulation> <activates> <phosphorylated>]"]
    assert ee_brackets(doc, theme_roles="Theme") == entity_themes[:1] + entity_themes[2:]
    with pytest.raises(ValueError, match="event_themes"):
        ee_brackets(doc, event_themes="keep")


def test_coref_anchors(doc):
    assert coref_anchors(doc) == [("T3", ("T5",))]
    assert coref_anchors(doc, anchors="each") == [("T3", ("T5",)), ("T5", ("T3",))]
    with pytest.raises(ValueError, match="anchors"):
        coref_anchors(doc, anchors="last")


def test_coref_anchors_need_two_distinct_entities():
    doc = parse_standoff_text(
        "T1\tGene 20 23\tabc\nT2\tGene 0 3\tabc\nT3\tGene 10 13\txyz\nT4\tEvent 30 33\tbinds\nE1\tEvent:T4 Theme:T1\n"
        "*\tEquiv T1 T1\n*\tEquiv T3 T4\n*\tEquiv T1 T3 T2\n"
    )
    # T1 named twice: one mention; T4 is a trigger; the last chain is anchored on T2, first in the text
    assert coref_anchors(doc) == [("T2", ("T3", "T1"))]


def test_count_documents(corpus):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    assert count_documents(docs) == 1
    assert count_documents(docs.values(), ee_brackets) == 1
    assert count_documents(docs, lambda d: d.notes) == 1
    assert count_documents(docs, lambda d: d.textbounds.get("T99")) == 0


def test_assert_same_brackets():
    assert_same_brackets("[b] [a] [a]", ["[a]", "[a]", "[b]"])
    with pytest.raises(AssertionError, match="lacks"):
        assert_same_brackets("[b] [b] [a]", ["[a]", "[a]", "[b]"], "doc")
    with pytest.raises(AssertionError, match="is not made of"):
        assert_same_brackets("[a] [b]", ["[a]"], "doc")


def sample(task: str, key: str, input_: str, output: str) -> dict:
    return {"id": f"toy.{task}:train:{key}", "task": f"toy.{task}", "input": input_, "output": output}


def good_samples(doc: Standoff) -> dict[str, list[dict]]:
    ner = " ".join(ner_brackets(doc, (".a1",)))
    return {
        "ner": [sample("ner", "PMID-1", TEXT, ner)],
        "re": [sample("re", "PMID-1", TEXT, "[<this factor> <Coreference> <NF-kB>]")],
        "ee": [sample("ee", "PMID-1", TEXT, " ".join(reversed(ee_brackets(doc))))],
        "coref": [sample("coref", "PMID-1:T3", TEXT + "\nEntity: NF-kB", "[NF-kappa B]")],
    }


@pytest.mark.parametrize("kind", ["ner", "re", "ee", "coref"])
def test_samples_matching_the_documents_pass(corpus, kind):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    assert_samples_match_standoff(kind, good_samples(docs["PMID-1"])[kind], docs, ner_suffixes=(".a1",))


@pytest.mark.parametrize("kind", ["ner", "re", "ee", "coref"])
def test_samples_not_matching_the_documents_fail(corpus, kind):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    [good] = good_samples(docs["PMID-1"])[kind]
    wrong_output = dict(good, output=good["output"].replace("NF-k", "NF-K"))
    extra = sample(kind, "PMID-2" if kind != "coref" else "PMID-1:T5", TEXT, "[x]")
    for samples, message in (
        ([], "missing: \\['PMID-1"),
        ([good, extra], "not called for: \\['PMID-2|not called for: \\['PMID-1:T5"),
        ([good, good], "repeated: \\['PMID-1"),
        ([wrong_output], "PMID-1"),
    ):
        with pytest.raises(AssertionError, match=message):
            assert_samples_match_standoff(kind, samples, docs, ner_suffixes=(".a1",))


def test_ner_order_matters_and_the_suffixes_choose_the_entities(corpus):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    [good] = good_samples(docs["PMID-1"])["ner"]
    shuffled = dict(good, output=" ".join(reversed(ner_brackets(docs["PMID-1"], (".a1",)))))
    with pytest.raises(AssertionError):
        assert_samples_match_standoff("ner", [shuffled], docs, ner_suffixes=(".a1",))
    with pytest.raises(AssertionError):  # every entity, this factor (.a2) too
        assert_samples_match_standoff("ner", [good], docs)


def test_coref_input_must_end_with_the_anchor_and_an_anchor_of_two_chains_fails(corpus):
    docs = standoff_documents(corpus, (".a1", ".a2"))
    [good] = good_samples(docs["PMID-1"])["coref"]
    with pytest.raises(AssertionError, match="input does not end with 'NF-kB'"):
        assert_samples_match_standoff("coref", [dict(good, input=TEXT + "\nEntity: IL-2")], docs)
    twice = {"PMID-1": parse_standoff_text(A1 + "*\tEquiv T3 T5\n*\tEquiv T3 T4\n")}
    with pytest.raises(AssertionError, match="PMID-1:T3 anchors two chains"):
        assert_samples_match_standoff("coref", [good], twice)


def test_unknown_kind(corpus):
    with pytest.raises(ValueError, match="kind"):
        assert_samples_match_standoff("ned", [], {})


# -- the helpers agree with the core brat reader and kb formatters -----------------


class BratTasks:
    """ner/re/ee/coref tasks on the brat reader, configured as MedINST's BioNLP sets."""

    TASKS = {
        "ner": ("NER", [".a1"], "ner_entities", {}),
        "re": ("RE", [".a1", ".a2"], "re", {}),
        "ee": ("EE", [".a1", ".a2"], "ee", {"theme_roles": ["Theme"], "event_themes": "skip"}),
        "coref": ("COREF", [".a1", ".a2"], "coref", {"anchors": "first"}),
    }

    @hookimpl
    def register_tasks(self, register):
        for kind, (category, suffixes, formatter, options) in self.TASKS.items():
            task = manifest(
                id=f"toy.{kind}", category=category, empty_output="drop", metrics=["entity_f1"],
                source={"reader": "brat", "options": {"suffixes": suffixes}, "splits": {"train": ["train/*.txt"]}},
                formatter={"name": formatter, "options": options},
            )
            del task["medinst"]
            register(task)


@pytest.mark.parametrize("kind", ["ner", "re", "ee", "coref"])
def test_the_core_build_matches_the_helpers(corpus, kind):
    registry = load_registry(entrypoints=False, plugins=[("toy", BratTasks())])
    assert not registry.problems
    samples = task_samples(registry, f"toy.{kind}", "train", corpus.parent)
    assert len(samples) == 1
    assert_samples_match_standoff(kind, samples, standoff_documents(corpus, (".a1", ".a2")), ner_suffixes=(".a1",))


def test_the_helpers_do_not_use_the_core_reader():
    code = (
        "import sys, medinst_core.testing as t; assert 'medinst_core.testing.brat' not in sys.modules; "
        "t.parse_standoff_text('T1\\tGene 0 1\\ta\\n'); "
        "assert 'medinst_core.testing.brat' in sys.modules; assert 'medinst_core.readers.brat' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_every_brat_helper_is_importable_from_testing():
    import medinst_core.testing as testing
    import medinst_core.testing.brat as testing_brat

    for name in testing_brat.__all__:
        assert getattr(testing, name) is getattr(testing_brat, name)
    with pytest.raises(AttributeError, match="no attribute 'parse_brat'"):
        testing.parse_brat  # noqa: B018


def test_importing_the_kit_leaves_the_brat_helpers_unloaded():
    import subprocess
    import sys

    code = "import sys, medinst_core.testing; assert 'medinst_core.testing.brat' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)
