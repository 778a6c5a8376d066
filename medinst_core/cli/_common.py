"""Helpers shared by the CLI verbs."""

from __future__ import annotations

import sys
from typing import Any

import click
import orjson

from ..plugins import Registry, get_registry, strict
from ..tables import fit_table, table, terminal_width

__all__ = ["echo_json", "echo_table", "registry", "table"]

_warned = False


def registry(*, listing: bool = False) -> Registry:
    """The registry, with load problems reported once on stderr; in strict
    mode (``MEDINST_STRICT_PLUGINS=1``) a problem ends the command with status 1.
    ``listing``: the command only lists plugins, tasks and suites, which a
    stored snapshot of the registry can answer (:mod:`medinst_core.registry_cache`)."""
    global _warned
    if listing:
        from ..registry_cache import listing_registry

        reg = listing_registry()
    else:
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


def echo_table(rows, headers, *, drop=(), shrink=(), keep: int = 1) -> None:
    """Print a table fitted to the terminal (``$COLUMNS``, else the terminal's
    width; a pipe or file gets it whole): the ``drop`` columns left out first,
    then the ``shrink`` columns shortened, then the rest wrapped in blocks."""
    click.echo(fit_table(rows, headers, width=terminal_width(), drop=drop, shrink=shrink, keep=keep))
