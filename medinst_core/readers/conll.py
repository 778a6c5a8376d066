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

The module is long because it reads sentence and document layouts, with a fast path for
the common case next to the line-by-line rules.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from itertools import accumulate
from pathlib import Path
from typing import Any

from ..default_plugins.readers import CONLL_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..options import with_defaults
from ..records import KBRecord, Passage
from ..sources import SourceFiles
from .construct import fast_constructor, make_entity
from .files import decoding_error, open_binary, open_text

ORPHAN = "conll_orphan_inside"
TOKEN_LENGTH = "conll_token_length"

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
        yield from _read_layout(files, options, diagnostics)
        return
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


# ---------------------------------------------------------------------------
# Other layouts: encodings, document lines, document units, offset columns
# ---------------------------------------------------------------------------


def _undecodable(path, encoding: str) -> SourceError:
    """The error for a file that ``encoding`` cannot decode, naming its first bad line."""
    with open_binary(path) as raw:
        for lineno, data in enumerate(raw, 1):
            try:
                data.decode(encoding)
            except UnicodeDecodeError as exc:
                return SourceError(path, lineno, f"cannot be decoded as {encoding}: byte {data[exc.start:exc.start + 1]!r} "
                                   f"at column {exc.start + 1} ({exc.reason})")
    return SourceError(path, None, f"cannot be decoded as {encoding}")


def _column_need(*columns: int) -> int:
    return max([c if c >= 0 else -c - 1 for c in columns] + [1]) + 1


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def _read_layout(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:  # noqa: C901
    """Every option, line by line (the reader's general path).  A document
    ends at the next document line or at the end of its file; a file without
    document lines is one document named after the file (``unit: document``)."""
    scheme = options.get("scheme", "iob2")
    if scheme not in _PREFIXES:
        raise ManifestError(None, "/source/options/scheme", f"expected one of {sorted(_PREFIXES)}, found {scheme!r}")
    token_col = int(options.get("token_column", 0))
    tag_col = int(options.get("tag_column", -1))
    separator = options.get("separator", "auto")
    docstart = options.get("docstart", "-DOCSTART-")
    comment = options.get("comment_prefix")
    doc_prefix = options.get("document_prefix")
    unit = options.get("unit", "sentence")
    if unit not in ("sentence", "document"):
        raise ManifestError(None, "/source/options/unit", f"expected 'sentence' or 'document', found {unit!r}")
    offset_cols = options.get("offset_columns")
    if offset_cols is not None:
        if unit != "document":
            raise ManifestError(None, "/source/options/offset_columns", "offset columns need unit 'document'")
        start_col, end_col = (int(c) for c in offset_cols)
        need = _column_need(token_col, tag_col, start_col, end_col)
    else:
        need = _column_need(token_col, tag_col)
    tag_split = options.get("tag_split")
    encoding = options.get("encoding") or "utf-8"
    decoder = _Decoder(scheme, options.get("default_type", "Entity"), diagnostics)
    n = 0
    anonymous = -1  # documents started by -DOCSTART- lines

    # the open document: its id, and its sentences as (tokens, tags, parts, offsets, first line)
    doc_id: str | None = None
    sentences: list = []
    sentence: list = [[], [], [], [], 0]

    def end_sentence():
        nonlocal sentence
        if sentence[0]:
            sentences.append(sentence)
        sentence = [[], [], [], [], 0]

    def flush(path) -> Iterator[KBRecord]:
        """Records of the sentences read since the last flush."""
        nonlocal n
        end_sentence()
        if not sentences:
            return
        if unit == "sentence":
            for tokens, tags, parts, _, first in sentences:
                document = doc_id if doc_id is not None else str(n)
                yield decoder.record(str(n), document, tokens, tags, parts, path, first)
                n += 1
        else:
            tokens = [t for s in sentences for t in s[0]]
            tags = [t for s in sentences for t in s[1]]
            parts = [p for s in sentences for p in s[2]]
            first = sentences[0][4]
            document = doc_id if doc_id is not None else str(n)
            if offset_cols is None:
                yield decoder.record(str(n), document, tokens, tags, parts, path, first)
            else:
                starts = [o for s in sentences for o in s[3]]
                yield decoder.placed_record(str(n), document, tokens, tags, parts, starts, path, first)
            n += 1
        sentences.clear()

    for path in files.all("data"):
        try:
            f = io.TextIOWrapper(open_binary(path), encoding=encoding, newline="\n")
        except LookupError:
            raise ManifestError(None, "/source/options/encoding", f"unknown encoding {encoding!r}") from None
        pos = 0  # end offset of the last token placed in the open document
        doc_id = None
        with f:
            lineno = 0
            try:
                for lineno, line in enumerate(f, 1):
                    line = line.rstrip("\r\n")
                    if lineno == 1 and line.startswith("\ufeff"):
                        line = line[1:]
                    if not line.strip():
                        end_sentence()
                        continue
                    if comment and line.startswith(comment):
                        continue
                    if doc_prefix and line.startswith(doc_prefix):
                        yield from flush(path)
                        doc_id = line[len(doc_prefix):].strip(doc_prefix[:1] + " \t")
                        pos = 0
                        continue
                    if docstart and line.lstrip().startswith(docstart):
                        yield from flush(path)
                        anonymous += 1
                        doc_id = f"d{anonymous}"
                        pos = 0
                        continue
                    cols = line.split("\t") if separator == "tab" or (separator == "auto" and "\t" in line) else line.split()
                    if len(cols) < need:
                        raise SourceError(path, lineno, f"expected at least {need} columns, found {len(cols)}: {line[:80]!r}")
                    token = cols[token_col].strip()
                    if not token:
                        raise SourceError(path, lineno, "empty token")
                    tag = cols[tag_col].strip()
                    if tag_split:
                        tag = tag.rpartition(tag_split)[2].strip()
                    part = decoder.cache.get(tag) or decoder.validate(tag, path, lineno)
                    if not sentence[0]:
                        sentence[4] = lineno
                    if offset_cols is not None:
                        try:
                            start, end = int(cols[start_col]), int(cols[end_col])
                        except ValueError:
                            raise SourceError(path, lineno, f"offsets {cols[start_col]!r} {cols[end_col]!r} are not integers") from None
                        if start < pos:
                            raise SourceError(
                                path, lineno, f"token {token!r} starts at {start}, before the end of the previous token ({pos})"
                            )
                        if end - start != len(token):
                            diagnostics.warn(
                                TOKEN_LENGTH, f"{path}:{lineno}: token {token!r} has {len(token)} characters, its offsets {start}-{end}"
                            )
                        pos = start + len(token)
                        sentence[3].append(start)
                    sentence[0].append(token)
                    sentence[1].append(tag)
                    sentence[2].append(part)
            except UnicodeDecodeError:
                raise _undecodable(path, encoding) from None
        if doc_id is None and unit == "document":
            doc_id = Path(path).name.split(".")[0]  # a file without document lines is one document
        yield from flush(path)
        doc_id = None
