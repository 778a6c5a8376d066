"""Reading Multi-XScience as distributed (``multi_xscience``).

Files
-----
``train.json``, ``val.json``, ``test.json`` -- or, as the repository ships
them, gzipped: ``train.json.gz`` ... (a file is decompressed when its name
ends in ``.gz`` or it starts with the gzip magic bytes; the standard library
does it, no extra is needed).  Each file is one JSON array of papers::

    {"aid": "1234.5678", "mid": "...", "abstract": "...",
     "related_work": "... @cite_1 ... @cite_2 ...",
     "ref_abstract": {"@cite_1": {"mid": "...", "abstract": "..."}, ...}}

The array is parsed one element at a time (the standard library's incremental
decoder over a buffered stream), so memory does not grow with the file.
Malformed JSON, an element that is not an object, or a missing or mistyped
field is a :class:`~medinst_core.errors.SourceError` naming the file, the line
and the element's position.

Records
-------
One :class:`~medinst_core.records.T2TRecord` per paper: ``id`` and
``document_id`` the ``aid`` (a repeated ``aid`` gets ``_<n>`` appended and a
``duplicate_aid`` warning), ``text_2`` the related-work section, ``text_1``
the paper's abstract followed by the cited papers' abstracts::

    Abstract: <abstract>

    Cited abstracts:
    @cite_1: <abstract of @cite_1>
    @cite_2: <abstract of @cite_2>

in the order of ``ref_abstract``, each labelled with the key the related-work
text uses to cite it.  Cited papers whose abstract is empty are left out
unless ``keep_empty_references`` is set.

Options
-------
``keep_empty_references`` (bool, default ``false``)
``cite_keys`` (bool, default ``true``) -- label each cited abstract with its key
"""

from __future__ import annotations

import gzip
import io
import json
import re
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.errors import SourceError
from medinst_core.records import T2TRecord

DUPLICATE_AID = "duplicate_aid"
CHUNK = 1 << 20
#: a value decoded, or a decoding error, this close to the end of the buffer may be cut short: read on
TAIL = 16
_WS = re.compile(r"[ \t\n\r]*")


def open_text(path: Path):
    """``path`` as a UTF-8 text stream, gunzipped when it is gzip data."""
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None
    magic = raw.read(2)
    raw.seek(0)
    stream = gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" or path.name.endswith(".gz") else raw
    return io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")


def iter_json_array(path: Path) -> Iterator[tuple[int, int, Any]]:
    """``(index, line, element)`` for each element of the JSON array in ``path``, streamed."""
    decoder = json.JSONDecoder(strict=False)  # raw control characters inside strings are accepted
    with open_text(path) as f:
        buf = ""
        pos = 0
        lines_before = 0  # newlines in the text already dropped from the buffer
        eof = False

        def where(at: int) -> int:
            return lines_before + buf.count("\n", 0, at) + 1

        def more() -> None:
            nonlocal buf, pos, lines_before, eof
            try:
                chunk = f.read(CHUNK)
            except UnicodeDecodeError as exc:
                raise SourceError(path, where(len(buf)), f"is not valid UTF-8 ({exc.reason})") from None
            except (OSError, EOFError, zlib.error) as exc:
                raise SourceError(path, None, f"cannot be read as {'gzip' if path.name.endswith('.gz') else 'a file'}: {exc}") from None
            if not chunk:
                eof = True
            lines_before += buf.count("\n", 0, pos)
            buf = buf[pos:] + chunk
            pos = 0

        def skip_ws() -> str:
            """The next non-blank character ('' at the end of the file)."""
            nonlocal pos
            while True:
                pos = _WS.match(buf, pos).end()
                if pos < len(buf) or eof:
                    return buf[pos : pos + 1]
                more()

        if skip_ws() != "[":
            found = buf[pos : pos + 20] or "an empty file"
            raise SourceError(path, where(pos), f"expected a JSON array of papers, found {found!r}")
        pos += 1
        index = 0
        if skip_ws() == "]":
            pos += 1
        else:
            while True:
                while True:
                    try:
                        element, end = decoder.raw_decode(buf, pos)
                        if eof or len(buf) - end >= TAIL:
                            break
                        # a value (a number) ending near the end of the buffer may go on in the next chunk
                        more()
                    except json.JSONDecodeError as exc:
                        # an element cut by the end of the buffer fails at its end, or as an unterminated
                        # string; anything else is malformed whatever follows
                        truncated = exc.pos >= len(buf) - TAIL or exc.msg.startswith("Unterminated string")
                        if eof or not truncated:
                            raise SourceError(path, where(exc.pos), f"invalid JSON in element {index}: {exc.msg}") from None
                        more()
                yield index, where(pos), element
                index += 1
                pos = end
                sep = skip_ws()
                if sep == ",":
                    pos += 1
                    skip_ws()
                elif sep == "]":
                    pos += 1
                    break
                else:
                    found = repr(sep) if sep else "the end of the file"
                    raise SourceError(path, where(pos), f"expected ',' or ']' after element {index - 1}, found {found}")
        if skip_ws():
            raise SourceError(path, where(pos), "unexpected data after the JSON array")


