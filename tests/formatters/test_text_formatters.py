from __future__ import annotations

import pytest

from medinst_core.errors import ManifestError, SourceError
from medinst_core.formatters import text
from medinst_core.formatters.text import round_score
from medinst_core.records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord

from ._util import filled

qa, sts, te, text_classification, text_pair_classification, text_to_text = map(
    filled, (text.qa, text.sts, text.te, text.text_classification, text.text_pair_classification, text.text_to_text)
)


def one(fn, record, **options):
    [draft] = list(fn(record, options))
    return draft


def test_yesno_and_maybe():
    d = one(qa, QARecord(id="1", question="Is it?", type="yesno", context="Ctx.", answers=["Yes"]))
    assert (d.input, d.output) == ("Question: Is it?\nContext: Ctx.", "yes")


def test_multiple_choice_letters_and_answer_styles():
    r = QARecord(id="1", question="Which?", type="multiple_choice", choices=["Ant", "Bee", "Cat"], answers=["Bee"])
    d = one(qa, r)
    assert d.input == "Question: Which?\nOptions:\nA. Ant\nB. Bee\nC. Cat" and d.output == "Bee"
    assert one(qa, r, answer="letter").output == "B"
    assert one(qa, r, answer="letter_text").output == "B. Bee"
    by_letter = QARecord(id="2", question="Q", type="multiple_choice", choices=["x", "y"], choice_labels=["A", "B"], answers=["B"])
    assert one(qa, by_letter).output == "y"
    with pytest.raises(SourceError, match="not one of the options"):
        one(qa, QARecord(id="3", question="Q", type="multiple_choice", choices=["x"], answers=["z"]))


def test_multiple_choice_more_than_26_options():
    choices = [f"c{i}" for i in range(30)]
    d = one(qa, QARecord(id="1", question="Q", type="multiple_choice", choices=choices, answers=["c28"]))
    lines = d.input.split("\n")[2:]
    assert len(lines) == 30 and lines[25:] == ["Z. c25", "AA. c26", "AB. c27", "AC. c28", "AD. c29"]
    assert d.output == "c28"
    assert one(qa, QARecord(id="1", question="Q", type="multiple_choice", choices=choices, answers=["AC"])).output == "c28"


def test_list_factoid_summary():
    assert one(qa, QARecord(id="1", question="Q", type="list", answers=["a", "b"])).output == "[a] [b]"
    assert one(qa, QARecord(id="1", question="Q", type="list", answers=["a", "b"]), list_format="comma").output == "a, b"
    assert one(qa, QARecord(id="1", question="Q", type="factoid", answers=["BRCA1", "BRCA-1"])).output == "BRCA1"


def test_te_label_map_and_unknown_label():
    r = TERecord(id="1", premise="P.", hypothesis="H.", label="SUPPORT")
    assert one(te, r, labels={"SUPPORT": "Supports", "CONTRADICT": "Refutes"}).output == "Supports"
    with pytest.raises(SourceError, match="'SUPPORT' is not one of"):
        one(te, r, labels={"NEI": "Neutral"})


@pytest.mark.parametrize("value, rounding, expected", [
    (2.5, "half_up", 3), (2.5, "nearest_even", 2), (3.5, "nearest_even", 4), (2.9, "floor", 2), (2.4, "half_up", 2), (3.8, "half_up", 4),
])
def test_rounding(value, rounding, expected):
    assert round_score(value, rounding) == expected


def test_sts_scale_and_clamp():
    r = PairsRecord(id="1", text_1="a", text_2="b", score=3.8)
    assert one(sts, r).output == "4" and one(sts, r).input == "Sentence 1: a\nSentence 2: b"
    assert one(sts, r, scale=1.25).output == "5"
    assert one(sts, r, scale=2.0).output == "5"  # clamped


def test_text_classification_multi_label_order_and_none():
    r = TextRecord(id="1", text="t", labels=["b", "a", "b"])
    assert one(text_classification, r).output == "b, a"
    assert one(text_classification, r, order="alphabetical").output == "a, b"
    assert one(text_classification, r, labels={"a": "Alpha", "b": "Beta"}, order="declared").output == "Alpha, Beta"
    assert one(text_classification, TextRecord(id="2", text="t"), none_label="none").output == "none"


def test_text_to_text_and_pairs():
    r = T2TRecord(id="1", text_1="中文", text_2="English")
    assert (one(text_to_text, r).input, one(text_to_text, r).output) == ("中文", "English")
    assert one(text_to_text, r, direction="2to1").output == "中文"
    p = PairsRecord(id="1", text_1="a", text_2="b", label="1")
    assert one(text_pair_classification, p, labels={"1": "similar"}).output == "similar"


