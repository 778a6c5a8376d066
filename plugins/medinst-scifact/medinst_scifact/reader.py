"""Reading SciFact as distributed (``scifact``).

Files (``data/`` of the official ``data.tar.gz``)
-------------------------------------------------
role ``claims``  ``claims_train.jsonl`` / ``claims_dev.jsonl``, one claim a line::

    {"id": 2, "claim": "...", "cited_doc_ids": [13734012],
     "evidence": {"13734012": [{"sentences": [4], "label": "CONTRADICT"}]}}

role ``corpus``  ``corpus.jsonl``, one abstract a line::

    {"doc_id": 13734012, "title": "...", "abstract": ["sentence", ...], "structured": false}

The corpus (5,183 abstracts, a few megabytes) is loaded once into a table;
the claims are streamed.  When several files of the corpus role are found
(``corpus.jsonl`` is a common name), the one in the claims file's folder is
used.

Records
-------
One :class:`~medinst_core.records.TERecord` per (claim, document) pair:

* every document with evidence for the claim, labelled with the label of its
  evidence sets (``SUPPORT`` or ``CONTRADICT``; sets of one document that
  disagree are an error);
* documents without evidence, labelled ``NOINFO``, as option ``neutral`` says:
  ``first_cited`` (default) -- for a claim with no evidence at all, its first
  cited document; ``all_cited`` -- every cited document without evidence;
  ``none`` -- none.

The default reproduces MedINST's 868 training samples from
``claims_train.jsonl``: 564 (claim, evidence document) pairs plus one pair for
each of the 304 claims without evidence.  ``all_cited`` gives 919, one pair
per cited document.

The premise is the document's abstract (its sentences joined by a space),
after its title when ``title`` is set; the hypothesis is the claim.  Record
ids are ``<claim id>_<doc id>``.  Pairs come in claim order, and for each
claim in the order of ``cited_doc_ids`` (evidence documents that are not
cited, which the release does not have, follow).

Errors
------
Invalid JSON, a missing or mistyped field, a document id missing from the
corpus, an evidence sentence index outside the abstract (a corpus from another
release) or a BEIR-style corpus (``_id``/``text`` fields: not the original
release) are :class:`~medinst_core.errors.SourceError` with file and line.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import (
    Diagnostics,
    SourceError,
    SourceFiles,
    TERecord,
    iter_json_lines,
)

NEUTRAL_MODES = ("first_cited", "all_cited", "none")


def _rows(path: Path) -> Iterator[tuple[int, Any]]:
    return iter_json_lines(path, expected="one JSON object per line")


def _doc_id(value: Any, path: Path, line: int, what: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, str)) or str(value).strip() == "":
        raise SourceError(path, line, f"{what} must be a document id (an integer), found {value!r}")
    return str(value).strip()


def load_corpus(path: Path) -> dict[str, tuple[str, list[str]]]:
    """doc id -> (title, abstract sentences)."""
    corpus: dict[str, tuple[str, list[str]]] = {}
    for line, row in _rows(path):
        if not isinstance(row, dict):
            raise SourceError(path, line, f"expected a JSON object, found {type(row).__name__}")
        if "doc_id" not in row and "_id" in row:
            raise SourceError(path, line, "has '_id'/'text' fields: this is the BEIR conversion of SciFact, not the "
                              "original corpus.jsonl (fields doc_id, title, abstract, structured)")
        doc = _doc_id(row.get("doc_id"), path, line, "'doc_id'")
        abstract = row.get("abstract")
        if not isinstance(abstract, list) or not all(isinstance(s, str) for s in abstract):
            raise SourceError(path, line, f"document {doc}: 'abstract' must be a list of sentences")
        title = row.get("title") or ""
        if not isinstance(title, str):
            raise SourceError(path, line, f"document {doc}: 'title' must be a string")
        if doc in corpus:
            raise SourceError(path, line, f"document {doc} occurs twice")
        corpus[doc] = (title, abstract)
    return corpus


def read_scifact(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[TERecord]:
    neutral = options.get("neutral", "first_cited")
    if neutral not in NEUTRAL_MODES:
        from medinst_core.plugin_api import ManifestError

        raise ManifestError(None, "/source/options/neutral", f"expected one of {', '.join(NEUTRAL_MODES)}, found {neutral!r}")
    with_title = bool(options.get("title", False))
    claims = files.all("claims")
    corpus_path = _corpus_file(files, claims)
    corpus = load_corpus(corpus_path)
    for path in claims:
        seen: set[str] = set()
        for line, row in _rows(path):
            yield from _claim_records(row, path, line, corpus, corpus_path, neutral, with_title, seen)


def _corpus_file(files: SourceFiles, claims: tuple[Path, ...]) -> Path:
    """The corpus file: the only one found, or else the one next to the claims (``corpus.jsonl`` is a common
    name: another dataset's file of that name elsewhere under the data folder is not SciFact's)."""
    found = files.all("corpus")
    if len(found) > 1:
        beside = [p for p in found if any(p.parent == c.parent for c in claims)]
        if len(beside) == 1:
            return beside[0]
    return files.one("corpus")


# complexity above the limit: one branch per evidence case of a claim (none, one, several documents)
def _claim_records(row: Any, path: Path, line: int, corpus, corpus_path: Path, neutral: str, with_title: bool,  # noqa: C901
                   seen: set[str]) -> Iterator[TERecord]:
    if not isinstance(row, dict):
        raise SourceError(path, line, f"expected a JSON object, found {type(row).__name__}")
    if "id" not in row:
        raise SourceError(path, line, "the claim has no 'id'")
    cid = _doc_id(row["id"], path, line, "the claim 'id'")
    claim = row.get("claim")
    if not isinstance(claim, str) or not claim.strip():
        raise SourceError(path, line, f"claim {cid}: 'claim' must be a non-empty string")
    cited = row.get("cited_doc_ids") or []
    evidence = row.get("evidence") or {}
    if not isinstance(cited, list):
        raise SourceError(path, line, f"claim {cid}: 'cited_doc_ids' must be a list")
    if not isinstance(evidence, dict):
        raise SourceError(path, line, f"claim {cid}: 'evidence' must be an object keyed by document id")
    cited_ids = [_doc_id(d, path, line, f"claim {cid}: a cited document id") for d in cited]
    labels: dict[str, str] = {}
    for doc, sets in evidence.items():
        doc = _doc_id(doc, path, line, f"claim {cid}: an evidence document id")
        if not isinstance(sets, list) or not sets:
            raise SourceError(path, line, f"claim {cid}, document {doc}: evidence must be a non-empty list of sets")
        found = set()
        for s in sets:
            if not isinstance(s, dict) or s.get("label") not in ("SUPPORT", "CONTRADICT"):
                raise SourceError(path, line, f"claim {cid}, document {doc}: each evidence set needs a label "
                                  f"SUPPORT or CONTRADICT, found {s!r}")
            sentences = s.get("sentences")
            if not isinstance(sentences, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in sentences):
                raise SourceError(path, line, f"claim {cid}, document {doc}: 'sentences' must be a list of indices")
            if doc in corpus and any(not 0 <= i < len(corpus[doc][1]) for i in sentences):
                raise SourceError(path, line, f"claim {cid}, document {doc}: evidence sentence {sentences} is outside "
                                  f"its abstract of {len(corpus[doc][1])} sentences ({corpus_path.name} is from another release?)")
            found.add(s["label"])
        if len(found) > 1:
            raise SourceError(path, line, f"claim {cid}, document {doc}: evidence sets disagree ({', '.join(sorted(found))})")
        labels[doc] = found.pop()
    pairs: list[tuple[str, str]] = []
    for i, doc in enumerate(dict.fromkeys(cited_ids)):
        if doc in labels:
            pairs.append((doc, labels[doc]))
        elif neutral == "all_cited" or (neutral == "first_cited" and not labels and i == 0):
            pairs.append((doc, "NOINFO"))
    pairs.extend((doc, label) for doc, label in labels.items() if doc not in cited_ids)
    for doc, label in pairs:
        if doc not in corpus:
            raise SourceError(path, line, f"claim {cid}: document {doc} is not in {corpus_path.name}")
        title, abstract = corpus[doc]
        premise = " ".join(s.strip() for s in abstract if s.strip())
        if with_title and title.strip():
            premise = f"{title.strip()} {premise}" if premise else title.strip()
        rid = f"{cid}_{doc}"
        if rid in seen:
            raise SourceError(path, line, f"claim {cid} occurs twice")
        seen.add(rid)
        yield TERecord(id=rid, premise=premise, hypothesis=claim.strip(), label=label, source=f"{path}:{line}")
