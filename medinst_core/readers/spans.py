"""Sentence files with span annotation lines (``sentence_spans``): GENETAG and
the BioCreative II gene mention task.

Format
------
Two files per split, named by roles:

``text``
    one sentence a line: its id, one space, the sentence.  GENETAG's
    ``TOKENIZED_CORPUS`` writes every token with a tag after a slash
    (``@@95229799480 Cervicovaginal/TAG foetal/TAG ... ./.``): with
    ``token_tags: true`` the text after the last ``/`` of each token is
    dropped (``./.`` gives ``.``, ``//TAG`` gives ``/``).  The BioCreative II
    ``train.in`` / ``test.in`` lines are plain text.
``annotations``
    one mention a line, ``id|start end|mention`` (GENETAG ``Gold.format``,
    BioCreative II ``GENE.eval``).  A line whose second ``|`` is missing
    (``@@18719714263|11 11OCT-1``) is read as if it were there and counted as
    ``spans.missing_separator``.

``offsets`` says what ``start end`` count:

``"tokens"`` (GENETAG)
    0-based token indices, both inclusive, into the sentence's tokens
    (separated by white space); the passage text is the tokens joined by
    single spaces;
``"nonspace"`` (BioCreative II)
    0-based character offsets, both inclusive, counting only the characters
    that are not white space; the passage text is the sentence as written.

Records
-------
One :class:`~medinst_core.records.KBRecord` per sentence, in the text file's
order, id and document id the sentence id; one entity per mention line (type
``entity_type``, ids ``T0``, ``T1``... in the order of the annotation file),
with offsets into the passage text.  The same span written twice is one
entity (counted as ``spans.duplicate``).

Options
-------
``offsets`` (``"tokens"`` | ``"nonspace"``, ``"tokens"``)
``token_tags`` (bool, ``false``)
``entity_type`` (str, ``"Gene"``)
``text_check`` (``"error"`` | ``"skip"``, ``"error"``)
    a mention whose written text differs from the sentence's text at its
    span is an error, or is left out and counted as ``spans.text_mismatch``
    (GENETAG's files hold four such lines; BigBIO leaves them out too).

A mention of a sentence the text file does not hold is an error naming the
annotation line.  The annotation file is held in memory (a few hundred
kilobytes for these corpora); the text file is streamed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import KBRecord, Passage
from ..sources import SourceFiles
from .construct import make_entity
from .files import iter_lines

MISSING_SEPARATOR = "spans.missing_separator"
TEXT_MISMATCH = "spans.text_mismatch"
DUPLICATE = "spans.duplicate"

_LINE = re.compile(r"^(\S+?)\|\s*(\d+)\s+(\d+)(\|?)(.*)$")


def _annotations(files: SourceFiles, diagnostics: Diagnostics) -> dict[str, list[tuple[int, int, str, Any, int]]]:
    """sentence id -> [(start, end, mention, path, line)] in file order."""
    found: dict[str, list[tuple[int, int, str, Any, int]]] = {}
    for path in files.all("annotations"):
        for lineno, line in iter_lines(path):
            if not line.strip():
                continue
            m = _LINE.match(line)
            if m is None:
                raise SourceError(path, lineno, f"expected 'id|start end|mention', found {line[:80]!r}")
            sid, start, end, bar, mention = m.groups()
            if not bar:
                diagnostics.warn(MISSING_SEPARATOR, f"{path}:{lineno}: no '|' between the span and the mention")
            start, end = int(start), int(end)
            if end < start:
                raise SourceError(path, lineno, f"span {start} {end} ends before it starts")
            found.setdefault(sid, []).append((start, end, mention, path, lineno))
    return found


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def read_sentence_spans(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:  # noqa: C901
    """Read the ``text`` and ``annotations`` files of one split (see the module documentation)."""
    mode = options.get("offsets", "tokens")
    if mode not in ("tokens", "nonspace"):
        raise ManifestError(None, "/source/options/offsets", f"expected 'tokens' or 'nonspace', found {mode!r}")
    token_tags = bool(options.get("token_tags", False))
    etype = options.get("entity_type", "Gene")
    skip = options.get("text_check", "error") == "skip"
    mentions = _annotations(files, diagnostics)
    seen: set[str] = set()
    for path in files.all("text"):
        for lineno, line in iter_lines(path):
            if not line.strip():
                continue
            sid, _, sentence = line.partition(" ")
            if sid in seen:
                raise SourceError(path, lineno, f"sentence {sid!r} appears twice")
            seen.add(sid)
            if mode == "tokens":
                tokens = sentence.split()
                if token_tags:
                    tokens = [t.rpartition("/")[0] if "/" in t[1:] else t for t in tokens]
                text = " ".join(tokens)
                bounds = []  # (start, end) of every token
                pos = 0
                for tok in tokens:
                    bounds.append((pos, pos + len(tok)))
                    pos += len(tok) + 1
            else:
                text = sentence
                bounds = [(m.start(), m.start() + 1) for m in re.finditer(r"\S", text)]
            entities: list[Any] = []
            spans: set[tuple[int, int]] = set()
            for start, end, mention, apath, aline in mentions.get(sid, ()):
                if end >= len(bounds):
                    raise SourceError(apath, aline,
                                      f"span {start} {end} is beyond sentence {sid!r} ({len(bounds)} "
                                      f"{'tokens' if mode == 'tokens' else 'non-space characters'})")
                s, e = bounds[start][0], bounds[end][1]
                written = text[s:e]
                if mode == "tokens":
                    same = written == mention
                else:
                    same = "".join(written.split()) == "".join(mention.split())
                if not same:
                    if skip:
                        diagnostics.warn(TEXT_MISMATCH, f"{apath}:{aline}: {mention!r} but the sentence has {written!r} there; left out")
                        continue
                    raise SourceError(apath, aline,
                                      f"mention {mention!r} but sentence {sid!r} has {written!r} at {start} {end}")
                if (s, e) in spans:
                    diagnostics.warn(DUPLICATE, f"{apath}:{aline}: the span {start} {end} of {sid!r} again")
                    continue
                spans.add((s, e))
                entities.append(make_entity(f"T{len(entities)}", etype, (written,), ((s, e),)))
            yield KBRecord(
                id=sid,
                document_id=sid,
                passages=(Passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
                entities=tuple(entities),
                source=f"{path}:{lineno}",
            )
    for sid, items in mentions.items():
        if sid not in seen:
            raise SourceError(items[0][3], items[0][4],
                              f"mention of sentence {sid!r}, which the text file does not hold")