def test_yesno_maybe_forms_and_missing_answer():
    for raw, word in (("Yes.", "yes"), (" no ", "no"), ("Maybe", "maybe")):
        assert one(qa, QARecord(id="1", question="Q?", type="yesno", answers=[raw])).output == word
    d = one(qa, QARecord(id="1", question="Q?", type="yesno"), question_prefix="", context_prefix="")
    assert (d.input, d.output) == ("Q?", "")  # no context line; empty output left to the empty_output policy


def test_multiple_choice_native_letters_and_prefix():
    r = QARecord(id="1", question="Q", type="multiple_choice", choices=["x", "y", "z"],
                 choice_labels=["C", "D", "E"], answers=["z"])
    d = one(qa, r, choices_prefix="Choose one:", answer="letter_text")
    assert d.input == "Question: Q\nChoose one:\nC. x\nD. y\nE. z" and d.output == "E. z"
    # an option whose text is also a letter is read as the text
    tricky = QARecord(id="2", question="Q", type="multiple_choice", choices=["B", "A"], answers=["A"])
    assert one(qa, tricky, answer="letter").output == "B"


def test_summary_and_empty_list():
    assert one(qa, QARecord(id="1", question="Q", type="summary", answers=["A long answer."])).output == "A long answer."
    assert one(qa, QARecord(id="1", question="Q", type="list")).output == ""


@pytest.mark.parametrize("value, rounding, expected", [
    (0.5, "half_up", 1), (0.5, "nearest_even", 0), (1.5, "nearest_even", 2), (4.5, "half_up", 5), (4.5, "nearest_even", 4),
    (2.4999999999999996, "half_up", 2), (0.30000000000000004 * 5, "half_up", 2), (4.99, "floor", 4), (0.0, "floor", 0),
])
def test_rounding_ties(value, rounding, expected):
    assert round_score(value, rounding) == expected


def test_sts_reads_label_and_rejects_missing_score():
    assert one(sts, PairsRecord(id="1", text_1="a", text_2="b", label="2.6")).output == "3"
    assert one(sts, PairsRecord(id="1", text_1="a", text_2="b", score=2.6), rounding="floor", separator=" | ").input == (
        "Sentence 1: a | Sentence 2: b")
    assert one(sts, PairsRecord(id="1", text_1="a", text_2="b", score=-1.0)).output == "0"
    for bad in (PairsRecord(id="9", text_1="a", text_2="b"), PairsRecord(id="9", text_1="a", text_2="b", label="high"),
                PairsRecord(id="9", text_1="a", text_2="b", score=float("nan"))):
        with pytest.raises(SourceError, match="record 9: a numeric similarity score is required"):
            one(sts, bad)


def test_biosses_means_of_five_ratings_never_tie():
    # the mean of five integer ratings is a multiple of 0.2: half_up and nearest_even agree on all of them
    for total in range(0, 21):
        mean = total / 5
        assert round_score(mean, "half_up") == round_score(mean, "nearest_even") == int(mean + 0.5)


def test_text_classification_map_drop_joiner_prefix():
    r = TextRecord(id="1", text="t", labels=["proliferation", "NULL", "evasion"])
    d = one(text_classification, r, labels={"proliferation": "Sustaining proliferative signaling", "NULL": ""},
            joiner="; ", prefix="Text: ")
    assert (d.input, d.output) == ("Text: t", "Sustaining proliferative signaling; evasion")
    assert one(text_classification, r, labels={"evasion": "E"}, drop_unmapped=True).output == "E"
    declared = one(text_classification, TextRecord(id="2", text="t", labels=["z", "b", "a"]),
                   labels={"b": "B", "a": "A"}, order="declared")
    assert declared.output == "B, A, z"  # declared order first, then the unmapped ones alphabetically
    assert one(text_classification, TextRecord(id="3", text="t", labels=["b", "B", "a"]), order="alphabetical").output == "a, b, B"


def test_te_and_pair_labels_without_map_and_unknown():
    assert one(te, TERecord(id="1", premise="P", hypothesis="H", label="Neutral"), premise_prefix="", hypothesis_prefix="").input == "P\nH"
    assert one(te, TERecord(id="1", premise="P", hypothesis="H", label="Neutral")).output == "Neutral"
    with pytest.raises(SourceError, match="record 7: label 'x' is not one of"):
        one(text_pair_classification, PairsRecord(id="7", text_1="a", text_2="b", label="x"), labels={"y": "Y"})


def test_text_to_text_prefix():
    r = T2TRecord(id="1", text_1="abstract", text_2="related work")
    assert one(text_to_text, r, prefix="Abstract: ").input == "Abstract: abstract"


