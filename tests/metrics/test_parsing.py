from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.metrics.parsing import answer_words, normalize_answer, outer_brackets

from .strategies import entity_answers, texts


def test_normalize_answer_squad_rules():
    assert normalize_answer("  The  Cat's [hat]!  ") == "cats hat"
    assert normalize_answer("An apple, a day") == "apple day"
    assert normalize_answer("Theory and anthem") == "theory and anthem"  # articles only as whole words
    assert normalize_answer("A-B") == "ab"  # punctuation is dropped, not turned into space
    assert normalize_answer("") == ""
    assert normalize_answer("É\u00a0the\u2003Ü") == "é ü"  # unicode whitespace collapses; non-ASCII kept


def test_normalize_answer_drops_articles_after_punctuation_removal():
    # "the." loses its dot first, then "the" is an article
    assert normalize_answer("the. end") == "end"
    # "a's" -> "as", which is not an article
    assert normalize_answer("a's") == "as"


def test_outer_brackets_rules():
    assert outer_brackets("x [a <T>] y ] [b [c]] [open") == ["a <T>", "b [c]"]
    assert outer_brackets("] ] [a]") == ["a"]
    assert outer_brackets("[[a]") == []  # the outer bracket never closes
    assert outer_brackets("[a]]]b[c]") == ["a", "c"]
    assert outer_brackets("no brackets") == []
    assert outer_brackets("[]") == [""]
    assert outer_brackets("[[x] [y]] z [w]") == ["[x] [y]", "w"]


def _stack_reference(s: str) -> list[str]:
    # written independently: track depth character by character
    out, depth, cur = [], 0, ""
    for ch in s:
        if ch == "[":
            depth += 1
            if depth > 1:
                cur += ch
        elif ch == "]" and depth:
            depth -= 1
            if depth:
                cur += ch
            else:
                out.append(cur)
                cur = ""
        elif depth:
            cur += ch
    return out


@settings(max_examples=100, deadline=None)
@given(st.one_of(entity_answers(), texts(), st.text(alphabet="[]ab ", max_size=30)))
def test_outer_brackets_matches_a_character_scan(s):
    assert outer_brackets(s) == _stack_reference(s)


@settings(max_examples=150, deadline=None)
@given(st.one_of(texts(), st.text(max_size=40), st.text(alphabet="aA nthe.\x00\x1c\x7f\u00a0_'", max_size=20)))
def test_normalize_answer_equals_the_squad_recipe(s):
    from medinst_core.metrics.reference import _normalize

    assert normalize_answer(s) == _normalize(s)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet="ab <>T-", max_size=8), max_size=6), st.lists(st.text(alphabet="xy ,.", max_size=4), max_size=7))
def test_outer_brackets_fast_path_for_flat_groups(items, gaps):
    # brackets that alternate [ ] [ ] ... are read with one regular expression
    items = items[: len(gaps)]
    s = "".join(g + "[" + it + "]" for g, it in zip(gaps, items)) + "".join(gaps[len(items) :])
    assert outer_brackets(s) == _stack_reference(s) == items


@settings(max_examples=150, deadline=None)
@given(st.one_of(texts(), st.text(max_size=40), st.text(alphabet="aA nthe.\x00\x1c\x7f\u00a0_'", max_size=20)))
def test_answer_words_are_the_normalised_words(s):
    assert answer_words(s) == normalize_answer(s).split()
