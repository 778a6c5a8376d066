"""Line-aligned parallel text reader (``parallel_text``).

Files
-----
Roles ``text_1`` and ``text_2``: one file each, one sentence per line, line
*n* of one file translating line *n* of the other (ParaMed's
``nejm.test.zh`` / ``nejm.test.en``).  Different line counts are an error
naming both files and both counts.

With ``pair_by: "stem"`` each role may match several files, paired by their
name without its last suffix: ``en_es.en`` with ``en_es.es``, ``en_pt.en``
with ``en_pt.pt`` (SciELO).  The pairs are read one after another in the order
of their names; a file without a partner is an error naming it.

Records
-------
One :class:`~medinst_core.records.T2TRecord` per line pair, ids ``"0"``,
``"1"``... (the 0-based line index; ``<stem>_0``... with ``pair_by: "stem"``);
``source`` is ``<text_1 path>:<line>``.
Line endings (``\\n`` or ``\\r\\n``) are removed; with ``strip`` (default)
surrounding white space too.

Options
-------
``text_1_lang``, ``text_2_lang`` (str, ``""``)
    language codes put on every record, e.g. ``"zh"`` and ``"en"``.
``text_1_name``, ``text_2_name`` (str, ``""``)
``strip`` (bool, ``true``)
``skip_blank`` (bool, ``false``)
    skip pairs whose two lines are both blank (they still count for the
    line-count check).
``pair_by`` (``"single"`` | ``"stem"``, ``"single"``)
    one file per role, or several paired by name (above).
``languages_from_suffix`` (bool, ``false``)
    each record's ``text_1_lang`` / ``text_2_lang`` is the last suffix of its
    file (``en_es.es`` -> ``es``) instead of the options above.

Both files are read line by line together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..records import T2TRecord
from ..sources import SourceFiles
from .files import iter_lines


def read_parallel(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[T2TRecord]:
    """Read the ``text_1`` / ``text_2`` file pair(s) (see the module documentation)."""
    if options.get("pair_by", "single") != "stem":
        yield from _read_pair(files.one("text_1"), files.one("text_2"), options, "")
        return
    for stem, path_1, path_2 in paired_by_stem(files.all("text_1"), files.all("text_2")):
        yield from _read_pair(path_1, path_2, options, f"{stem}_")


def paired_by_stem(paths_1, paths_2) -> list[tuple[str, Path, Path]]:
    """``(stem, path_1, path_2)`` for the files of two roles paired by their
    name without its last suffix, in the order of the stems."""
    def by_stem(paths, role):
        table: dict[str, Path] = {}
        for path in paths:
            stem = path.name.rsplit(".", 1)[0]
            if stem in table:
                raise SourceError(path, None, f"two {role} files share the name {stem}.*: {table[stem]} and {path}")
            table[stem] = path
        return table

    one, two = by_stem(paths_1, "text_1"), by_stem(paths_2, "text_2")
    for stem in sorted(one.keys() ^ two.keys()):
        lonely = one.get(stem) or two.get(stem)
        raise SourceError(lonely, None, f"has no parallel file: no {'text_2' if stem in one else 'text_1'} file "
                          f"is named {stem}.<suffix>")
    return [(stem, one[stem], two[stem]) for stem in sorted(one)]


def _read_pair(path_1: Path, path_2: Path, options: Mapping[str, Any], prefix: str) -> Iterator[T2TRecord]:
    if options.get("languages_from_suffix", False):
        lang_1, lang_2 = path_1.suffix.lstrip("."), path_2.suffix.lstrip(".")
    else:
        lang_1 = str(options.get("text_1_lang", ""))
        lang_2 = str(options.get("text_2_lang", ""))
    name_1 = str(options.get("text_1_name", ""))
    name_2 = str(options.get("text_2_name", ""))
    strip = bool(options.get("strip", True))
    skip_blank = bool(options.get("skip_blank", False))
    lines_1 = iter_lines(path_1)
    lines_2 = iter_lines(path_2)
    n = 0
    while True:
        a = next(lines_1, None)
        b = next(lines_2, None)
        if a is None or b is None:
            if a is None and b is None:
                return
            count_1 = n + (a is not None) + sum(1 for _ in lines_1)
            count_2 = n + (b is not None) + sum(1 for _ in lines_2)
            raise SourceError(
                path_1, None,
                f"the parallel files have different line counts: {path_1} has {count_1} lines, "
                f"{path_2} has {count_2} lines",
            )
        text_1, text_2 = a[1], b[1]
        if strip:
            text_1, text_2 = text_1.strip(), text_2.strip()
        if not (skip_blank and not text_1.strip() and not text_2.strip()):
            yield T2TRecord(
                id=f"{prefix}{n}",
                text_1=text_1,
                text_2=text_2,
                text_1_lang=lang_1,
                text_2_lang=lang_2,
                text_1_name=name_1,
                text_2_name=name_2,
                source=f"{path_1}:{a[0]}",
            )
        n += 1
