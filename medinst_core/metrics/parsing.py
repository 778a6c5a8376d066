"""Answer parsing shared by metrics and formatters.

* :func:`normalize_answer` -- SQuAD-style answer normalisation.
* :func:`outer_brackets` -- the contents of each outermost ``[...]`` group.
"""

from __future__ import annotations

import re
import string

__all__ = ["normalize_answer", "answer_words", "outer_brackets"]

_PUNCT_TABLE = str.maketrans("", "", string.punctuation)
_PUNCT_BYTES = string.punctuation.encode("ascii")
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_BRACKET = re.compile(r"[\[\]]")
#: a group with no bracket inside: the whole story when the brackets of a text alternate [ ] [ ] ...
_FLAT_GROUP = re.compile(r"\[([^\[\]]*)\]")
#: ASCII characters that are neither word characters nor whitespace once punctuation is gone
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
_ARTICLE_WORDS = frozenset(("a", "an", "the"))


def normalize_answer(s: str) -> str:
    """Lower-case, drop ASCII punctuation, drop the articles a/an/the, collapse whitespace.

    The order is the SQuAD one: lower case, remove punctuation, remove
    articles, then split on whitespace and re-join with single spaces.

    >>> normalize_answer("  The  Cat's [hat]!  ")
    'cats hat'
    """
    return " ".join(answer_words(s))


def answer_words(s: str) -> list[str]:
    """The words of :func:`normalize_answer`'s form of ``s`` (its ``split()``).

    >>> answer_words("  The  Cat's [hat]!  ")
    ['cats', 'hat']
    """
    s = s.lower()
    if s.isascii():
        # deleting bytes is several times faster than str.translate
        s = s.encode("ascii").translate(None, _PUNCT_BYTES).decode("ascii")
        if _ASCII_CONTROL.search(s) is None:
            # every whitespace-separated token is made of word characters, so
            # the article pattern can only match whole tokens
            return [w for w in s.split() if w not in _ARTICLE_WORDS]
    else:
        s = s.translate(_PUNCT_TABLE)
    return _ARTICLES.sub(" ", s).split()


def outer_brackets(text: str) -> list[str]:
    """The contents of each outermost ``[...]`` group of ``text``, in order.

    Nested brackets stay inside the content (``"[a [b] c]"`` gives
    ``["a [b] c"]``); text outside brackets and a ``]`` with no open bracket
    are ignored; an ``[`` that is never closed contributes nothing.

    >>> outer_brackets("x [a <T>] y ] [b [c]] [open")
    ['a <T>', 'b [c]']
    """
    if "[" not in text:
        return []
    marks = _BRACKET.findall(text)
    if len(marks) % 2 == 0 and "".join(marks) == "[]" * (len(marks) // 2):
        return _FLAT_GROUP.findall(text)  # no nesting, no stray bracket
    out: list[str] = []
    depth = 0
    start = 0
    for m in _BRACKET.finditer(text):
        i = m.start()
        if text[i] == "[":
            if depth == 0:
                start = i + 1
            depth += 1
        elif depth:  # a "]" closing an open bracket; others are ignored
            depth -= 1
            if depth == 0:
                out.append(text[start:i])
    return out
