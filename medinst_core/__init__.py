"""medinst: biomedical NLP datasets, in their native files, turned into
instruction-tuning and evaluation data, scored with MedINST's own metrics."""

from __future__ import annotations

from ._version import __version__

_API = ("list_tasks", "get_task", "iter_samples", "iter_records", "build", "evaluate")

__all__ = ["hookimpl", "hookspec", "__version__", *_API]


def __getattr__(name: str):
    # pluggy's markers too: `medinst tasks` answered from the stored snapshot needs no pluggy
    if name in ("hookimpl", "hookspec"):
        from . import hookspecs

        return getattr(hookspecs, name)
    # the Python API is imported on first use, keeping `import medinst_core` light
    if name == "evaluate":
        from .scoring import evaluate

        return evaluate
    if name in _API:
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'medinst_core' has no attribute {name!r}")
