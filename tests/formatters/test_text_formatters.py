from __future__ import annotations

import pytest

from medinst_core.errors import SourceError
from medinst_core.formatters.text import qa, round_score, sts, te, text_classification, text_pair_classification, text_to_text
from medinst_core.records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord


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
