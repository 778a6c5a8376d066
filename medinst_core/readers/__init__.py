"""The core readers, and the file helpers a plugin's own reader should use
rather than write again: every source file opened in one place (gzip data
decompressed on the fly, errors naming the file), UTF-8 decoding errors named
with their line, JSON streamed item by item."""

from .files import decoding_error, iter_lines, open_binary, open_text, read_bytes, read_text
from .jsonstream import STREAMED, JsonItem, iter_json_items, iter_json_lines, load_json

__all__ = [
    "STREAMED", "JsonItem", "decoding_error", "iter_json_items", "iter_json_lines", "iter_lines", "load_json",
    "open_binary", "open_text", "read_bytes", "read_text",
]
