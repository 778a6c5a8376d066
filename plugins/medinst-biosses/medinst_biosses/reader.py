"""Reading BIOSSES as distributed.

Three layouts are accepted (the first found is read); the split's ``data``
role lists whatever was found:

* the tab-separated conversion ``annotation_pairs_scores.tsv`` with header
  ``sentence_id, sentence_1, sentence_2, annotator_a .. annotator_e``;
* the official ``BIOSSES-Dataset.rar`` unpacked: ``Annotation-Pairs.docx`` (a
  table ``['', 'Sentence 1', 'Sentence 2']`` with the pair number in the first
  column) and ``Annotator-Scores.docx`` (``Sentence No, Annotator A..E``,
  integers 0-4).  Needs ``pip install 'medinst-biosses[docx]'``;
* the archive ``BIOSSES-Dataset.rar`` itself: the two Word tables are read from
  it in memory.  Needs ``pip install 'medinst-biosses[rar]'`` (libarchive-c,
  which uses the libarchive library of the system: ``libarchive13`` on
  Debian/Ubuntu, ``libarchive`` on Fedora and Homebrew).

Each pair becomes a :class:`PairsRecord` with id = the pair number and
``score`` = the mean of the five annotators' scores.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from medinst_core.plugin_api import MissingExtraError, PairsRecord, SourceError

ANNOTATORS = 5


WORD_TABLES = ("Annotation-Pairs.docx", "Annotator-Scores.docx")


def _docx_rows(path: Path, content: bytes | None = None) -> list[list[str]]:
    """The rows of the first table of a Word file (``content``: its bytes, when
    it comes from an archive; ``path`` names it in messages)."""
    try:
        import docx
    except ImportError:
        raise MissingExtraError(
            f"reading {path.name} needs python-docx: pip install 'medinst-biosses[docx]'"
        ) from None
    try:
        document = docx.Document(io.BytesIO(content) if content is not None else str(path))
    except Exception as exc:  # python-docx raises several types for a damaged file
        raise SourceError(path, None, f"is not a readable Word document: {exc}") from None
    if not document.tables:
        raise SourceError(path, None, "expected a table, found none")
    return [[cell.text.strip() for cell in row.cells] for row in document.tables[0].rows]


def _score(values: list[str], path: Path, where: int, pair: str) -> float:
    if len(values) != ANNOTATORS:
        raise SourceError(path, where, f"pair {pair}: expected {ANNOTATORS} annotator scores, found {len(values)}")
    try:
        scores = [int(v) for v in values]
    except ValueError:
        raise SourceError(path, where, f"pair {pair}: expected integer scores 0-4, found {values}") from None
    if any(not 0 <= s <= 4 for s in scores):
        raise SourceError(path, where, f"pair {pair}: scores must be between 0 and 4, found {scores}")
    return sum(scores) / ANNOTATORS


def _from_docx(pairs_path: Path, scores_path: Path, contents: dict[str, bytes] | None = None):
    contents = contents or {}
    pairs = _docx_rows(pairs_path, contents.get(pairs_path.name))
    scores = _docx_rows(scores_path, contents.get(scores_path.name))
    if len(pairs[0]) < 3 or "sentence 1" not in pairs[0][1].lower():
        raise SourceError(pairs_path, None, f"expected the header ['', 'Sentence 1', 'Sentence 2'], found {pairs[0]}")
    if not scores[0] or "sentence" not in scores[0][0].lower():
        raise SourceError(scores_path, None, f"expected the header ['Sentence No', 'Annotator A', ...], found {scores[0]}")
    by_id = {}
    for i, row in enumerate(scores[1:], 2):
        if row and row[0]:
            by_id[row[0]] = (i, row[1 : 1 + ANNOTATORS])
    for i, row in enumerate(pairs[1:], 2):
        pair = row[0]
        if not pair:
            continue
        if pair not in by_id:
            raise SourceError(scores_path, None, f"no scores for pair {pair} (table row {i} of {pairs_path.name})")
        where, values = by_id[pair]
        yield PairsRecord(
            id=pair, document_id=pair, text_1=row[1], text_2=row[2],
            score=_score(values, scores_path, where, pair), source=f"{pairs_path}:row {i}",
        )


def _rar_members(path: Path) -> dict[str, bytes]:
    """The two Word tables inside the official archive, by file name."""
    try:
        import libarchive
    except ImportError:
        raise MissingExtraError(
            f"reading {path.name} needs libarchive-c: pip install 'medinst-biosses[rar]' "
            "(or unpack the archive: the Word tables inside it are read directly)"
        ) from None
    except (OSError, AttributeError) as exc:  # the package is there, the system library is not
        raise MissingExtraError(
            f"reading {path.name} needs the libarchive system library ({exc}); install it "
            "(libarchive13 on Debian/Ubuntu) or unpack the archive: the Word tables inside it are read directly"
        ) from None
    found: dict[str, bytes] = {}
    try:
        with libarchive.file_reader(str(path)) as archive:
            for entry in archive:
                name = entry.pathname.replace("\\", "/").rsplit("/", 1)[-1]
                if name in WORD_TABLES and entry.isfile:
                    found[name] = b"".join(entry.get_blocks())
    except libarchive.ArchiveError as exc:
        raise SourceError(path, None, f"is not a readable RAR archive: {exc}") from None
    missing = [name for name in WORD_TABLES if name not in found]
    if missing:
        raise SourceError(path, None, f"expected {' and '.join(WORD_TABLES)} inside the archive; missing {', '.join(missing)}")
    return found


def _from_tsv(path: Path):
    with open(path, encoding="utf-8-sig", newline="") as f:  # a BOM (files saved by Excel) is not part of the header
        rows = csv.reader(f, delimiter="\t")
        header = next(rows, None)
        expected = ["sentence_id", "sentence_1", "sentence_2"] + [f"annotator_{c}" for c in "abcde"]
        if header is None or [h.strip() for h in header[-len(expected):]] != expected:
            raise SourceError(path, 1, f"expected the header {expected}, found {header}")
        offset = len(header) - len(expected)  # a leading pandas index column is allowed
        for line, row in enumerate(rows, 2):
            if not row:
                continue
            if len(row) != len(header):
                raise SourceError(path, line, f"expected {len(header)} tab-separated columns, found {len(row)}")
            pair, text_1, text_2 = (cell.strip() for cell in row[offset : offset + 3])
            yield PairsRecord(  # stripped as the Word table cells are: the TSV pads some sentences with a space
                id=pair, document_id=pair, text_1=text_1, text_2=text_2,
                score=_score(row[offset + 3 :], path, line, pair), source=f"{path}:{line}",
            )


def read_biosses(files, options, diagnostics):
    found = {p.name: p for p in files.all("data")}
    tsv = next((p for name, p in sorted(found.items()) if name.endswith(".tsv")), None)
    if tsv is not None:
        yield from _from_tsv(tsv)
    elif all(name in found for name in WORD_TABLES):
        yield from _from_docx(found[WORD_TABLES[0]], found[WORD_TABLES[1]])
    elif "BIOSSES-Dataset.rar" in found:
        rar = found["BIOSSES-Dataset.rar"]
        contents = _rar_members(rar)
        yield from _from_docx(rar / WORD_TABLES[0], rar / WORD_TABLES[1], contents)
    else:
        raise SourceError(
            files.root, None,
            "expected annotation_pairs_scores.tsv, both Annotation-Pairs.docx and Annotator-Scores.docx, "
            f"or BIOSSES-Dataset.rar; found {sorted(found) or 'nothing'}",
        )
