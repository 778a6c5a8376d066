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
    table fits ``width`` (default: :func:`~medinst_core.tables.terminal_width`;
    unchanged when there is no width to fit)."""
    from ..tables import fit_columns as fit
    from ..tables import terminal_width

    return fit(rows, headers, droppable, terminal_width() if width is None else width)
