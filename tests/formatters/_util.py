"""Helpers of the formatter tests."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from medinst_core.default_plugins.formatters import FORMATTERS
from medinst_core.options import with_defaults


def filled(formatter: Callable[..., Any]) -> Callable[..., Any]:
    """``formatter`` called as the pipeline calls it: with the defaults of its
    registered options schema filled in."""
    ref = f"{formatter.__module__.rsplit('.', 1)[-1]}:{formatter.__name__}"
    schema = next(entry[3] for entry in FORMATTERS.values() if entry[0] == ref)

    @functools.wraps(formatter)
    def call(record: Any, options: Any, *args: Any) -> Any:
        return formatter(record, with_defaults(schema, options), *args)

    return call
