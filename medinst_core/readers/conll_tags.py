"""Tags to mentions for the CoNLL / IOB reader (:mod:`.conll`, whose
documentation describes the schemes): the prefixes each scheme allows, and the
decoder that validates tags and builds a sentence's or document's record."""

from __future__ import annotations

from itertools import accumulate

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..records import KBRecord, Passage
from .construct import fast_constructor, make_entity

ORPHAN = "conll_orphan_inside"

_PREFIXES = {
    "iob1": frozenset("BIO"),
    "iob2": frozenset("BIO"),
    "iobes": frozenset("BIESO"),
    "bilou": frozenset("BILUO"),
}

_build_record = fast_constructor(KBRecord)
_build_passage = fast_constructor(Passage)


class _Decoder:
    def __init__(self, scheme: str, default_type: str, diagnostics: Diagnostics):
        self.scheme = scheme
        self.prefixes = _PREFIXES[scheme]
        self.default_type = default_type
        self.diagnostics = diagnostics
        self.cache: dict[str, tuple[str, str]] = {}

    def split(self, tag: str) -> tuple[str, str]:
        hit = self.cache.get(tag)
        if hit is None:
            if tag == "O":
                hit = ("O", "")
            else:
                prefix, sep, etype = tag.partition("-")
                if not sep:
                    prefix, sep, etype = tag.partition("_")
                hit = (prefix, etype if sep and etype else self.default_type)
            self.cache[tag] = hit
        return hit

    def validate(self, tag: str, path, lineno: int) -> tuple[str, str]:
        """The ``(prefix, type)`` of a tag; an unknown prefix is an error."""
        prefix, etype = self.split(tag)
        if prefix not in self.prefixes:
            del self.cache[tag]
            allowed = ", ".join(sorted(self.prefixes - {"O"}))
            raise SourceError(
                path, lineno, f"tag {tag!r} is not a {self.scheme.upper()} tag (O, or {allowed} with an optional -TYPE)"
            )
        return prefix, etype

    def spans(self, tags: list[str], parts: list[tuple[str, str]], where: str) -> list[tuple[int, int, str]]:
        """``(first token, last token + 1, type)`` of every mention."""
        out: list[tuple[int, int, str]] = []
        start = -1
        cur = ""
        scheme = self.scheme
        for i, (prefix, etype) in enumerate(parts):
            if prefix == "O":
                if start >= 0:
                    out.append((start, i, cur))
                    start = -1
                continue
            if prefix == "I":
                if start >= 0 and etype == cur:
                    continue
                if start >= 0:
                    out.append((start, i, cur))
                if scheme != "iob1":
                    self.diagnostics.warn(ORPHAN, f"{where}: token {i} tagged {tags[i]} does not continue a mention")
                start, cur = i, etype
                continue
            if prefix == "B":
                if start >= 0:
                    out.append((start, i, cur))
                start, cur = i, etype
                continue
            if prefix in ("E", "L"):
                if start >= 0 and etype == cur:
                    out.append((start, i + 1, cur))
                else:
                    if start >= 0:
                        out.append((start, i, cur))
                    self.diagnostics.warn(ORPHAN, f"{where}: token {i} tagged {tags[i]} does not end a mention")
                    out.append((i, i + 1, etype))
                start = -1
                continue
            # S / U
            if start >= 0:
                out.append((start, i, cur))
                start = -1
            out.append((i, i + 1, etype))
        if start >= 0:
            out.append((start, len(tags), cur))
        return out

    def placed_record(self, rid: str, doc_id: str, tokens: list[str], tags: list[str], parts: list[tuple[str, str]],
                      starts: list[int], path, line: int) -> KBRecord:
        """A record whose tokens sit at the given start offsets (gaps are spaces)."""
        pieces: list[str] = []
        pos = 0
        for token, start in zip(tokens, starts):
            pieces.append(" " * (start - pos))
            pieces.append(token)
            pos = start + len(token)
        text = "".join(pieces)
        entities = []
        for k, (i, j, etype) in enumerate(self.spans(tags, parts, f"{path}:{line}")):
            s, e = starts[i], starts[j - 1] + len(tokens[j - 1])
            entities.append(make_entity(f"T{k}", etype, (text[s:e],), ((s, e),)))
        return _build_record(
            id=rid,
            document_id=doc_id,
            passages=(_build_passage(id="P0", type="document", text=text, offsets=((0, len(text)),)),),
            entities=tuple(entities),
            tokens=tuple(tokens),
            tags=tuple(tags),
            source=f"{path}:{line}",
        )

    def record(self, rid: str, doc_id: str, tokens: list[str], tags: list[str], parts: list[tuple[str, str]],
               path, line: int) -> KBRecord:
        text = " ".join(tokens)
        entities = []
        if tags.count("O") != len(tags):
            # token i starts at (length of the tokens before it) + i (the spaces)
            before = list(accumulate(map(len, tokens), initial=0))
            for k, (i, j, etype) in enumerate(self.spans(tags, parts, f"{path}:{line}")):
                s, e = before[i] + i, before[j] + j - 1
                entities.append(make_entity(f"T{k}", etype, (text[s:e],), ((s, e),)))
        return _build_record(
            id=rid,
            document_id=doc_id,
            passages=(_build_passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
            entities=tuple(entities),
            tokens=tuple(tokens),
            tags=tuple(tags),
            source=f"{path}:{line}",
        )