def _text(item: Mapping, key: str, path: Path, line: int, index: int, what: str = "") -> str:
    value = item.get(key)
    if not isinstance(value, str):
        found = "nothing" if value is None else type(value).__name__
        raise SourceError(path, line, f"paper {index}{what}: expected a string {key!r}, found {found}")
    return value


def read_multi_xscience(files, options: Mapping[str, Any], diagnostics) -> Iterator[T2TRecord]:
    """Read the papers of one split (see the module documentation)."""
    keep_empty = bool(options.get("keep_empty_references", False))
    cite_keys = bool(options.get("cite_keys", True))
    seen: dict[str, int] = {}
    for path in files.all("data"):
        for index, line, item in iter_json_array(path):
            if not isinstance(item, dict):
                raise SourceError(path, line, f"paper {index}: expected an object, found {type(item).__name__}")
            aid = item.get("aid")
            if isinstance(aid, (int, float)) and not isinstance(aid, bool):
                aid = str(aid)
            if not isinstance(aid, str) or not aid:
                raise SourceError(path, line, f"paper {index}: expected a non-empty 'aid', found {aid!r}")
            abstract = _text(item, "abstract", path, line, index)
            related = _text(item, "related_work", path, line, index)
            refs = item.get("ref_abstract", {})
            if not isinstance(refs, dict):
                raise SourceError(path, line, f"paper {index} ({aid}): expected 'ref_abstract' to be an object, found {type(refs).__name__}")
            cited = []
            for key, ref in refs.items():
                if not isinstance(ref, dict):
                    raise SourceError(path, line, f"paper {index} ({aid}): expected {key!r} of 'ref_abstract' to be an object")
                text = _text(ref, "abstract", path, line, index, f" ({aid}), reference {key}").strip()
                if text or keep_empty:
                    cited.append(f"{key}: {text}" if cite_keys else text)
            text_1 = f"Abstract: {abstract.strip()}"
            if cited:
                text_1 += "\n\nCited abstracts:\n" + "\n".join(cited)
            record_id = aid
            if aid in seen:
                seen[aid] += 1
                record_id = f"{aid}_{seen[aid]}"
                if diagnostics is not None:
                    diagnostics.warn(DUPLICATE_AID, f"{path}:{line}: paper {index}: aid {aid} seen before; id {record_id}")
            else:
                seen[aid] = 0
            yield T2TRecord(
                id=record_id,
                text_1=text_1,
                text_2=related.strip(),
                text_1_lang="en",
                text_2_lang="en",
                text_1_name="abstracts",
                text_2_name="related_work",
                document_id=aid,
                source=f"{path}:{line}",
            )
