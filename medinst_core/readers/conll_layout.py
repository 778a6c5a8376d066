"""The general path of the CoNLL / IOB reader (see :mod:`.conll` for the
format and every option): line by line, for the options the fast path does
not take -- an encoding other than UTF-8, document lines (``document_prefix``),
one record per document (``unit``), token offset columns and ``tag_split``."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import KBRecord
from ..sources import SourceFiles
from .conll_tags import _PREFIXES, _Decoder
from .files import open_binary

TOKEN_LENGTH = "conll_token_length"


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


# complexity above the limit: every layout option in one line loop; to be split into steps
def read_layout(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:  # noqa: C901
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
