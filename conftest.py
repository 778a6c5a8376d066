"""Repository-wide test set-up: the real source files in ../shared/data (when
present) are what the ``medinst_real_data`` fixture hands to plugin tests."""

import os
from pathlib import Path

_shared = Path(__file__).resolve().parent.parent / "shared" / "data"
if _shared.is_dir():
    os.environ.setdefault("MEDINST_REAL_DATA", str(_shared))

# Hypothesis: the default run is deterministic (derandomized, no example
# database), so a failure in CI is reproducible and a green run stays green;
# HYPOTHESIS_PROFILE=fuzz searches longer with fresh random examples, e.g.
#   HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest -m "not slow" tests
# (tests that set max_examples themselves keep their count).
try:
    from hypothesis import settings
except ImportError:  # a plugin's tests run without the core's test extra
    pass
else:
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True, deadline=None)
    settings.register_profile("fuzz", max_examples=2000, derandomize=False, database=None, print_blob=True, deadline=None)
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Tests on the real downloads (the shared_data / medinst_real_data fixtures)
# build whole corpora: they are marked slow, with the install tests and the
# long property-based runs, so `pytest -m "not slow"` gives a quick check.
_REAL_DATA_FIXTURES = {"shared_data", "medinst_real_data"}


def pytest_collection_modifyitems(config, items):
    import pytest

    for item in items:
        if _REAL_DATA_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
