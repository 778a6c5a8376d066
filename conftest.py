"""Repository-wide test set-up: the real source files in ../shared/data (when
present) are what the ``medinst_real_data`` fixture hands to plugin tests."""

import os
from pathlib import Path

_shared = Path(__file__).resolve().parent.parent / "shared" / "data"
if _shared.is_dir():
    os.environ.setdefault("MEDINST_REAL_DATA", str(_shared))
