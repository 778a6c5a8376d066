"""Hypothesis strategies for answer-like text."""

from __future__ import annotations

from hypothesis import strategies as st

#: words with the suffixes the Porter stemmer cares about, repeated tokens,
#: articles, digits, and characters that lower-case to ASCII (Kelvin sign, dotted I)
WORDS = [
    "the", "a", "an", "cells", "cell", "caresses", "ponies", "ties", "agreed", "feed", "hopping", "filing",
    "happy", "sky", "relational", "conditional", "generalization", "hopefulness", "electrical", "allowance",
    "adjustment", "adoption", "controlling", "rolled", "protein", "proteins", "binding", "bound", "inhibits",
    "inhibition", "BRCA1", "p53", "IL-2", "TNF-alpha", "disease", "diseases", "cancer", "Cancer", "tumour",
    "yes", "no", "maybe", "Supports", "Refutes", "Neutral", "0", "1", "4", "5", "10", "2.5", "Kelvin",
    "İstanbul", "naïve", "über", "dying", "news", "innings", "analogous", "formalize", "archaeology",
    "yyyy", "sy", "flies", "died", "spied",
]  # fmt: skip

SEPARATORS = [" ", "  ", ", ", ". ", "-", "/", "\n", "\t", "(", ")", "'s ", ": ", " [", "] ", "<", ">"]

word = st.one_of(st.sampled_from(WORDS), st.text(min_size=1, max_size=8))
sep = st.sampled_from(SEPARATORS)


@st.composite
def texts(draw, max_words: int = 30) -> str:
    n = draw(st.integers(0, max_words))
    parts = []
    for _ in range(n):
        parts.append(draw(word))
        parts.append(draw(sep))
    return "".join(parts)


@st.composite
def text_pairs(draw, max_words: int = 30) -> tuple[str, str]:
    """A gold text and a prediction that often shares words with it."""
    gold = draw(texts(max_words))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return gold, gold
    if kind == 1:
        words = gold.split()
        if words:
            words = draw(st.permutations(words))
            keep = draw(st.integers(0, len(words)))
            return gold, " ".join(words[:keep]) + draw(texts(5))
    return gold, draw(texts(max_words))


@st.composite
def entity_answers(draw) -> str:
    """Bracketed answers with nested, unmatched and unclosed brackets."""
    items = draw(st.lists(st.sampled_from(
        ["BRCA1 <Gene>", "breast cancer <Disease>", "the cancer <Disease>", "p53 <Gene>", "IL-2 <Protein>",
         "BRCA1 <Gene> associated with breast cancer <Disease>", "a [nested] one", "", "The", "x"]
    ), max_size=6))  # fmt: skip
    out = []
    for it in items:
        out.append(draw(st.sampled_from(["[", "[", "[", " [", "x ["])) + it + draw(st.sampled_from(["]", "] ", "]]", "]"])))
    if draw(st.booleans()):
        out.append(draw(st.sampled_from(["[unclosed", "]", "stray text", "[a [b] c]"])))
    return "".join(draw(st.permutations(out)))
