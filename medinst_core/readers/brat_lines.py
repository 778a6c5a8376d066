"""Reading the files of one BRAT document for the ``brat`` reader
(:mod:`medinst_core.readers.brat`): a text or annotation file read whole in
one call (a missing annotation file is ``None``, no separate existence check),
its lines numbered as :func:`~medinst_core.readers.files.iter_lines` numbers
them, and each standoff line parsed into a comparable tuple ``(kind, id, ...)``.
"""

from __future__ import annotations

import os

from ..errors import SourceError
from .files import GZIP_MAGIC, decoding_error, iter_lines, line_cap, read_bytes

_ABSENT = (FileNotFoundError, IsADirectoryError, NotADirectoryError)
_os_open, _os_read, _os_close, _fstat = os.open, os.read, os.close, os.fstat
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)  # O_BINARY: Windows
_CHUNK = 1 << 16


def read_optional(path: str) -> bytes | None:
    """The bytes of ``path`` (gzip data decompressed), or None when there is no
    such file; a file that exists but cannot be read is a SourceError.  Read
    with ``os.open``/``os.read`` (no file object: three system calls fewer
    than ``open()``, which asks whether the file is a terminal and where it
    stands); the size from ``fstat`` is read in one call, then the end
    confirmed (a file that grew meanwhile is read on)."""
    try:
        fd = _os_open(path, _READ_FLAGS)
    except _ABSENT:
        return None
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    try:
        data = _os_read(fd, _fstat(fd).st_size or _CHUNK)
        if data:
            more = _os_read(fd, 1)  # at the end: b"" (and no buffer of _CHUNK bytes made for it)
            if more:
                pieces = [data, more]
                while more:
                    more = _os_read(fd, _CHUNK)
                    pieces.append(more)
                data = b"".join(pieces)
    except _ABSENT:
        return None
    except OSError as exc:
        raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    finally:
        _os_close(fd)
    if data[:2] == GZIP_MAGIC:
        return read_bytes(path)
    return data


