"""A snapshot of the loaded task registry, so that ``medinst tasks`` and
``medinst plugins`` answer without importing a plugin, reading every manifest
with its file checksum lists, merging bases or importing jsonschema.

What the snapshot holds: every plugin's facts (name, version, distribution,
hooks, tasks), every task (its merged, validated manifest without
``dataset.files``, the checksum lists that are most of the bytes and that no
listing shows; its plugin, manifest path, bundled samples folder) and the
suites.  Readers, formatters and metrics are not in it:
the commands that need them load the plugins as before (so do ``tasks show``,
``build``, ``validate``...).

The key, recomputed on every use, is a digest of:

* the Python prefix, the core version, ``MEDINST_LOAD_PLUGINS``;
* every file of the ``medinst_core`` package and the bytes of every JSON Schema;
* ``sys.path`` and the names (so versions) of the distributions installed on
  it, and for every distribution declaring ``medinst`` entry points the bytes
  of its ``entry_points.txt`` and ``RECORD`` (a reinstall, editable or from a
  wheel, rewrites it);
* for every plugin, the bytes and names of every file in the folder of its
  module (``samples``, ``tests`` and ``__pycache__`` left out): its code, its
  manifests and bases, so an edit, a new or a removed manifest is seen;
* every JSON file outside those folders that loading read (``medinst:`` bases,
  manifests a plugin keeps elsewhere) and the names in such manifest folders.

Contents are hashed (blake2b).  To spare reading every file on every run, the
snapshot also stores, for each file that had not changed for two seconds when
the load began, its size, modification and change times (``st_ctime_ns`` moves
on every write and cannot be set back), inode and digest; the next run reuses
the digest of a file whose four values are unchanged and reads the others.  A
file changed shortly before or during the load is always read again, so a
same-size edit within one timestamp tick still changes the key.  A registry with any load problem (an import
error, a failing hook, an invalid manifest, a name conflict) is never stored:
such problems may depend on anything in the environment (a missing third-party
module, a variable a plugin reads), which no cheap key covers, so a broken
install is loaded and reported in full every time, exactly as without the
snapshot.  Plugins whose registrations depend on something other than their
own files (the time, the network, environment variables) are not supported by
the snapshot; ``MEDINST_NO_CACHE=1`` turns it off.

The file is ``registry-<environment digest>.bin`` in the cache folder of
:mod:`.schema_cache`: a magic line, a JSON line with what to hash and the key,
then the JSON body; written through a temporary file renamed over the old one
(concurrent writers: the last one wins, never a partial file); a file that
cannot be read or parsed is ignored and replaced.
"""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path
from typing import Any

import orjson

from . import manifest, plugins, schema_cache
from .components import PluginInfo, TaskSpec
from .plugins import Registry, get_registry

