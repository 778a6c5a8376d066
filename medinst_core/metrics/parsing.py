"""Answer parsing shared by metrics and formatters.

* :func:`normalize_answer` -- SQuAD-style answer normalisation.
* :func:`outer_brackets` -- the contents of each outermost ``[...]`` group.
"""

from __future__ import annotations

import re
import string

__all__ = ["normalize_answer", "answer_words", "outer_brackets", "bracket_items", "flat_bracket_items"]

_PUNCT_TABLE = str.maketrans("", "", string.punctuation)
_PUNCT_BYTES = string.punctuation.encode("ascii")
#: ASCII bytes lower-cased (the rest unchanged), for one ``bytes.translate`` that
#: lower-cases and deletes punctuation at once
_LOWER_BYTES = bytes(c + 32 if 65 <= c <= 90 else c for c in range(256))
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_BRACKET = re.compile(r"[\[\]]")
#: a group with no bracket inside: the whole story when the brackets of a text alternate [ ] [ ] ...
_FLAT_GROUP = re.compile(r"\[([^\[\]]*)\]")
#: ASCII characters that are neither word characters nor whitespace once punctuation is gone
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f]")
#: every byte but those (``bytes.translate(None, _BUT_CONTROL)`` keeps only them: cheaper than the search)
_BUT_CONTROL = bytes(c for c in range(256) if not (c <= 8 or 14 <= c <= 27 or c == 127))
_ARTICLE_WORDS = frozenset(("a", "an", "the"))
#: ASCII lower-cased, both brackets marked as \x01; with the other punctuation
#: deleted, one ``bytes.translate`` normalises every group of a text at once
_ITEM_BYTES = bytes(1 if c in (0x5B, 0x5D) else c + 32 if 65 <= c <= 90 else c for c in range(256))
_ITEM_DELETE = _PUNCT_BYTES.replace(b"[", b"").replace(b"]", b"")
#: every byte but the brackets and the characters that keep a text off the
#: one-pass path of :func:`flat_bracket_items` (the control characters above,
#: and \x1c-\x1f, which ``str.split`` takes for whitespace and ``bytes.split`` does not)
_BUT_MARKS = bytes(c for c in range(256) if c not in b"[]" and not (c <= 8 or 14 <= c <= 31 or c == 127))
_ARTICLE_BYTES = frozenset((b"a", b"an", b"the"))


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
    if not s.isascii():
        s = s.lower()  # may be ASCII now (the Kelvin sign lower-cases to k)
    if s.isascii():
        # lower-casing and deleting bytes is several times faster than str.lower + str.translate
        raw = s.encode("ascii").translate(_LOWER_BYTES, _PUNCT_BYTES)
        s = raw.decode("ascii")
        if not raw.translate(None, _BUT_CONTROL):
            # every whitespace-separated token is made of word characters, so
            # the article pattern can only match whole tokens
            words = s.split()
            return words if _ARTICLE_WORDS.isdisjoint(words) else [w for w in words if w not in _ARTICLE_WORDS]
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


def bracket_items(text: str) -> list[str]:
    """:func:`normalize_answer` of each of :func:`outer_brackets`' groups.

    >>> bracket_items("x [The BRCA1 <Gene>] [a [b] c] y")
    ['brca1 gene', 'b c']
    """
    items = flat_bracket_items(text)
    return [normalize_answer(c) for c in outer_brackets(text)] if items is None else items


def flat_bracket_items(text: str) -> list[str] | None:
    """:func:`bracket_items` of an ASCII text whose brackets alternate ``[``
    ``]`` (no nesting, no stray bracket) and that has no control character,
    with a few passes of compiled string methods over the whole text; ``None``
    for any other text."""
    if "[" not in text:
        return []
    if not text.isascii():
        return None
    raw = text.encode("ascii")
    marks = raw.translate(None, _BUT_MARKS)  # the brackets, and any control character
    if marks != b"[]" * (len(marks) >> 1):
        return None
    # lower case, no punctuation, each bracket a mark (\x01) that no such text
    # contains and that is made a word of its own: the words of the text,
    # articles dropped, joined by single spaces, then the spaces beside a mark
    # dropped, hold every group normalised as normalize_answer would make it
    # one by one, between every other pair of marks: "x\x01brca1 gene\x01\x01\x01"
    words = raw.translate(_ITEM_BYTES, _ITEM_DELETE).replace(b"\x01", b" \x01 ").split()
    if not _ARTICLE_BYTES.isdisjoint(words):
        words = [w for w in words if w not in _ARTICLE_BYTES]
    joined = b" ".join(words).replace(b" \x01", b"\x01").replace(b"\x01 ", b"\x01")
    return joined.decode("ascii").split("\x01")[1::2]
