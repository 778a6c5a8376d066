"""CoNLL / IOB reader (``conll``): one token per line, blank line between sentences.

Format
------
Each non-blank line holds columns separated by a tab or by white space
(``separator``: ``"auto"`` uses tabs when the line has one, else runs of white
space); the token is column ``token_column`` and the tag column
``tag_column``.  A line that starts with
``docstart`` starts a new document and is not a
token; lines starting with ``comment_prefix`` are skipped.
Tags follow ``scheme``:

* ``iob2``: ``B-X`` begins, ``I-X`` continues, ``O`` outside;
* ``iob1``: ``I-X`` begins unless it continues an ``X`` mention; ``B-X`` only
  separates two adjacent ``X`` mentions;
* ``iobes`` / ``bilou``: ``S-X``/``U-X`` single-token, ``E-X``/``L-X`` last.

Untyped tags (``B``, ``I``...) get the type ``default_type``.
An ``I`` that cannot continue a mention (after ``O`` or another type in
``iob2``) starts one, counted as a ``conll_orphan_inside`` warning; an unknown
tag is an error.

Records
-------
One :class:`~medinst_core.records.KBRecord` per sentence, ids ``"0"``,
``"1"``... in order over all files of the split.  ``document_id`` is the
document number ``"d0"``, ``"d1"``... when the files have ``docstart`` lines,
else the sentence id.  ``tokens`` and ``tags`` keep the original sequences
(tags exactly as written, for BIO-style tasks).  The passage ``P0`` (type
``sentence``) is the tokens joined by single spaces; entities (ids ``T0``,
``T1``...) are rebuilt from the tags with offsets into that text, so an
entity's text is its tokens joined by single spaces.

The options, with their defaults and descriptions, are declared once, in
the reader's schema in ``medinst_core/default_plugins/readers.py``
(``medinst tasks show TASK`` prints them).

The files are read line by line; memory use is one sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from itertools import accumulate
from typing import Any

from ..default_plugins.readers import CONLL_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..options import with_defaults
from ..records import KBRecord, Passage
from ..sources import SourceFiles
from .construct import fast_constructor, make_entity
from .files import decoding_error, open_text

ORPHAN = "conll_orphan_inside"

_PREFIXES = {
    "iob1": frozenset("BIO"),
    "iob2": frozenset("BIO"),
    "iobes": frozenset("BIESO"),
    "bilou": frozenset("BILUO"),
}


# complexity above the limit: the per-line hot loop with its fast path, kept whole for speed
def read_conll(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:  # noqa: C901
    """Read every ``data`` file of the split (see the module documentation)."""
    options = with_defaults(CONLL_OPTIONS, options)
    scheme = options["scheme"]
    if scheme not in _PREFIXES:
        raise ManifestError(None, "/source/options/scheme", f"expected one of {sorted(_PREFIXES)}, found {scheme!r}")
    token_col = int(options["token_column"])
    tag_col = int(options["tag_column"])
    separator = options["separator"]
    docstart = options["docstart"]
    comment = options["comment_prefix"]
    default_type = options["default_type"]
    need = max(token_col if token_col >= 0 else -token_col - 1, tag_col if tag_col >= 0 else -tag_col - 1) + 1
    need = max(need, 2)
    decoder = _Decoder(scheme, default_type, diagnostics)
    parsed_tags = decoder.cache  # tag -> (prefix, type) for the tags already validated
    tab_only = separator == "tab"
    auto = separator == "auto"
    n = 0
    doc = -1

    def lines_one_by_one(path, lines: list[str], lineno: int, pending: list) -> Iterator[KBRecord]:
        """Every rule, line by line: blocks the fast path leaves, and errors.
        ``pending`` is ``[tokens, tags, parts, first line]`` of the open sentence."""
        nonlocal n, doc
        tokens, tags, parts, first = pending
        # the numbering continues from the line where the block starts (the parameter)
        for lineno, line in enumerate(lines, lineno):  # noqa: B020
            if not line or line.isspace():
                if tokens:
                    yield decoder.record(str(n), f"d{doc}" if doc >= 0 else str(n), tokens, tags, parts, path, first)
                    n += 1
                    tokens, tags, parts = [], [], []
                continue
            if comment and line.startswith(comment):
                continue
            if docstart and line.lstrip().startswith(docstart):
                if tokens:
                    yield decoder.record(str(n), f"d{doc}" if doc >= 0 else str(n), tokens, tags, parts, path, first)
                    n += 1
                    tokens, tags, parts = [], [], []
                doc += 1
                continue
            cols = line.split("\t") if tab_only or (auto and "\t" in line) else line.split()
            if len(cols) < need:
                raise SourceError(
                    path, lineno,
                    f"expected at least {need} columns (token column {token_col}, tag column {tag_col}), "
                    f"found {len(cols)}: {line[:80]!r}",
                )
            token = cols[token_col].strip()
            if not token:
                raise SourceError(path, lineno, "empty token")
            tag = cols[tag_col].strip()
            part = parsed_tags.get(tag)
            if part is None:
                part = decoder.validate(tag, path, lineno)
            if not tokens:
                first = lineno
            tokens.append(token)
            tags.append(tag)
            parts.append(part)
        pending[:] = [tokens, tags, parts, first]

    for path in files.all("data"):
        f = open_text(path)
        with f:
            try:
                for lineno, block, last in _blocks(f):
                    # the fast path: a whole sentence between blank lines, every
                    # line split the same way, no document or comment lines,
                    # only tags seen before; anything else goes line by line
                    lines = block.split("\n")
                    if not last and not (docstart and docstart in block) and not (comment and comment in block):
                        if tab_only or (auto and block.count("\t") >= len(lines)):
                            rows = [line.split("\t") for line in lines]
                        elif auto and "\t" in block:
                            rows = None
                        else:
                            rows = [line.split() for line in lines]
                        if rows is not None and min(map(len, rows)) >= need:
                            tokens = [r[token_col].strip() for r in rows]
                            tags = [r[tag_col].strip() for r in rows]
                            try:
                                parts = [parsed_tags[t] for t in tags]
                            except KeyError:
                                parts = None
                            if parts is not None and all(tokens):
                                yield decoder.record(
                                    str(n), f"d{doc}" if doc >= 0 else str(n), tokens, tags, parts, path, lineno
                                )
                                n += 1
                                continue
                    pending: list = [[], [], [], 0]
                    yield from lines_one_by_one(path, lines, lineno, pending)
                    tokens, tags, parts, first = pending
                    if tokens:  # the block ended without a blank line: only at the end of the file
                        yield decoder.record(str(n), f"d{doc}" if doc >= 0 else str(n), tokens, tags, parts, path, first)
                        n += 1
            except UnicodeDecodeError:
                raise decoding_error(path) from None


#: one or more blank (or white-space only) lines between sentences
_SEPARATOR = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_CHUNK = 1 << 20


def _blocks(f) -> Iterator[tuple[int, str, bool]]:
    """``(first line number, text, is last)`` of the text between blank lines,
    read in chunks (memory: about one chunk)."""
    rest = ""
    lineno = 1
    while True:
        chunk = f.read(_CHUNK)
        if not chunk:
            break
        if "\r\n" in chunk or chunk[-1] == "\r":
            # keep a \r\n pair inside one chunk, then treat it as \n
            if chunk[-1] == "\r":
                chunk += f.read(1)
            chunk = chunk.replace("\r\n", "\n")
        text = rest + chunk
        pos = 0
        for m in _SEPARATOR.finditer(text):
            if m.end() == len(text):  # the blank lines may go on in the next chunk
                break
            if m.start() > pos:
                yield lineno, text[pos:m.start()], False
            lineno += text.count("\n", pos, m.end())
            pos = m.end()
        rest = text[pos:]
    if rest:
        yield lineno, rest, True


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

    def record(self, rid: str, doc_id: str, tokens: list[str], tags: list[str], parts: list[tuple[str, str]],
               path, line: int) -> KBRecord:
        text = " ".join(tokens)
        entities = []
        if tags.count("O") != len(tags):
            starts = [0, *accumulate([len(t) + 1 for t in tokens])]
            for k, (i, j, etype) in enumerate(self.spans(tags, parts, f"{path}:{line}")):
                s, e = starts[i], starts[j - 1] + len(tokens[j - 1])
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
