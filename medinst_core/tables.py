"""Plain text tables, as the command line, the evaluation summary and the
comparison report print them, fitted to the terminal's width.

:func:`fit_table` makes a table fit a width: it first drops the columns named
least valuable, then shortens the cells of the columns that may be shortened
(ending them with ``…``), and, when the table is still too wide, wraps it: the
leading key columns are repeated and the others are printed in blocks, one
below the other.  :func:`terminal_width` is the width to fit: ``$COLUMNS`` when
set, else the terminal's when stdout is one, else none (a file or a pipe gets
the whole table)."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

#: a shortened cell keeps at least this many characters (or its header's width)
MIN_SHRUNK = 8


def table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> str:
    """A plain text table (left-aligned columns, numbers right-aligned)."""
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    numeric = [all(_is_number(r[i]) for r in cells[1:]) and len(cells) > 1 for i in range(len(headers))]

    def fmt(row: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric)).rstrip()

    lines = [fmt(cells[0]), "  ".join("-" * w for w in widths)]
    lines += [fmt(r) for r in cells[1:]]
    return "\n".join(lines)


def terminal_width() -> int | None:
    """``$COLUMNS`` when it is set to a positive number, else the terminal's
    width when stdout is a terminal, else ``None`` (no limit)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    if sys.stdout.isatty():
        import shutil  # here: it imports bz2 and lzma, which `--json` listings do not need

        return shutil.get_terminal_size().columns
    return None


def table_width(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> int:
    """The width of the widest line :func:`table` prints for these cells."""
    if not headers:
        return 0
    cells = [[str(h) for h in headers]] + [["" if c is None else str(c) for c in row] for row in rows]
    return sum(max(len(r[i]) for r in cells) for i in range(len(headers))) + 2 * (len(headers) - 1)


def fit_columns(
    rows: Sequence[Sequence[Any]], headers: Sequence[str], drop: Sequence[str], width: int | None
) -> tuple[list[list[Any]], list[str]]:
    """Drop the ``drop`` columns (named, least valuable first) until the table
    is at most ``width`` wide (or none is left to drop)."""
    out = [list(r) for r in rows]
    names = list(headers)
    if width is None:
        return out, names
    for name in drop:
        if table_width(out, names) <= width:
            break
        if name in names:
            i = names.index(name)
            names.pop(i)
            for r in out:
                r.pop(i)
    return out, names


def _shrink(rows: list[list[Any]], headers: list[str], shrink: Sequence[str], width: int) -> None:
    """Shorten the cells (and, when they are the widest, the headers) of the
    ``shrink`` columns, in the order named, until the table fits or none can be
    shortened further."""
    for name in shrink:
        excess = table_width(rows, headers) - width
        if excess <= 0 or name not in headers:
            continue
        i = headers.index(name)
        current = max(len("" if r[i] is None else str(r[i])) for r in [headers, *rows])
        limit = max(current - excess, MIN_SHRUNK)
        for r in rows:
            text = "" if r[i] is None else str(r[i])
            if len(text) > limit:
                r[i] = text[: limit - 1] + "…"
        if len(headers[i]) > limit:
            headers[i] = headers[i][: limit - 1] + "…"


def fit_table(
    rows: Sequence[Sequence[Any]],
    headers: Sequence[str],
    *,
    width: int | None,
    drop: Sequence[str] = (),
    shrink: Sequence[str] = (),
    keep: int = 1,
) -> str:
    """:func:`table`, fitted to ``width`` (``None``: not fitted): the ``drop``
    columns are left out (least valuable first), then the ``shrink`` columns'
    cells shortened, then the columns after the first ``keep`` wrapped into
    blocks that repeat the ``keep`` columns."""
    out, names = fit_columns(rows, headers, drop, width)
    if width is None or table_width(out, names) <= width:
        return table(out, names)
    _shrink(out, names, shrink, width)
    if table_width(out, names) <= width or len(names) <= keep + 1:
        return table(out, names)
    blocks: list[list[int]] = []
    current: list[int] = []
    for i in range(keep, len(names)):
        trial = list(range(keep)) + current + [i]
        if current and table_width([[r[j] for j in trial] for r in out], [names[j] for j in trial]) > width:
            blocks.append(current)
            current = []
        current.append(i)
    blocks.append(current)
    parts = []
    for block in blocks:
        cols = list(range(keep)) + block
        cells = [[r[j] for j in cols] for r in out]
        heads = [names[j] for j in cols]
        if len(block) == 1 and table_width(cells, heads) > width:  # one column too wide by itself: shorten it
            _shrink(cells, heads, [heads[-1]], width)
        parts.append(table(cells, heads))
    return "\n\n".join(parts)


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return text == ""
    return True
