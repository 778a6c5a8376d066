"""A record of the JSON documents already found valid, so that start-up does
not import jsonschema and re-validate every installed manifest each time.

The key of a document is a digest of the schema's bytes, the core version and
the document itself (its bases merged in, serialised with sorted keys): any
edit of a manifest or of one of its bases, or a new schema, gives a new key and
the document is validated again.  Only documents that passed are recorded, so
the record can never hide an invalid manifest.

The record is one file, ``$XDG_CACHE_HOME/medinst/valid-documents.bin``
(``~/.cache`` without XDG_CACHE_HOME; ``MEDINST_CACHE_DIR`` overrides the
folder; ``MEDINST_NO_CACHE=1`` turns it off): a magic line then 16-byte
digests.  It is written at exit, to a temporary file renamed over the old one,
so concurrent writers never leave a partial file (the last one wins; what the
other one added is validated again next time).  A file that cannot be read or
does not look right is ignored and replaced.
"""

from __future__ import annotations

import atexit
import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import orjson

from .envvars import switch

if TYPE_CHECKING:
    from pathlib import Path

try:  # hashlib's own blake2b: importing hashlib would also load OpenSSL (a few ms), which no digest here needs
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without the module
    from hashlib import blake2b

MAGIC = b"medinst valid documents v1\n"
DIGEST = 16
MAX_ENTRIES = 50_000  # beyond this the record is started afresh

_known: set[bytes] | None = None
_added: set[bytes] = set()
_schema_keys: dict[str, bytes] = {}
_flush_registered = False


def cache_folder() -> str | None:
    """The cache folder (``None``: caching turned off) as a string, for
    callers on the start-up path that do without pathlib."""
    if switch("MEDINST_NO_CACHE"):
        return None
    explicit = os.environ.get("MEDINST_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "medinst")


def cache_dir() -> Path | None:
    from pathlib import Path

    folder = cache_folder()
    return None if folder is None else Path(folder)


def cache_file() -> Path | None:
    folder = cache_dir()
    return folder / "valid-documents.bin" if folder is not None else None


def _load() -> set[bytes]:
    global _known
    if _known is None:
        _known = set()
        path = cache_file()
        if path is not None:
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            if data.startswith(MAGIC) and (len(data) - len(MAGIC)) % DIGEST == 0:
                body = memoryview(data)[len(MAGIC):]
                _known = {bytes(body[i:i + DIGEST]) for i in range(0, len(body), DIGEST)}
    return _known


def key(schema: str, document: Any, schema_text: Callable[[str], bytes]) -> bytes | None:
    """The digest of ``document`` checked against ``schema`` (None when it
    cannot be serialised); ``schema_text`` gives the schema's bytes."""
    prefix = _schema_keys.get(schema)
    if prefix is None:
        from ._version import __version__

        prefix = blake2b(schema_text(schema) + b"\0" + __version__.encode(), digest_size=DIGEST).digest()
        _schema_keys[schema] = prefix
    try:
        body = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    except (TypeError, orjson.JSONEncodeError):
        return None
    return blake2b(prefix + body, digest_size=DIGEST).digest()


def known_valid(digest: bytes | None) -> bool:
    return digest is not None and cache_file() is not None and digest in _load()


def remember(digest: bytes | None) -> None:
    """Record a document that passed validation (written at exit)."""
    global _flush_registered
    if digest is None or cache_file() is None:
        return
    known = _load()
    if digest in known:
        return
    known.add(digest)
    _added.add(digest)
    if not _flush_registered:
        _flush_registered = True
        atexit.register(flush)


def flush() -> None:
    """Write the record: what is on disk now (another process may have added
    to it) with what this process validated, through a renamed temporary file."""
    global _known
    if not _added:
        return
    path = cache_file()
    if path is None:
        return
    try:
        on_disk = path.read_bytes()
    except OSError:
        on_disk = b""
    entries: set[bytes] = set()
    if on_disk.startswith(MAGIC) and (len(on_disk) - len(MAGIC)) % DIGEST == 0:
        body = on_disk[len(MAGIC):]
        entries = {body[i:i + DIGEST] for i in range(0, len(body), DIGEST)}
    if len(entries) + len(_added) > MAX_ENTRIES:
        entries = set()
    entries |= _added
    from .io import atomic_write  # here, not at the top: a warm start never writes

    try:
        with atomic_write(path) as fh:
            fh.write(MAGIC + b"".join(sorted(entries)))
    except OSError:  # a read-only or full cache folder: validate again next time
        return
    _added.clear()
    _known = entries


def reset() -> None:
    """Forget what was loaded (tests: after changing the cache folder)."""
    global _known
    _known = None
    _added.clear()
    _schema_keys.clear()
