"""Token-label readers (``token_label_files``, ``token_label_json``): tokens, and one label per token per layer.

Some corpora give a document as its tokens and, in separate files, one label per
token for each annotation layer: EBM-NLP (``<PMID>.tokens``, one token a line,
and ``<PMID>.AGGREGATED.ann`` per PICO element, one label a line) or
PICO-Annotation (``sentences.json``, and per element a JSON object giving each
sentence's 0/1 vector from each of three annotators).  Both readers turn a run
of consecutive tokens with the same non-outside label of one layer into a
mention of that layer, and give :class:`~medinst_core.records.KBRecord`
documents whose text is the tokens joined by single spaces (one passage of
type ``passage_type``), so each mention's offsets are exact.

Layers
------
``layers`` maps a role (the files of one layer) to the entity type of each
label value: ``{"participants": {"1": "Participant"}}``.  A label in
``outside`` (default ``["0"]``) is outside every mention; any other label the
map lacks is an error naming the file and line (or key).  A run ends where the
label changes, so ``1 1 2`` gives two mentions.  Layers are independent:
mentions of different layers may overlap.  Mentions are numbered ``T1``,
``T2``... by start token, then layer order.

``token_label_files``
---------------------
Role ``tokens``: one file per document, one token a line (line ends removed;
an empty line is an empty token, kept so the labels stay aligned).  Each layer
role: one file per document, one label a line (surrounding white space
removed).  Files are paired by their *stem*, the file name up to its first
dot (``10036953.AGGREGATED.ann`` and ``10036953.tokens``).  The documents are
the stems of the layer files (of every layer, or only of ``document_role``
when set), in sorted order; a layer without a file for a document gives it no
mention of that layer; a document without a token file is an error.  A label
file whose line count differs from the token count is an error naming both
files (a missing newline at the end does not count).

``token_label_json``
--------------------
Role ``tokens``: a JSON object ``id -> text`` (streamed); a text's tokens are
its white-space separated words.  Each layer role: a JSON object ``id ->
{"annotations": [...]}`` (``annotations`` option: the key), the value being
one label vector or a list of vectors, one per annotator.  Several vectors are
combined by ``vote``: ``"majority"`` (default: a token is labelled when more
than half of the annotators gave it the same non-outside label; PICO's
BigBIO loader rounds the mean of three 0/1 votes, which is the same),
``"any"`` or ``"all"``.  A sentence a layer lacks has no mention of it.

Options
-------
``layers`` (required), ``outside`` (list, ``["0"]``),
``passage_type`` (str, ``"text"``);
``document_role`` (``token_label_files``, str, ``""``);
``annotations`` (``token_label_json``, str, ``"annotations"``),
``vote`` (``token_label_json``, ``"majority"`` | ``"any"`` | ``"all"``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import Entity, KBRecord, Passage
from ..sources import SourceFiles
from .files import iter_lines
from .jsonstream import iter_json_items, load_json


class _Layers:
    def __init__(self, options: Mapping[str, Any]):
        layers = options.get("layers")
        if not isinstance(layers, Mapping) or not layers:
            raise ManifestError(None, "/source/options/layers", "map at least one layer role to its label types")
        self.layers: dict[str, dict[str, str]] = {
            role: {str(k): str(v) for k, v in m.items()} for role, m in layers.items()
        }
        self.outside = {str(v) for v in options.get("outside", ["0"])}
        self.passage_type = options.get("passage_type", "text")

    def check(self, role: str, label: str, path, where: int | str | None) -> None:
        if label not in self.outside and label not in self.layers[role]:
            known = ", ".join(sorted(self.outside | set(self.layers[role])))
            line = where if isinstance(where, int) else None
            at = f"{where}: " if isinstance(where, str) else ""
            raise SourceError(path, line, f"{at}unknown label {label!r} of layer {role!r} (known: {known})")

    def record(self, doc_id: str, tokens: Sequence[str], labels: Mapping[str, Sequence[str]], source: str) -> KBRecord:
        starts = []
        pos = 0
        for tok in tokens:
            starts.append(pos)
            pos += len(tok) + 1
        text = " ".join(tokens)
        found = []
        for order, (role, names) in enumerate(self.layers.items()):
            seq = labels.get(role)
            if not seq:
                continue
            i = 0
            while i < len(seq):
                label = seq[i]
                if label in self.outside:
                    i += 1
                    continue
                j = i + 1
                while j < len(seq) and seq[j] == label:
                    j += 1
                found.append((i, order, j, names[label]))
                i = j
        found.sort()
        entities = []
        for n, (i, _order, j, etype) in enumerate(found, 1):
            s, e = starts[i], starts[j - 1] + len(tokens[j - 1])
            entities.append(Entity(id=f"T{n}", type=etype, text=(text[s:e],), offsets=((s, e),)))
        return KBRecord(id=doc_id, document_id=doc_id,
                        passages=[Passage(id=f"{doc_id}_p1", type=self.passage_type, text=text,
                                          offsets=[(0, len(text))])],
                        entities=entities, source=source)


def _stem(path: Path) -> str:
    return path.name.split(".", 1)[0]


def _by_stem(paths: Sequence[Path], role: str) -> dict[str, Path]:
    out: dict[str, Path] = {}
    for path in paths:
        stem = _stem(path)
        if stem in out:
            raise SourceError(path, None, f"two {role} files for document {stem!r}: {out[stem]} and {path}")
        out[stem] = path
    return out


def _lines(path: Path) -> list[str]:
    return [line.rstrip("\r\n") for _, line in iter_lines(path)]


def read_token_label_files(
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics
) -> Iterator[KBRecord]:
    """Token files and per-layer label files paired by stem (see the module documentation)."""
    layers = _Layers(options)
    tokens = _by_stem(files.all("tokens"), "tokens")
    label_files = {role: _by_stem(files.all(role), role) for role in layers.layers}
    document_role = options.get("document_role", "")
    if document_role:
        if document_role not in label_files:
            raise ManifestError(None, "/source/options/document_role", f"{document_role!r} is not a layer role")
        stems = sorted(label_files[document_role])
    else:
        stems = sorted(set().union(*label_files.values()))
    for stem in stems:
        token_path = tokens.get(stem)
        if token_path is None:
            some = next(p[stem] for p in label_files.values() if stem in p)
            raise SourceError(some, None, f"no token file for document {stem!r} (role tokens: {stem}.tokens expected)")
        toks = _lines(token_path)
        labels: dict[str, list[str]] = {}
        for role, by_stem in label_files.items():
            path = by_stem.get(stem)
            if path is None:
                continue
            seq = [line.strip() for line in _lines(path)]
            if len(seq) != len(toks):
                raise SourceError(path, None, f"{len(seq)} labels but {len(toks)} tokens in {token_path}")
            for n, label in enumerate(seq, 1):
                layers.check(role, label, path, n)
            labels[role] = seq
        yield layers.record(stem, toks, labels, f"{token_path}:1")


_VOTES = ("majority", "any", "all")


def _combine(vectors: list, vote: str, n_tokens: int, path, key: str, outside: set[str]) -> list[str]:
    if vectors and not isinstance(vectors[0], list):
        vectors = [vectors]
    for v in vectors:
        if not isinstance(v, list) or len(v) != n_tokens:
            size = len(v) if isinstance(v, list) else type(v).__name__
            raise SourceError(path, None, f"{key!r}: a label vector of {size} for {n_tokens} tokens")
    out = []
    for i in range(n_tokens):
        votes = Counter(str(v[i]) for v in vectors)
        if vote == "majority":
            label, count = votes.most_common(1)[0] if votes else ("", 0)
            out.append(label if count * 2 > len(vectors) else "")
        elif vote == "any":
            out.append(next((lab for lab in votes if lab not in outside), ""))
        else:  # all
            out.append(next(iter(votes)) if len(votes) == 1 else "")
    return out


def read_token_label_json(
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics
) -> Iterator[KBRecord]:
    """A JSON object of texts and per-layer JSON objects of label vectors (see the module documentation)."""
    layers = _Layers(options)
    vote = options.get("vote", "majority")
    if vote not in _VOTES:
        raise ManifestError(None, "/source/options/vote", f"expected one of {', '.join(_VOTES)}, found {vote!r}")
    key_name = options.get("annotations", "annotations")
    tables: dict[str, tuple[Path | None, dict]] = {}
    for role in layers.layers:
        table: dict = {}
        path = None
        for path in files.all(role):
            data = load_json(path)
            if not isinstance(data, dict):
                raise SourceError(path, None,
                                  f"expected a JSON object keyed by sentence id, found {type(data).__name__}")
            table.update(data)
        tables[role] = (path, table)
    for path in files.all("tokens"):
        for item in iter_json_items(path):
            if not isinstance(item.key, str) or not isinstance(item.value, str):
                raise SourceError(path, item.line, "expected an object mapping each sentence id to its text")
            toks = item.value.split()
            labels: dict[str, list[str]] = {}
            for role, (lpath, table) in tables.items():
                entry = table.get(item.key)
                if entry is None:
                    continue
                vectors = entry.get(key_name) if isinstance(entry, dict) else entry
                if not isinstance(vectors, list):
                    raise SourceError(lpath, None, f"{item.key!r}: no {key_name!r} list")
                seq = _combine(vectors, vote, len(toks), lpath, item.key, layers.outside)
                for label in seq:
                    if label:
                        layers.check(role, label, lpath, repr(item.key))
                labels[role] = [label or next(iter(layers.outside)) for label in seq]
            yield layers.record(item.key, toks, labels, f"{path}:{item.line}")
