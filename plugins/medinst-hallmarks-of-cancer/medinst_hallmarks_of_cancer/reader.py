"""Reading the Hallmarks of Cancer corpus as distributed (``hallmarks_of_cancer``).

Files
-----
The GitHub repository ``sb895/Hallmarks-of-Cancer`` has two folders named by
PubMed id:

* ``text/<PMID>.txt`` -- the tokenised abstract, one sentence per line;
* ``labels/<PMID>.txt`` -- one line of per-sentence label groups, each group
  starting with ``<`` (the *n*-th group labels the *n*-th sentence).  Inside a
  group, labels are joined by ``AND`` (sometimes with no space after it); a
  label is a path in the hallmark taxonomy joined by ``--``
  (``Sustaining proliferative signaling--Receptors``); an empty group or
  ``NULL`` means no hallmark.

Roles ``text`` and ``labels`` list the two kinds of file; they are paired by
file name, and a text without its labels file (or the reverse) is an error.

Records
-------
One :class:`~medinst_core.records.TextRecord` per sentence: id
``<PMID>_<n>`` (``n`` the 0-based sentence index), ``document_id`` the PMID,
``labels`` the distinct labels in the order they are written (none for an
empty or ``NULL`` group), ``source`` ``<text file>:<line>``.  With
``hierarchy: "top"`` (default) each label is cut at its first ``--``, giving
the ten hallmarks; labels are lower-cased unless ``lowercase`` is false.  This
is how BigBIO (and so MedINST) reads the corpus.

When a document has more sentences than label groups, or the reverse, the
extra ones are left out (as BigBIO does) and a ``hoc_label_count`` warning is
counted.

Order and blocks
----------------
Documents are read one at a time in a fixed order, so that position ranges
(``source.select``) define reproducible splits.  ``order: "sha256"``
(default) sorts the documents by the hexadecimal SHA-256 of their PMID (a
shuffle that does not depend on the file system), ``"pmid"`` by PMID as a
number.

``blocks`` (a list of sentence counts) then groups whole documents into
leading blocks of exactly that many sentences, so that position ranges cut
the corpus between documents: the first block takes the documents in order
while it stays at least ``BLOCK_MARGIN`` sentences short of its size, then
completes itself exactly with the earliest remaining documents (in order)
whose sentence counts add up to what is missing; the next block does the same
with the documents left, and the documents no block took come last.  Within a
block documents keep their order.  A block that cannot be completed exactly
(too few sentences left, e.g. with part of the corpus) takes the best sum
below its size and a ``hoc_block_short`` warning is counted.

Options
-------
``order`` (``"sha256"`` | ``"pmid"``, default ``"sha256"``)
``blocks`` (list of positive integers, default none)
``hierarchy`` (``"top"`` | ``"full"``, default ``"top"``)
``lowercase`` (bool, default ``true``)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medinst_core.plugin_api import ManifestError, SourceError, TextRecord

LABEL_COUNT = "hoc_label_count"
BLOCK_SHORT = "hoc_block_short"
#: a block is filled in document order up to this many sentences short of its size, then completed exactly
BLOCK_MARGIN = 60


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(path, line, f"is not valid UTF-8 ({exc.reason})") from None


def sentences_of(path: Path) -> list[str]:
    """The sentences of a ``text/<PMID>.txt`` file (one per line, LF or CRLF)."""
    text = _decode(path).replace("\r\n", "\n").strip("\n")
    return text.split("\n") if text else []


def label_groups(path: Path) -> list[str]:
    """The raw ``<``-started label groups of a ``labels/<PMID>.txt`` file."""
    text = _decode(path).replace("\r\n", "\n").strip("\n")
    head, marker, rest = text.partition("<")
    if head.strip():
        raise SourceError(path, 1, f"expected label groups each starting with '<', found {head.strip()[:40]!r} first")
    return rest.split("<") if marker else []


def parse_group(group: str, *, hierarchy: str = "top", lowercase: bool = True) -> tuple[str, ...]:
    """The distinct labels of one group, in the order written (``()`` for none)."""
    labels: list[str] = []
    for part in group.split("AND"):
        part = part.strip()
        if not part or part == "NULL":
            continue
        steps = [s.strip() for s in part.split("--")]
        label = steps[0] if hierarchy == "top" else "--".join(steps)
        if lowercase:
            label = label.lower()
        if label and label not in labels:
            labels.append(label)
    return tuple(labels)


def _order_key(order: str):
    if order == "sha256":
        return lambda pmid: (hashlib.sha256(pmid.encode("utf-8")).hexdigest(), pmid)
    return lambda pmid: (not pmid.isdigit(), int(pmid) if pmid.isdigit() else 0, pmid)


def _by_stem(paths, role: str) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in paths:
        if path.stem in found:
            raise SourceError(path, None, f"two {role} files for document {path.stem}: {found[path.stem]} and {path}")
        found[path.stem] = path
    return found


def _earliest_subset(sizes: list[int], target: int) -> tuple[list[int], int]:
    """Indices of the lexicographically earliest subset of ``sizes`` summing to
    ``target``, or (when none does) to the largest sum below it; and that sum."""
    n = len(sizes)
    # reach[i] = the set of sums that sizes[i:] can make (bitmask, bounded by target)
    limit = (1 << (target + 1)) - 1
    reach = [0] * (n + 1)
    reach[n] = 1
    for i in range(n - 1, -1, -1):
        reach[i] = (reach[i + 1] | (reach[i + 1] << sizes[i])) & limit
    goal = reach[0].bit_length() - 1  # the largest reachable sum <= target
    chosen: list[int] = []
    left = goal
    for i in range(n):
        if left == 0:
            break
        if sizes[i] <= left and reach[i + 1] >> (left - sizes[i]) & 1:
            chosen.append(i)
            left -= sizes[i]
    return chosen, goal


def arrange_blocks(docs: list[tuple[str, int]], blocks: list[int], diagnostics=None) -> list[list[str]]:
    """Group ``(pmid, sentence count)`` documents (in order) into the leading
    blocks described in the module documentation; the last group holds the
    documents no block took."""
    remaining = list(docs)
    groups: list[list[str]] = []
    for number, size in enumerate(blocks, 1):
        taken: list[tuple[str, int]] = []
        total = 0
        i = 0
        while i < len(remaining) and total + remaining[i][1] <= size - BLOCK_MARGIN:
            total += remaining[i][1]
            taken.append(remaining[i])
            i += 1
        rest = remaining[i:]
        picked, got = _earliest_subset([n for _, n in rest], size - total)
        chosen = set(picked)
        taken += [rest[j] for j in picked]
        remaining = [d for j, d in enumerate(rest) if j not in chosen]
        if total + got != size and diagnostics is not None:
            diagnostics.warn(
                BLOCK_SHORT,
                f"block {number} holds {total + got} sentences instead of {size} "
                f"(the documents left could not fill it exactly)",
            )
        groups.append([pmid for pmid, _ in taken])
    groups.append([pmid for pmid, _ in remaining])
    return groups


def read_hallmarks_of_cancer(files, options: Mapping[str, Any], diagnostics) -> Iterator[TextRecord]:
    """Read the ``text`` / ``labels`` folders (see the module documentation)."""
    order = options.get("order", "sha256")
    hierarchy = options.get("hierarchy", "top")
    lowercase = bool(options.get("lowercase", True))
    blocks = options.get("blocks") or []
    if order not in ("sha256", "pmid"):
        raise ManifestError(None, "/source/options/order", f"expected 'sha256' or 'pmid', found {order!r}")
    if hierarchy not in ("top", "full"):
        raise ManifestError(None, "/source/options/hierarchy", f"expected 'top' or 'full', found {hierarchy!r}")
    if not isinstance(blocks, list) or not all(isinstance(b, int) and b > 0 for b in blocks):
        raise ManifestError(None, "/source/options/blocks", f"expected a list of positive integers, found {blocks!r}")
    texts = _by_stem(files.all("text"), "text")
    labels = _by_stem(files.all("labels"), "labels")
    for pmid in sorted(texts.keys() - labels.keys())[:1]:
        raise SourceError(texts[pmid], None, f"document {pmid} has no labels file (expected labels/{pmid}.txt)")
    for pmid in sorted(labels.keys() - texts.keys())[:1]:
        raise SourceError(labels[pmid], None, f"document {pmid} has no text file (expected text/{pmid}.txt)")
    ordered = sorted(texts, key=_order_key(order))
    if blocks:
        sizes = [(pmid, _usable(texts[pmid], labels[pmid])) for pmid in ordered]
        ordered = [pmid for group in arrange_blocks(sizes, blocks, diagnostics) for pmid in group]
    for pmid in ordered:
        text_path = texts[pmid]
        sentences = sentences_of(text_path)
        groups = label_groups(labels[pmid])
        if len(sentences) != len(groups) and diagnostics is not None:
            diagnostics.warn(
                LABEL_COUNT,
                f"{labels[pmid]}: {len(groups)} label groups for the {len(sentences)} sentences of {text_path.name}; "
                f"only the first {min(len(sentences), len(groups))} are used",
            )
        for n, (sentence, group) in enumerate(zip(sentences, groups)):
            yield TextRecord(
                id=f"{pmid}_{n}",
                text=sentence.strip(),
                labels=parse_group(group, hierarchy=hierarchy, lowercase=lowercase),
                document_id=pmid,
                source=f"{text_path}:{n + 1}",
            )


def _usable(text_path: Path, labels_path: Path) -> int:
    """How many records a document gives (sentences that have a label group)."""
    return min(len(sentences_of(text_path)), len(label_groups(labels_path)))
