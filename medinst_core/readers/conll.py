"""CoNLL / IOB reader (``conll``): one token per line, blank line between sentences.

Format
------
Each non-blank line holds columns separated by a tab or by white space
(``separator``: ``"auto"`` uses tabs when the line has one, else runs of white
space); the token is column ``token_column`` (default 0) and the tag column
``tag_column`` (default -1, the last).  A line that starts with
``docstart`` (default ``-DOCSTART-``) starts a new document and is not a
token; lines starting with ``comment_prefix`` (default none) are skipped.
Tags follow ``scheme``:

* ``iob2`` (default): ``B-X`` begins, ``I-X`` continues, ``O`` outside;
* ``iob1``: ``I-X`` begins unless it continues an ``X`` mention; ``B-X`` only
  separates two adjacent ``X`` mentions;
* ``iobes`` / ``bilou``: ``S-X``/``U-X`` single-token, ``E-X``/``L-X`` last.

Untyped tags (``B``, ``I``...) get the type ``default_type`` (``"Entity"``).
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

Options
-------
``scheme`` (``"iob1"`` | ``"iob2"`` | ``"iobes"`` | ``"bilou"``, ``"iob2"``)
``token_column`` (int, ``0``)
``tag_column`` (int, ``-1``)
``separator`` (``"auto"`` | ``"tab"`` | ``"whitespace"``, ``"auto"``)
``docstart`` (str or null, ``"-DOCSTART-"``)
``comment_prefix`` (str or null, ``null``)
``default_type`` (str, ``"Entity"``)
``encoding`` (str, ``"utf-8"``)
    the files' character encoding, e.g. ``"mac_roman"`` or ``"latin-1"`` for
    corpora distributed before UTF-8 was usual; a byte the encoding cannot
    decode is an error naming the line.
``document_prefix`` (str or null, ``null``)
    a line starting with this text (``"###"``) starts a new document and is
    not a token; the rest of the line, without the prefix and surrounding
    white space, is the document id (``### 10024884`` gives ``10024884``).
``unit`` (``"sentence"`` | ``"document"``, ``"sentence"``)
    one record per sentence, or one per document (its sentences in order,
    record id the document id when the files name documents);
``offset_columns`` (two ints or null, ``null``; only with ``unit: document``)
    the columns holding each token's start and end character offsets in its
    document: the passage text then places every token at its start offset
    (gaps are spaces) and mentions keep the document's offsets.  Tokens must
    not overlap; a token whose length differs from ``end - start`` is counted
    as ``conll_token_length`` and placed at its start.
``tag_split`` (str or null, ``null``)
    the tag is the part of the tag column after the last occurrence of this
    text (``"|"``: ``x|B-IUPAC`` gives ``B-IUPAC``).

The files are read line by line; memory use is one sentence (one document
with ``unit: document``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..default_plugins.readers import CONLL_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..options import with_defaults
from ..records import KBRecord
from ..sources import SourceFiles
from .conll_layout import read_layout
from .conll_tags import _PREFIXES, _Decoder
from .files import decoding_error, open_text
from .line_ranges import ConllRanges
from .ranges import Part, open_range_text


# complexity above the limit: the per-line hot loop with its fast path, kept whole for speed
def read_conll(  # noqa: C901
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics, part: Part | None = None
) -> Iterator[KBRecord]:
    """Read every ``data`` file of the split (see the module documentation);
    ``part``: one byte range of the one file (see :mod:`.ranges`)."""
    options = with_defaults(CONLL_OPTIONS, options)
    scheme = options["scheme"]
    if scheme not in _PREFIXES:
        raise ManifestError(None, "/source/options/scheme", f"expected one of {sorted(_PREFIXES)}, found {scheme!r}")
    token_col = int(options.get("token_column", 0))
    tag_col = int(options.get("tag_column", -1))
    separator = options.get("separator", "auto")
    docstart = options.get("docstart", "-DOCSTART-")
    comment = options.get("comment_prefix")
    default_type = options.get("default_type", "Entity")
    if (options.get("encoding") or "utf-8").lower().replace("_", "-") not in ("utf-8", "utf8") or any(
        options.get(k) not in (None, default)
        for k, default in (("document_prefix", None), ("unit", "sentence"), ("offset_columns", None), ("tag_split", None))
    ):
        if part is not None:
            raise ValueError("byte ranges are read in the default layout only")
        yield from read_layout(files, options, diagnostics)
        return
    need = max(token_col if token_col >= 0 else -token_col - 1, tag_col if tag_col >= 0 else -tag_col - 1) + 1
    need = max(need, 2)
    decoder = _Decoder(scheme, default_type, diagnostics)
    parsed_tags = decoder.cache  # tag -> (prefix, type) for the tags already validated
    tab_only = separator == "tab"
    auto = separator == "auto"
    n = 0
    doc = -1
    if part is not None:
        n, doc = part.base["n"], part.base["doc"]

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

    for path in files.all("data") if part is None else (part.path,):
        f = open_text(path) if part is None else open_range_text(part)
        with f:
            try:
                for lineno, block, last in _blocks(f, 1 if part is None else part.base["line"]):
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
                            if len(set(map(len, rows))) == 1:
                                # every line has as many columns: the columns by zip, in C
                                columns = list(zip(*rows))
                                tokens = list(map(_strip, columns[token_col]))
                                tags = list(map(_strip, columns[tag_col]))
                            else:
                                tokens = [r[token_col].strip() for r in rows]
                                tags = [r[tag_col].strip() for r in rows]
                            try:
                                parts = list(map(parsed_tags.__getitem__, tags))
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
    if part is not None:
        part.reached = {"n": n, "doc": doc}


_strip = str.strip

#: one or more blank (or white-space only) lines between sentences
_SEPARATOR = re.compile(r"\n(?:[ \t\r\f\v]*\n)+")
_CHUNK = 1 << 20


def _blocks(f, lineno: int = 1) -> Iterator[tuple[int, str, bool]]:
    """``(first line number, text, is last)`` of the text between blank lines,
    read in chunks (memory: about one chunk); lines are numbered from ``lineno``."""
    rest = ""
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


# byte ranges of one large file, for building a split in several processes
read_conll.ranges = ConllRanges(_blocks)  # type: ignore[attr-defined]
