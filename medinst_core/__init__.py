"""medinst: biomedical NLP datasets, in their native files, turned into
instruction-tuning and evaluation data, scored with MedINST's own metrics."""

from __future__ import annotations

from .hookspecs import hookimpl, hookspec

__version__ = "0.1.0"

__all__ = ["hookimpl", "hookspec", "__version__"]
