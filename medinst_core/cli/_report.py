"""Summaries shared by the verbs: warnings grouped with counts, outcome lines."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import click


def echo_warnings(per_unit: Iterable[tuple[str, Mapping[str, Any]]], *, examples: int = 1) -> None:
    """Print warnings grouped by code, with their counts and the units (task
    split) they came from, on stderr."""
    grouped: dict[str, dict[str, Any]] = {}
    for unit, warnings in per_unit:
        for code, info in warnings.items():
            g = grouped.setdefault(code, {"count": 0, "units": [], "examples": []})
            g["count"] += info["count"]
            g["units"].append(f"{unit} ({info['count']:,})")
            g["examples"].extend(info.get("examples", [])[: max(0, examples - len(g["examples"]))])
    if not grouped:
        return
    total = sum(g["count"] for g in grouped.values())
    click.echo(f"warnings: {total:,} in {len(grouped)} kind(s)", err=True)
    for code in sorted(grouped):
        g = grouped[code]
        click.echo(f"  {code}: {g['count']:,} in {', '.join(g['units'])}", err=True)
        for example in g["examples"]:
            click.echo(f"    e.g. {example}", err=True)


def fit_columns(rows, headers, droppable, *, width=None):
    """Drop the ``droppable`` columns (named, least valuable first) until the
    table fits the terminal; unchanged when stdout is not a terminal."""
    import shutil
    import sys

    if width is None:
        if not sys.stdout.isatty():
            return rows, headers
        width = shutil.get_terminal_size().columns
    rows = [list(r) for r in rows]
    headers = list(headers)

    def table_width():
        cells = [headers] + rows
        return sum(max(len(str(r[i])) for r in cells) for i in range(len(headers))) + 2 * (len(headers) - 1)

    for name in droppable:
        if table_width() <= width:
            break
        i = headers.index(name)
        headers.pop(i)
        for r in rows:
            r.pop(i)
    return rows, headers
