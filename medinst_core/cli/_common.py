"""Helpers shared by the CLI verbs."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click
import orjson

from ..plugins import Registry, get_registry, strict

_warned = False


def registry() -> Registry:
    """The registry, with load problems reported once on stderr; in strict
    mode (``MEDINST_STRICT_PLUGINS=1``) a problem ends the command with status 1."""
    global _warned
    reg = get_registry()
    if reg.problems and not _warned:
        _warned = True
        for plugin, message in reg.problems:
            click.echo(f"medinst: plugin {plugin!r}: {message}", err=True)
        if strict():
            click.echo("medinst: MEDINST_STRICT_PLUGINS is set; stopping because of the plugin problems above", err=True)
            sys.exit(1)
        click.echo("medinst: (run `medinst plugins` for details; the other plugins work normally)", err=True)
    return reg


def echo_json(data: Any) -> None:
    click.echo(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode())


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


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return text == ""
    return True
