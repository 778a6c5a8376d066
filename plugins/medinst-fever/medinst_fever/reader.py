"""FEVER claims with their evidence sentences from the wiki-pages dump.

Roles: ``data`` -- claim files (``train.jsonl``, ``paper_dev.jsonl``...), one
``{"id", "label", "claim", "evidence": [[[annotation_id, evidence_id, page,
sentence], ...], ...]}`` a line; ``wiki`` -- the dump's ``wiki-pages/wiki-NNN.jsonl``
files, one ``{"id": page, "text", "lines": "0\\tsentence\\tlink...\\n1\\t..."}`` a
line.  The dump has 5.4 million pages (about 5 GB), so it is never loaded:
the claim files are read first for the (page, sentence) pairs their evidence
names, then the dump is scanned once keeping only those sentences (a page id is
read from the start of its line and the line parsed only when the page is
needed), and the claims are read again to make the records.  Memory holds the
needed sentences only.

One record per claim: premise = the evidence sentences (option ``evidence``:
the first evidence set, or all sets) joined by spaces, in the order the
evidence lists them; hypothesis = the claim; label = SUPPORTS, REFUTES or NOT
ENOUGH INFO (whose evidence names no sentence: an empty premise).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import orjson

from medinst_core.plugin_api import Diagnostics, SourceError, SourceFiles, TERecord, iter_json_lines, open_binary

_PAGE_ID = re.compile(rb'^\s*\{\s*"id"\s*:\s*("(?:[^"\\]|\\.)*")')
_TOKENS = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "-COLON-": ":"}
_TOKEN_RE = re.compile("|".join(map(re.escape, _TOKENS)))


def _sentences(claim: Mapping[str, Any], mode: str, path, line: int) -> list[tuple[str, int]]:
    evidence = claim.get("evidence")
    if not isinstance(evidence, list):
        raise SourceError(path, line, f"claim {claim.get('id')!r}: expected 'evidence' to be a list of evidence sets")
    sets = evidence[:1] if mode == "first_set" else evidence
    out: list[tuple[str, int]] = []
    for group in sets:
        if not isinstance(group, list):
            raise SourceError(path, line, f"claim {claim.get('id')!r}: an evidence set is not a list")
        for item in group:
            if not isinstance(item, list) or len(item) != 4:
                raise SourceError(path, line, f"claim {claim.get('id')!r}: expected evidence "
                                              "[annotation_id, evidence_id, page, sentence], found {item!r}")
            page, sentence = item[2], item[3]
            if page is None:  # NOT ENOUGH INFO
                continue
            if not isinstance(page, str) or not isinstance(sentence, int):
                raise SourceError(path, line, f"claim {claim.get('id')!r}: expected a page title and a sentence "
                                              f"number, found {page!r}, {sentence!r}")
            if (page, sentence) not in out:
                out.append((page, sentence))
    return out


def _claims(files: SourceFiles) -> Iterator[tuple[Any, int, dict]]:
    for path in files.all("data"):
        for line, claim in iter_json_lines(path, expected="one FEVER claim object per line"):
            if not isinstance(claim, dict) or "claim" not in claim or "label" not in claim:
                raise SourceError(path, line, "expected a claim object with 'id', 'label', 'claim' and 'evidence'")
            yield path, line, claim


def _wiki_sentences(files: SourceFiles, needed: dict[str, set[int]]) -> dict[tuple[str, int], str]:
    found: dict[tuple[str, int], str] = {}
    for path in files.all("wiki"):
        f = open_binary(path)
        with f:
            for lineno, raw in enumerate(f, 1):
                m = _PAGE_ID.match(raw)
                if m is None:
                    if raw.strip():
                        raise SourceError(path, lineno, 'expected a wiki page object starting with {"id": ...}')
                    continue
                try:
                    page = orjson.loads(m.group(1))
                except orjson.JSONDecodeError:
                    raise SourceError(path, lineno, "the page id is not a valid JSON string") from None
                wanted = needed.get(page)
                if not wanted:
                    continue
                try:
                    lines = orjson.loads(raw).get("lines", "")
                except orjson.JSONDecodeError as exc:
                    raise SourceError(path, lineno, f"invalid JSON ({exc})") from None
                for row in lines.split("\n"):
                    number, _, rest = row.partition("\t")
                    if number.isdigit() and int(number) in wanted:
                        found[(page, int(number))] = rest.split("\t", 1)[0]
    return found


def read_fever(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[TERecord]:
    mode = options.get("evidence", "first_set")
    needed: dict[str, set[int]] = {}
    for path, line, claim in _claims(files):
        for page, sentence in _sentences(claim, mode, path, line):
            needed.setdefault(page, set()).add(sentence)
    text = _wiki_sentences(files, needed) if needed else {}
    detok = options.get("detokenize", True)
    for path, line, claim in _claims(files):
        parts = []
        for page, sentence in _sentences(claim, mode, path, line):
            s = text.get((page, sentence))
            if s is None:
                if options.get("missing", "error") == "error":
                    raise SourceError(path, line, f"claim {claim.get('id')!r}: sentence {sentence} of page {page!r} "
                                                  "is not in the wiki-pages files")
                diagnostics.warn("missing_sentence", f"{page} sentence {sentence}")
                continue
            parts.append(_TOKEN_RE.sub(lambda m: _TOKENS[m.group(0)], s) if detok else s)
        yield TERecord(id=str(claim.get("id")), premise=" ".join(p for p in parts if p).strip(),
                       hypothesis=str(claim["claim"]).strip(), label=str(claim["label"]), source=f"{path}:{line}")