MAGIC = b"medinst registry snapshot v1\n"
SKIP_DIRS = frozenset({"__pycache__", "samples", "tests", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache"})

def _digest(data: bytes) -> bytes:
    """As :func:`medinst_core.manifest.record_reads` digests the files it records."""
    return hashlib.blake2b(data, digest_size=16).digest()


def snapshot_file() -> Path | None:
    folder = schema_cache.cache_dir()
    if folder is None:
        return None
    # one file per environment and search path (``python -c`` and the
    # ``medinst`` script differ in sys.path[0]), so they do not replace each other
    env = hashlib.blake2b("\0".join([sys.prefix, sys.executable, *sys.path]).encode(), digest_size=8).hexdigest()
    return folder / f"registry-{env}.bin"


# -- the key -------------------------------------------------------------------


SETTLE_NS = 2_000_000_000  # a file unchanged this long before a load may be known by its stat next time


class _Digests:
    """The digest of each file the key covers: the bytes a load saw
    (``recorded``), the digest stored with an unchanged stat (``known``), or
    the file read now.  ``stats`` collects the stat entries worth storing:
    files last changed before ``settled`` (ns since the epoch)."""

    def __init__(self, recorded: dict[str, bytes] | None = None, known: dict[str, list[Any]] | None = None,
                 settled: int | None = None) -> None:
        self.recorded = recorded or {}
        self.known = known or {}
        self.settled = settled
        self.stats: dict[str, list[Any]] = {}

    def __call__(self, path: str) -> bytes:
        try:
            st = os.stat(path)
        except OSError:
            return b"missing"
        sig = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
        digest = self.recorded.get(path)
        if digest is None:
            entry = self.known.get(path)
            if isinstance(entry, list) and entry[:4] == sig and isinstance(entry[4], str):
                digest = bytes.fromhex(entry[4])
            else:
                try:
                    with open(path, "rb") as fh:
                        digest = _digest(fh.read())
                except OSError:
                    return b"missing"
        if self.settled is not None and max(st.st_mtime_ns, st.st_ctime_ns) < self.settled:
            self.stats[path] = [*sig, digest.hex()]
        return digest


def _hash_tree(h: Any, root: str, digests: _Digests) -> None:
    """Names and contents of every file under ``root`` (a file: itself)."""
    if os.path.isfile(root):
        _hash_file(h, root, digests)
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        h.update(b"D" + folder.encode() + b"\0")
        for name in sorted(files):
            if not name.endswith((".pyc", ".pyo")):
                _hash_file(h, os.path.join(folder, name), digests)


def _hash_file(h: Any, path: str, digests: _Digests) -> None:
    h.update(b"F" + path.encode() + b"\0" + digests(path))


def _distributions(h: Any, digests: _Digests) -> None:
    """Every installed distribution's folder name (name and version) on
    ``sys.path``, and for those declaring a ``medinst`` entry point its
    ``entry_points.txt`` and ``RECORD`` bytes: installing, removing, upgrading
    or reinstalling a plugin (editable or from a wheel) changes the key.  Read
    straight from the folders, which is far cheaper than importlib.metadata."""
    for entry in sys.path:
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file or a missing folder
            h.update(b"P" + entry.encode() + b"\0")
            continue
        h.update(b"P" + entry.encode() + b"\0" + "\0".join(names).encode())
        for name in names:
            folder = os.path.join(entry or ".", name)
            try:
                with open(os.path.join(folder, "entry_points.txt"), "rb") as fh:
                    declared = fh.read()
            except OSError:
                continue
            if b"[medinst]" not in declared:
                continue
            h.update(_digest(declared))
            _hash_file(h, os.path.join(folder, "RECORD"), digests)


def _core_roots() -> list[str]:
    return [str(Path(__file__).resolve().parent)]


def compute_key(watch: dict[str, list[str]], digests: _Digests | None = None) -> str:
    """The key of the current environment for a snapshot that watches
    ``watch`` (``roots``: plugin folders or files, ``files``, ``dirs``)."""
    from ._version import __version__

    if digests is None:
        digests = _Digests()
    h = hashlib.blake2b(digest_size=20)
    h.update(f"{sys.prefix}\0{__version__}\0{os.environ.get('MEDINST_LOAD_PLUGINS', '<unset>')}\0".encode())
    _distributions(h, digests)
    for name in manifest.SCHEMA_NAMES:
        h.update(_digest(manifest.schema_text(name)))
    for root in [*_core_roots(), *watch.get("roots", [])]:
        _hash_tree(h, root, digests)
    for path in watch.get("files", []):
        _hash_file(h, path, digests)
    for folder in watch.get("dirs", []):
        try:
            names = sorted(n for n in os.listdir(folder) if n.endswith(".json"))
        except OSError:
            names = ["<missing>"]
        h.update(b"L" + folder.encode() + b"\0" + "\0".join(names).encode())
    return h.hexdigest()


# -- reading and writing -------------------------------------------------------


def load() -> Registry | None:
    """The registry of the snapshot when its key matches the environment, else None."""
    path = snapshot_file()
    if path is None:
        return None
    try:
        data = path.read_bytes()
        if not data.startswith(MAGIC):
            return None
        head_end = data.index(b"\n", len(MAGIC))
        head = orjson.loads(data[len(MAGIC):head_end])
        if head.get("key") != compute_key(head["watch"], _Digests(known=head.get("stats"))):
            return None
        return SnapshotRegistry(orjson.loads(data[head_end + 1:]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # unreadable or not ours: ignored, rewritten
        return None


class SnapshotRegistry(Registry):
    """The plugins, tasks and suites of a stored snapshot; its components
    (readers, formatters, metrics) and plugin manager are those of the full
    registry, loaded on first use."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.plugins = {p["name"]: PluginInfo(**p) for p in body["plugins"]}
        self.tasks = {
            t["id"]: TaskSpec(
                id=t["id"], manifest=t["manifest"], plugin=t["plugin"],
                path=Path(t["path"]) if t["path"] else None, bundled=Path(t["bundled"]) if t["bundled"] else None,
            )
            for t in body["tasks"]
        }
        self.suites = body["suites"]
        self.problems = []
        self._refused = set()

    readers = property(lambda self: get_registry().readers)
    formatters = property(lambda self: get_registry().formatters)
    metrics = property(lambda self: get_registry().metrics)
    pm = property(lambda self: get_registry().pm)


def listing_registry() -> Registry:
    """A registry for listing plugins, tasks and suites (``medinst tasks``,
    ``medinst plugins``): the stored snapshot when it is still valid, else the
    full registry, then stored as the snapshot."""
    if plugins._REGISTRY is not None:
        return plugins._REGISTRY
    snapshot = load()
    if snapshot is not None:
        return snapshot
    began = time.time_ns()
    manifest.record_reads(True)
    try:
        reg = plugins.get_registry()
    finally:
        recorded, dirs = manifest.record_reads(False)
    save(reg, recorded, dirs, settled=began - SETTLE_NS)
    return reg


def _plugin_root(obj: Any) -> str | None:
    file = getattr(obj, "__file__", None)
    if not isinstance(file, str):
        return None
    path = Path(file).resolve()
    return str(path.parent if path.name == "__init__.py" else path)


def _listed(manifest: dict[str, Any]) -> dict[str, Any]:
    """A manifest without ``dataset.files`` (the checksum lists: most of the
    bytes, never listed; commands that need them load the full registry)."""
    dataset = manifest.get("dataset")
    if isinstance(dataset, dict) and "files" in dataset:
        return {**manifest, "dataset": {k: v for k, v in dataset.items() if k != "files"}}
    return manifest


def save(reg: Registry, recorded: dict[str, bytes], dirs: set[str], *, settled: int | None = None) -> None:
    """Store ``reg`` (loaded while recording) unless it had a load problem;
    files last changed before ``settled`` (ns) get a stat entry."""
    path = snapshot_file()
    if path is None or reg.problems:
        return
    roots: list[str] = []
    for info in reg.plugins.values():
        if info.builtin:
            continue
        root = _plugin_root(reg.pm.get_plugin(info.name))
        if root is None:  # a plugin object without a file: nothing to key it on
            return
        roots.append(root)
    roots = sorted(set(roots))
    inside = (*roots, *_core_roots())

    def covered(p: str) -> bool:
        return any(p == r or p.startswith(r + os.sep) for r in inside)

    watch = {
        "roots": roots,
        "files": sorted(p for p in recorded if not covered(p)),
        "dirs": sorted(d for d in dirs if not covered(d)),
    }
    digests = _Digests(recorded, settled=settled)
    head = {"watch": watch, "key": compute_key(watch, digests), "stats": digests.stats}
    body = {
        "plugins": [
            {"name": i.name, "version": i.version, "distribution": i.distribution, "builtin": i.builtin,
             "hooks": i.hooks, "tasks": i.tasks, "errors": i.errors}
            for i in reg.plugins.values()
        ],
        "tasks": [
            {"id": t.id, "manifest": _listed(t.manifest), "plugin": t.plugin,
             "path": str(t.path) if t.path else None, "bundled": str(t.bundled) if t.bundled else None}
            for t in reg.tasks.values()
        ],
        "suites": reg.suites,
    }
    try:
        payload = MAGIC + orjson.dumps(head) + b"\n" + orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):  # something a plugin registered is not JSON: no snapshot
        return
    from .io import atomic_write  # here, not at the top: a warm start never writes

    try:
        with atomic_write(path) as fh:
            fh.write(payload)
    except OSError:  # a read-only or full cache folder: load in full next time
        return
