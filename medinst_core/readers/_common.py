"""The readers' helpers under their former module name: readers written
against ``medinst_core.readers._common`` keep working.  The helpers live in
modules named after their job: :mod:`.files` (opening and decoding),
:mod:`.jsonstream` (JSON, JSON Lines, streamed JSON), :mod:`.construct`
(records from canonical values), :mod:`.checks` (offsets, duplicate ids) and
:mod:`.ids` (concept identifiers); new code imports from those."""

from .checks import OFFSET_MISMATCH, OffsetChecker, UniqueIds, split_fragments
from .construct import fast_constructor, make_entity
from .files import (
    GZIP_MAGIC,
    CompressedDataError,
    decoding_error,
    iter_lines,
    open_binary,
    open_text,
    read_bytes,
    read_text,
)
from .ids import DEFAULT_NULL_IDS, DEFAULT_SEPARATORS, IdSplitter, expand_concept_relations
from .jsonstream import (
    JSON_CHUNK,
    STREAMED,
    JsonItem,
    iter_json_items,
    iter_json_lines,
    json_error,
    json_opening,
    load_json,
)

__all__ = [
    "GZIP_MAGIC", "JSON_CHUNK", "OFFSET_MISMATCH", "STREAMED", "CompressedDataError", "IdSplitter", "JsonItem",
    "OffsetChecker", "UniqueIds", "decoding_error", "expand_concept_relations", "fast_constructor",
    "iter_json_items", "iter_json_lines", "iter_lines", "json_error", "json_opening", "load_json", "make_entity",
    "open_binary", "open_text", "read_bytes", "read_text", "split_fragments",
    "DEFAULT_NULL_IDS", "DEFAULT_SEPARATORS",
]
