"""Line-aligned parallel text reader (``parallel_text``).

Files
-----
Roles ``text_1`` and ``text_2``: one file each, one sentence per line, line
*n* of one file translating line *n* of the other (ParaMed's
``nejm.test.zh`` / ``nejm.test.en``).  Different line counts are an error
naming both files and both counts.

Records
-------
One :class:`~medinst_core.records.T2TRecord` per line pair, ids ``"0"``,
``"1"``... (the 0-based line index); ``source`` is ``<text_1 path>:<line>``.
Line endings (``\\n`` or ``\\r\\n``) are removed; with ``strip``
surrounding white space too.

The options, with their defaults and descriptions, are declared once, in
the reader's schema in ``medinst_core/default_plugins/readers.py``
(``medinst tasks show TASK`` prints them).

Both files are read line by line together.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ..default_plugins.readers import PARALLEL_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..options import with_defaults
from ..records import T2TRecord
from ..sources import SourceFiles
from .files import iter_lines


def read_parallel(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[T2TRecord]:
    """Read the ``text_1`` / ``text_2`` file pair (see the module documentation)."""
    path_1 = files.one("text_1")
    path_2 = files.one("text_2")
    options = with_defaults(PARALLEL_OPTIONS, options)
    lang_1 = str(options["text_1_lang"])
    lang_2 = str(options["text_2_lang"])
    name_1 = str(options["text_1_name"])
    name_2 = str(options["text_2_name"])
    strip = bool(options["strip"])
    skip_blank = bool(options["skip_blank"])
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
                id=str(n),
                text_1=text_1,
                text_2=text_2,
                text_1_lang=lang_1,
                text_2_lang=lang_2,
                text_1_name=name_1,
                text_2_name=name_2,
                source=f"{path_1}:{a[0]}",
            )
        n += 1
