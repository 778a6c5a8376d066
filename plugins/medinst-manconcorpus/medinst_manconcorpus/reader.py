"""Reading ManConCorpus as distributed (``manconcorpus``).

File
----
``ManConCorpus.xml`` (Alamri & Stevenson, 2016): claims from the conclusions of
the abstracts cited by 24 systematic reviews, grouped by review; every claim
carries the clinical question of its review and whether it answers the
question yes or no::

    <CORPUS>
      <REVIEW REVIEW_PMID="..." REVIEW_TITLE="...">
        <CLAIM ASSERTION="YS" PMID="..." QUESTION="In patients with ..., does ..." TYPE="CAUS">text</CLAIM>
        ...
      </REVIEW>
    </CORPUS>

The file is parsed with the standard library's expat parser, streamed;
``CLAIM`` elements are accepted at any depth.  Entity declarations are
refused (they allow external-entity and entity-expansion attacks); character
references such as ``&#8212;`` are fine.

Records: sentence pairs
-----------------------
The corpus has claims, not pairs; pairs are derived from them as usual for
this corpus.  Claims are numbered 0, 1, ... in document order and grouped by
their ``QUESTION`` (whitespace collapsed).  For claims ``i < j``:

* same question, same assertion (YS/YS or NO/NO) -> ``entailment``;
* same question, opposite assertions -> ``contradiction``;
* different questions -> ``neutral``.

Every within-question pair is kept; of the neutral pairs, which far outnumber
them, option ``neutral_pairs`` keeps a fixed number (default 1,000): those
whose SHA-256 of their two texts (UTF-8, in sorted order, joined by a
newline) is smallest, a deterministic choice that does not depend on the order
of the claims in the file.  ``"all"``
keeps them all.  Pairs are yielded in ``(i, j)`` order as
:class:`~medinst_core.records.TERecord` with id ``<i>_<j>``, premise claim
``i`` and hypothesis claim ``j``.

Errors
------
Malformed XML, a ``CLAIM`` without ``QUESTION``, with an ``ASSERTION`` other
than ``YS``/``NO``, or without text, are
:class:`~medinst_core.errors.SourceError` with the file and line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, NamedTuple
from xml.parsers import expat

from medinst_core.plugin_api import (
    Diagnostics,
    ManifestError,
    SourceError,
    SourceFiles,
    TERecord,
)

ASSERTIONS = ("YS", "NO")


class Claim(NamedTuple):
    text: str
    question: str
    assertion: str
    pmid: str
    line: int


class _Refused(Exception):
    pass


# complexity above the limit: one branch per field of a claim row, each with its own error
def read_claims(path: Path) -> list[Claim]:  # noqa: C901
    """Every CLAIM of a ManConCorpus XML file, in document order."""
    claims: list[Claim] = []
    parser = expat.ParserCreate()
    current: dict[str, Any] | None = None

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal current
        if name == "CLAIM":
            if current is not None:
                raise SourceError(path, parser.CurrentLineNumber, "a CLAIM inside another CLAIM")
            current = {"attrs": attrs, "line": parser.CurrentLineNumber, "text": []}

    def end(name: str) -> None:
        nonlocal current
        if name != "CLAIM" or current is None:
            return
        attrs, line = current["attrs"], current["line"]
        text = " ".join("".join(current["text"]).split())
        current = None
        question = " ".join((attrs.get("QUESTION") or "").split())
        assertion = (attrs.get("ASSERTION") or "").strip()
        if not question:
            raise SourceError(path, line, "the CLAIM has no QUESTION attribute")
        if assertion not in ASSERTIONS:
            raise SourceError(path, line, f"the CLAIM's ASSERTION must be YS or NO, found {assertion!r}")
        if not text:
            raise SourceError(path, line, "the CLAIM has no text")
        claims.append(Claim(text, question, assertion, (attrs.get("PMID") or "").strip(), line))

    def chars(data: str) -> None:
        if current is not None:
            current["text"].append(data)

    def entity_decl(*_args: Any) -> None:
        raise _Refused

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.EntityDeclHandler = entity_decl
    try:
        f = open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    with f:
        try:
            parser.ParseFile(f)
        except _Refused:
            raise SourceError(path, parser.CurrentLineNumber, "the DOCTYPE declares entities (<!ENTITY ...>); "
                              "entity declarations are refused") from None
        except expat.ExpatError as exc:
            raise SourceError(path, exc.lineno, f"malformed XML: {expat.ErrorString(exc.code)} "
                              f"(column {exc.offset + 1})") from None
        except OSError as exc:
            raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    return claims


def pair_digest(text_1: str, text_2: str) -> bytes:
    """The SHA-256 that orders neutral pairs (symmetric in the two texts)."""
    a, b = sorted((text_1, text_2))
    return hashlib.sha256(f"{a}\n{b}".encode("utf-8")).digest()


def claim_pairs(claims: list[Claim], neutral_pairs: int | None) -> Iterator[tuple[int, int, str]]:
    """``(i, j, label)`` for the pairs described in the module documentation, in (i, j) order."""
    kept_neutral: set[tuple[int, int]] | None = None
    if neutral_pairs is not None:
        neutral = [(i, j) for i in range(len(claims)) for j in range(i + 1, len(claims))
                   if claims[i].question != claims[j].question]
        neutral.sort(key=lambda p: (pair_digest(claims[p[0]].text, claims[p[1]].text), p))
        kept_neutral = set(neutral[:neutral_pairs])
    for i, a in enumerate(claims):
        for j in range(i + 1, len(claims)):
            b = claims[j]
            if a.question == b.question:
                yield i, j, "entailment" if a.assertion == b.assertion else "contradiction"
            elif kept_neutral is None or (i, j) in kept_neutral:
                yield i, j, "neutral"


def read_manconcorpus(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[TERecord]:
    setting = options.get("neutral_pairs", 1000)
    if setting == "all":
        neutral_pairs = None
    elif isinstance(setting, int) and not isinstance(setting, bool) and setting >= 0:
        neutral_pairs = setting
    else:
        raise ManifestError(None, "/source/options/neutral_pairs", f"expected a count >= 0 or \"all\", found {setting!r}")
    for path in files.all("data"):
        claims = read_claims(path)
        if not claims:
            raise SourceError(path, None, "no CLAIM element: is this ManConCorpus.xml?")
        for i, j, label in claim_pairs(claims, neutral_pairs):
            yield TERecord(id=f"{i}_{j}", premise=claims[i].text, hypothesis=claims[j].text, label=label,
                           source=f"{path}:{claims[i].line}")
