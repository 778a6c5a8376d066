"""The public API for plugin code: everything a dataset plugin's package may
import from medinst.  Plugin *tests* may also import :mod:`medinst_core.testing`.

Names here keep their meaning across minor versions of medinst-core; the
modules they come from are private and may be reorganised at any time (a test
checks that no plugin in this repository imports anything else).

- hooks: :data:`hookimpl`, and the callable types :class:`Reader`,
  :class:`Formatter`, :class:`MetricFunction`;
- records a reader yields: :class:`KBRecord` (with :class:`Passage`,
  :class:`Entity`, :class:`Event`, :class:`Argument`, :class:`Relation`,
  :class:`Coreference`, :class:`Normalization`), :class:`QARecord`,
  :class:`TERecord`, :class:`PairsRecord`, :class:`TextRecord`,
  :class:`T2TRecord`; a formatter yields :class:`Draft` objects; a metric
  returns a :class:`MetricResult`;
- what a reader receives: :class:`SourceFiles` (the resolved files of one
  split, by role) and :class:`Diagnostics` (counted, tolerated problems);
- errors: :class:`SourceError` (a malformed source file: path, line, what was
  expected), :class:`MissingFilesError`, :class:`MissingExtraError` (an
  optional dependency is not installed: say which ``pip install``),
  :class:`ManifestError`, :class:`MedinstError`;
- file helpers every reader should use rather than write again: source files
  opened in one place with gzip data decompressed on the fly
  (:func:`open_binary`, :func:`open_text`, :func:`read_bytes`,
  :func:`read_text`, :func:`iter_lines`), UTF-8 errors named with their line
  (:func:`decoding_error`), JSON streamed item by item (:func:`iter_json_items`,
  :class:`JsonItem`, :func:`iter_json_lines`, :func:`load_json`);
- the core's declarative tabular field mapping, for a reader that walks a
  layout of its own but maps fields like the json/csv readers
  (:class:`FieldMapping`);
- the core's readers and their option schemas, for a plugin reader that
  delegates to one (:func:`core_reader`, :func:`reader_options`);
- :class:`FileGroups`, set as a reader's ``file_groups`` attribute: a split of
  many files may be cut into groups of whole files built by several workers
  (``build --jobs N``; see :mod:`medinst_core.readers.file_groups`).
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostics
from .errors import ManifestError, MedinstError, MissingExtraError, MissingFilesError, SourceError
from .hookspecs import Formatter, MetricFunction, Reader, hookimpl
from .readers import (
    JsonItem,
    decoding_error,
    iter_json_items,
    iter_json_lines,
    iter_lines,
    load_json,
    open_binary,
    open_text,
    read_bytes,
    read_text,
)
from .records import (
    Argument,
    Coreference,
    Entity,
    Event,
    KBRecord,
    Normalization,
    PairsRecord,
    Passage,
    QARecord,
    Relation,
    T2TRecord,
    TERecord,
    TextRecord,
)
from .samples import Draft
from .sources import FileIndex, SourceFiles

if TYPE_CHECKING:  # pragma: no cover
    from .metrics import MetricResult
    from .readers.file_groups import FileGroups
    from .readers.tabular import FieldMapping

__all__ = [
    "hookimpl", "Reader", "Formatter", "MetricFunction", "MetricResult",
    "KBRecord", "Passage", "Entity", "Event", "Argument", "Relation", "Coreference", "Normalization",
    "QARecord", "TERecord", "PairsRecord", "TextRecord", "T2TRecord", "Draft",
    "SourceFiles", "FileIndex", "Diagnostics",
    "SourceError", "MissingFilesError", "MissingExtraError", "ManifestError", "MedinstError",
    "open_binary", "open_text", "read_bytes", "read_text", "iter_lines", "decoding_error",
    "iter_json_items", "iter_json_lines", "load_json", "JsonItem",
    "FieldMapping", "core_reader", "reader_options", "FileGroups",
]

_LAZY = {"FieldMapping": "medinst_core.readers.tabular", "MetricResult": "medinst_core.metrics",
         "FileGroups": "medinst_core.readers.file_groups"}


def __getattr__(name: str) -> Any:
    # kept out of `import medinst_core.plugin_api`, which every plugin does at start-up
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'medinst_core.plugin_api' has no attribute {name!r}")


def _core_component(name: str) -> Any:
    """The registration of a core reader, collected straight from the default plugin."""
    from .components import Component
    from .default_plugins import readers as defaults
    from .errors import UsageError, did_you_mean

    found: dict[str, Component] = {}

    def collect(rname: str, ref: Any, *, description: str = "", record_kind: str = "kb", options_schema: Any = None) -> None:
        found[rname] = Component(kind="reader", name=rname, ref=ref, plugin="medinst-core", description=description,
                                 record_kind=record_kind, options_schema=options_schema)

    defaults.register_readers(collect)
    if name not in found:
        raise UsageError(f"medinst-core has no reader {name!r}{did_you_mean(name, found)}")
    return found[name]


def core_reader(name: str) -> Reader:
    """The core's reader registered as ``name`` (``"pubtator"``, ``"bioc_xml"``...)."""
    return _core_component(name).load()


def reader_options(name: str) -> dict[str, Any]:
    """A copy of the JSON Schema of the core reader ``name``'s options, for a
    plugin reader that passes some of its options on to it."""
    return copy.deepcopy(dict(_core_component(name).options_schema or {}))