def text_of(data: bytes, path) -> str:
    """A whole text file exactly as written (no newline translation)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(path, line, f"is not valid UTF-8 ({exc.reason})") from None


def lines_of(data: bytes, path, continued: bool = False, cap: int | None = None) -> tuple[list, int | None]:
    """The lines of an annotation file as ``iter_lines`` gives them (split on
    ``\n`` only, a ``\r`` before it dropped, a leading BOM dropped), line
    ``k`` at index ``k - 1``; with ``continued``, ``(line number, line)``
    pairs, a line without a tab joined (after a newline) to the T line before
    it.  Also the number of the last line when it has no line end, else None.
    A file larger than the line cap (``cap``, else :func:`line_cap`) is read by
    ``iter_lines``, which applies it."""
    if len(data) > (line_cap() if cap is None else cap):
        lines = iter_lines(path)
        pieces = []
        while True:
            try:
                pieces.append(next(lines)[1])
            except StopIteration as stop:
                open_end = stop.value
                break
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise decoding_error(path) from None
        pieces = text.split("\n")
        last = pieces.pop()
        if "\r" in text:
            pieces = [p[:-1] if p[-1:] == "\r" else p for p in pieces]
        open_end = None
        if last:
            pieces.append(last)  # a last line without its newline is kept as written
            open_end = len(pieces)
    return (_join_continued(list(enumerate(pieces, 1))) if continued else pieces), open_end


def _join_continued(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for lineno, line in lines:
        if pending is not None and line.strip() and "\t" not in line and pending[1].startswith("T"):
            pending = (pending[0], pending[1].rstrip("\r\n") + "\n" + line.rstrip("\r\n"))
            continue
        if pending is not None:
            out.append(pending)
        pending = (lineno, line)
    if pending is not None:
        out.append(pending)
    return out


def split_ref(token: str, p, ln: int, what: str, ident: str) -> tuple[str, str]:
    # tokens come from str.split(): they hold no white space, so a ref is valid when not empty
    role, sep, ref = token.rpartition(":")
    if not sep or not role or not ref:
        raise SourceError(p, ln, f"expected ROLE:ID in {what} {ident}, found {token!r}")
    return role, ref


def _offsets(span_text: str, ident: str, p, ln: int) -> tuple[tuple[int, int], ...]:
    offsets = []
    for piece in span_text.split(";"):
        nums = piece.split()
        if len(nums) != 2 or not (nums[0].isdigit() and nums[1].isdigit() and nums[0].isascii() and nums[1].isascii()):
            raise SourceError(p, ln, f"expected 'start end' offsets in {ident}, found {piece.strip()!r}")
        a, b = int(nums[0]), int(nums[1])
        if b < a:
            raise SourceError(p, ln, f"{ident} has a span {a} {b} that ends before it starts")
        offsets.append((a, b))
    return tuple(offsets)


# complexity above the limit: one branch per line kind, in the order of their frequency
def parse_line(line: str, p, ln: int, normalizations: str = "auto") -> tuple:  # noqa: C901
    """A standoff line as a comparable tuple: (kind, id, ...)."""
    ident, tab, rest = line.partition("\t")
    ident = ident.strip()
    if not tab or not ident:
        raise SourceError(p, ln, f"expected an id, a tab and an annotation, found {line[:80]!r}")
    kind = ident[0]
    if kind == "T":
        body, sep, annotated = rest.partition("\t")
        head = body.split()
        if len(head) == 3:  # one span, the usual case
            a, b = head[1], head[2]
            if a.isdigit() and b.isdigit() and a.isascii() and b.isascii():
                start, end = int(a), int(b)
                if start <= end:
                    return ("T", ident, head[0], ((start, end),), annotated if sep else None)
        head = body.split(None, 1)
        if len(head) != 2:
            raise SourceError(p, ln, f"expected 'Type start end[;start end...]' in {ident}, found {body!r}")
        return ("T", ident, head[0], _offsets(head[1], ident, p, ln), annotated if sep else None)
    if kind == "E":
        tokens = rest.split()
        if not tokens:
            raise SourceError(p, ln, f"event {ident} has no Type:Trigger")
        etype, trig = split_ref(tokens[0], p, ln, "event", ident)
        for t in tokens[1:]:
            split_ref(t, p, ln, "event", ident)
        # the arguments stay tokens (ROLE:ID), split once when the event is built;
        # the tokens as brat_build reads them: the id, then Type:Trigger and the arguments
        return ("E", ident, etype, trig, [ident, *tokens])
    if kind == "R":
        tokens = rest.split()
        if len(tokens) != 3:
            raise SourceError(p, ln, f"expected 'Type Arg1:ID Arg2:ID' in relation {ident}, found {rest.strip()!r}")
        return ("R", ident, tokens[0], split_ref(tokens[1], p, ln, "relation", ident),
                split_ref(tokens[2], p, ln, "relation", ident))
    if kind == "*":
        tokens = rest.split()
        if len(tokens) < 2:
            raise SourceError(p, ln, f"expected 'Equiv ID ID...' in {ident}, found {rest.strip()!r}")
        return ("*", ident, tuple(tokens[1:]))
    if kind in "AM":
        tokens = rest.split()
        if len(tokens) not in (2, 3):
            raise SourceError(p, ln, f"expected 'Name ID [VALUE]' in attribute {ident}, found {rest.strip()!r}")
        return (kind, ident, tokens[0], tokens[1], tokens[2] if len(tokens) == 3 else "true")
    if kind == "N":
        body, _, _text = rest.partition("\t")
        tokens = body.split()
        if normalizations == "roles" or (normalizations == "auto" and len(tokens) == 3 and ":" in tokens[1]):
            return _role_normalization(ident, tokens, p, ln)
        if len(tokens) != 3:
            raise SourceError(p, ln, f"expected 'Reference ID DB:ID' in normalization {ident}, found {body.strip()!r}")
        db_name, sep, db_id = tokens[2].partition(":")
        if not sep:
            db_name, db_id = "", tokens[2]
        return ("N", ident, tokens[1], db_name, db_id)
    if kind == "#":
        body, _, note = rest.partition("\t")
        tokens = body.split()
        if len(tokens) < 2:
            raise SourceError(p, ln, f"expected 'Type ID<TAB>text' in note {ident}, found {rest.strip()!r}")
        return ("#", ident, tokens[1], note.strip())
    raise SourceError(p, ln, f"unknown annotation line type {kind!r} (expected T, E, R, *, A, M, N or #): {line[:80]!r}")


def _role_normalization(ident: str, tokens: list[str], p, ln: int) -> tuple:
    """``N1<TAB>OntoBiotope Annotation:T1 Referent:OBT:000001`` (Bacteria Biotope)."""
    if len(tokens) != 3:
        raise SourceError(p, ln, f"expected 'Resource Annotation:ID Referent:ID' in normalization {ident}, "
                          f"found {' '.join(tokens)!r}")
    refs = {}
    for token in tokens[1:]:
        role, sep, value = token.partition(":")
        if not sep or not value or role not in ("Annotation", "Referent"):
            raise SourceError(p, ln, f"expected Annotation:ID and Referent:ID in normalization {ident}, found {token!r}")
        refs[role] = value
    if len(refs) != 2:
        raise SourceError(p, ln, f"expected Annotation:ID and Referent:ID in normalization {ident}, "
                          f"found {' '.join(tokens[1:])!r}")
    if not refs["Annotation"]:  # pragma: no cover - an empty value is refused above
        raise SourceError(p, ln, f"normalization {ident} names no annotation id: {refs['Annotation']!r}")
    return ("N", ident, refs["Annotation"], tokens[0], refs["Referent"])