@pytest.mark.parametrize(
    "score, declared, expected",
    [
        (0.0, [0, 10], "0"), (10.0, [0, 10], "5"), (4.99, [0, 10], "2"), (5.0, [0, 10], "3"),  # 2.5 rounds up
        (1.98, [0, 10], "1"), (1.0, [1, 10], "0"), (10.0, [1, 10], "5"), (5.5, [1, 10], "3"),  # 2.5 again
        (1.5, [0, 3], "3"), (1.4, [0, 3], "2"), (800.0, [0, 1600], "3"), (1565.25, [0, 1600], "5"),
    ],
)
def test_sts_range_maps_the_native_scale_onto_min_max(score, declared, expected):
    r = PairsRecord(id="1", text_1="a", text_2="b", score=score)
    assert one(sts, r, range=declared).output == expected


def test_sts_range_ties_are_decimal_and_follow_rounding():
    # 1.5 on 0-3 is exactly 2.5 on 0-5: a tie, rounded half up or to the even 2
    r = PairsRecord(id="1", text_1="a", text_2="b", score=1.5)
    assert one(sts, r, range=[0, 3]).output == "3"
    assert one(sts, r, range=[0, 3], rounding="nearest_even").output == "2"
    assert one(sts, r, range=[0, 3], rounding="floor").output == "2"
    # onto another target scale
    assert one(sts, PairsRecord(id="1", text_1="a", text_2="b", score=7.0), range=[0, 10], min=1, max=4).output == "3"


def test_sts_range_replaces_scale_and_rejects_scores_outside_it():
    r = PairsRecord(id="9", text_1="a", text_2="b", score=8.0, source="f.tsv:3")
    assert one(sts, r, range=[0, 10], scale=3).output == "4"
    with pytest.raises(SourceError, match=r"f.tsv.*record 9: score 8.0 is outside the declared range \[0.0, 4.0\]"):
        one(sts, r, range=[0, 4])
    with pytest.raises(SourceError, match="outside the declared range"):
        one(sts, PairsRecord(id="1", text_1="a", text_2="b", label="-0.5"), range=[0, 10])
    assert one(sts, PairsRecord(id="1", text_1="a", text_2="b", label="6.00"), range=[0, 10]).output == "3"


def test_text_to_text_input_template_names_the_languages():
    r = T2TRecord(id="1", text_1="The heart.", text_2="El corazón.", text_1_lang="en", text_2_lang="es",
                  text_1_name="english", text_2_name="spanish")
    names = {"en": "English", "es": "Spanish"}
    d = one(text_to_text, r, input_template="Translate into {target_lang}.\n{source_lang}: {text}", language_names=names)
    assert (d.input, d.output) == ("Translate into Spanish.\nEnglish: The heart.", "El corazón.")
    d = one(text_to_text, r, direction="2to1", input_template="{source_name}->{target_name} {{{target_lang}}}: {text}")
    assert (d.input, d.output) == ("spanish->english {en}: El corazón.", "The heart.")
    assert one(text_to_text, r, input_template="", prefix="> ").input == "> The heart."
    with pytest.raises(ManifestError, match=r"input_template.*names \{lang\}"):
        one(text_to_text, r, input_template="{lang}: {text}")


def test_text_pair_classification_prefixes():
    p = PairsRecord(id="1", text_1="Tablets helped a lot.", text_2="ibuprofen", label="2")
    d = one(text_pair_classification, p, labels={"2": "positive"}, text_1_prefix="Text: ", text_2_prefix="Drug: ")
    assert (d.input, d.output) == ("Text: Tablets helped a lot.\nDrug: ibuprofen", "positive")
    assert one(text_pair_classification, p).input == "Text 1: Tablets helped a lot.\nText 2: ibuprofen"


def test_sts_prefixes_for_term_pairs():
    r = PairsRecord(id="1", text_1="depolymerize", text_2="reduce", score=1.98)
    d = one(sts, r, range=[0, 10], text_1_prefix="Term 1: ", text_2_prefix="Term 2: ")
    assert (d.input, d.output) == ("Term 1: depolymerize\nTerm 2: reduce", "1")


def test_sts_input_template_says_which_judgement():
    r = PairsRecord(id="1", text_1="Renal failure", text_2="Kidney failure", score=1500.0, document_id="similarity")
    d = one(sts, r, range=[0, 1600], input_template="Judge the {document_id} of:\nTerm 1: {text_1}\nTerm 2: {text_2}")
    assert (d.input, d.output) == ("Judge the similarity of:\nTerm 1: Renal failure\nTerm 2: Kidney failure", "5")
    with pytest.raises(ManifestError, match=r"names \{score\}"):
        one(sts, r, input_template="{score}")
