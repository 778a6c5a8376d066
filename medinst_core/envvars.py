"""Reading medinst's environment variables, one way for each kind of value.

Every ``MEDINST_*`` variable the core reads is listed in the README
("Environment variables"); a test checks the two agree.  A switch is on for
any value but empty, ``0``, ``false``, ``no`` and ``off`` (any case); a size
is a number of bytes with an optional ``K``, ``M`` or ``G`` (``KB``,
``MiB``... too), and a value that is no size is a usage error naming the
variable, never silently replaced by the default.

Imports nothing beyond ``os``: it is read on the start-up path of every command.
"""

from __future__ import annotations

import os

_OFF = ("", "0", "false", "no", "off")
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}


def switch(name: str) -> bool:
    """Whether the switch ``name`` is on."""
    return os.environ.get(name, "").strip().lower() not in _OFF


def byte_size(name: str, default: int) -> int:
    """The size in bytes that ``name`` sets (at least 1), else ``default``."""
    raw = os.environ.get(name, "")
    value = raw.strip().upper().removesuffix("B").removesuffix("I")
    if not value:
        return default
    number, unit = (value[:-1], value[-1]) if value[-1] in _UNITS else (value, "")
    try:
        size = int(number.strip()) * _UNITS[unit]
    except ValueError:
        from .errors import UsageError

        raise UsageError(f"{name}={raw!r}: expected a number of bytes (with an optional K, M or G suffix)") from None
    return max(size, 1)


def check_sizes(*names: str) -> None:
    """A usage error for the first of ``names`` set to something that is no size."""
    for name in names:
        byte_size(name, 1)
