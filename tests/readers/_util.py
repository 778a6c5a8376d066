"""Helpers of the reader tests."""

from __future__ import annotations

from pathlib import Path

import attrs

from medinst_core.diagnostics import Diagnostics
from medinst_core.sources import SourceFiles

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def run(reader, roles, options=None, diagnostics=None, root=None):
    """All records of ``reader`` over ``roles`` ({role: path or [paths]})."""
    files = {k: tuple(Path(p) for p in (v if isinstance(v, (list, tuple)) else [v])) for k, v in roles.items()}
    first = next(iter(files.values()))
    root = root or (first[0].parent if first else Path("."))
    return list(reader(SourceFiles(root=Path(root), roles=files), options or {}, diagnostics if diagnostics is not None else Diagnostics()))


def unsourced(records):
    """Records without their ``source`` locator (which names the file)."""
    return [attrs.evolve(r, source="") for r in records]
