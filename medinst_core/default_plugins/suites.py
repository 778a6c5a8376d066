"""Built-in suites (the MedINST32 benchmark)."""

from __future__ import annotations

from pathlib import Path

from ..hookspecs import hookimpl

SUITES_DIR = Path(__file__).resolve().parent.parent / "suites"


@hookimpl
def register_suites(register):
    for path in sorted(SUITES_DIR.glob("*.json")):
        register(path)
