"""A snapshot of the loaded task registry, so that ``medinst tasks`` and
``medinst plugins`` answer without importing a plugin, reading every manifest
with its file checksum lists, merging bases or importing jsonschema.

What the snapshot holds: every plugin's facts (name, version, distribution,
hooks, tasks), every task (the parts of its merged, validated manifest that
a listing reads, :data:`LISTED`; its plugin, manifest path, bundled samples
folder) and the suites.  Readers, formatters and metrics are not in it:
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
same-size edit within one timestamp tick still changes the key.

The quick check spares computing the key at all: when every file and folder the
key reads (files hashed, folders listed, ``sys.path`` entries, each
distribution's ``entry_points.txt``, also those found missing) had not changed
for two seconds, the snapshot stores their four values; a run that finds every
one of them unchanged (a folder's times move whenever an entry is added,
removed or renamed in it) would hash exactly the same bytes, so it uses the
snapshot after about a thousand ``stat`` calls and nothing else.  Any
difference, and a snapshot written while files were still changing, falls back
to computing the key as above; a run that finds the key unchanged and the files
settled stores the quick check for the next run.

A registry with any load problem (an import error, a failing hook, an invalid
manifest, a name conflict) is never stored: such problems may depend on
anything in the environment (a missing third-party module, a variable a plugin
reads), which no cheap key covers, so a broken install is loaded and reported
in full every time, exactly as without the snapshot.  Plugins whose registrations depend on something other than their
own files (the time, the network, environment variables) are not supported by
the snapshot; ``MEDINST_NO_CACHE=1`` turns it off.

The file is ``registry-<environment digest>.bin`` in the cache folder of
:mod:`.schema_cache`: a magic line, a JSON line with the quick check (or
``null``), a JSON line with what to hash and the key, then the JSON body;
written through a temporary file renamed over the old one (concurrent
writers: the last one wins, never a partial file); a file that cannot be read
or parsed is ignored and replaced.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

import orjson

from . import plugins, schema_cache
from .components import PluginInfo, TaskSpec
from .plugins import Registry, get_registry
from .schema_cache import blake2b

MAGIC = b"medinst registry snapshot v2\n"
SKIP_DIRS = frozenset({"__pycache__", "samples", "tests", ".git", ".mypy_cache", ".ruff_cache", ".pytest_cache"})

def _digest(data: bytes) -> bytes:
    """As :func:`medinst_core.manifest.record_reads` digests the files it records."""
    return blake2b(data, digest_size=16).digest()


def snapshot_file() -> str | None:
    folder = schema_cache.cache_folder()
    if folder is None:
        return None
    # one file per environment and search path (``python -c`` and the
    # ``medinst`` script differ in sys.path[0]), so they do not replace each other
    env = blake2b("\0".join([sys.prefix, sys.executable, *sys.path]).encode(), digest_size=8).hexdigest()
    return os.path.join(folder, f"registry-{env}.bin")


# -- the key -------------------------------------------------------------------


SETTLE_NS = 2_000_000_000  # a file unchanged this long before a load may be known by its stat next time


def _signature(path: str) -> list[int] | None:
    """What a change of a file or folder always changes: size, modification and
    change times, inode (``None``: missing).  A folder's times move when an
    entry is added, removed or renamed in it."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


class _Digests:
    """The digest of each file the key covers: the bytes a load saw
    (``recorded``), the digest stored with an unchanged stat (``known``), or
    the file read now.  ``stats`` collects the stat entries worth storing:
    files last changed before ``settled`` (ns since the epoch).  ``seen``: the
    signature of every file and folder the key read (files hashed, folders
    listed, ``None`` for a missing one), in order; ``racy``: one of them
    changed after ``settled`` (or no ``settled`` was given)."""

    def __init__(self, recorded: dict[str, bytes] | None = None, known: dict[str, list[Any]] | None = None,
                 settled: int | None = None) -> None:
        self.recorded = recorded or {}
        self.known = known or {}
        self.settled = settled
        self.stats: dict[str, list[Any]] = {}
        self.seen: dict[str, list[int] | None] = {}
        self.racy = settled is None

    def stat(self, path: str) -> list[int] | None:
        """The signature of ``path``, noted in :attr:`seen`."""
        sig = self.seen[path] = _signature(path)
        if sig is not None and (self.settled is None or max(sig[1], sig[2]) >= self.settled):
            self.racy = True
        return sig

    def __call__(self, path: str) -> bytes:
        sig = self.stat(path)
        if sig is None:
            return b"missing"
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
        if self.settled is not None and max(sig[1], sig[2]) < self.settled:
            self.stats[path] = [*sig, digest.hex()]
        return digest

    def check(self) -> dict[str, Any] | None:
        """The quick check stored with a snapshot: every path the key read with
        its signature, when none of them changed after ``settled`` (else None:
        the next run computes the key)."""
        if self.racy:
            return None
        return {"env": _environment(), "paths": list(self.seen), "sigs": list(self.seen.values())}


def _environment() -> list[str]:
    from ._version import __version__

    return [sys.prefix, __version__, os.environ.get("MEDINST_LOAD_PLUGINS", "<unset>")]


def _unchanged(check: Any) -> bool:
    """Whether every file and folder of a stored quick check still has its
    signature (and the environment is the same): then every byte the key would
    hash is as it was, so the key is too."""
    if not isinstance(check, dict) or check.get("env") != _environment():
        return False
    paths, sigs = check.get("paths"), check.get("sigs")
    if not isinstance(paths, list) or not isinstance(sigs, list) or len(paths) != len(sigs):
        return False
    return all(_signature(path) == sig for path, sig in zip(paths, sigs))


def _hash_tree(h: Any, root: str, digests: _Digests) -> None:
    """Names and contents of every file under ``root`` (a file: itself)."""
    if digests.stat(root) is not None and os.path.isfile(root):
        _hash_file(h, root, digests)
        return
    for folder, dirs, files in os.walk(root):
        digests.stat(folder)
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
        digests.stat(entry or ".")  # relative ("": the current folder) as on sys.path, never made absolute
        try:
            names = sorted(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:  # a zip file or a missing folder
            h.update(b"P" + entry.encode() + b"\0")
            continue
        h.update(b"P" + entry.encode() + b"\0" + "\0".join(names).encode())
        for name in names:
            folder = os.path.join(entry or ".", name)
            points = os.path.join(folder, "entry_points.txt")
            if digests.stat(points) is None:
                continue
            try:
                with open(points, "rb") as fh:
                    declared = fh.read()
            except OSError:
                continue
            if b"[medinst]" not in declared:
                continue
            h.update(_digest(declared))
            _hash_file(h, os.path.join(folder, "RECORD"), digests)


def _schema_file(name: str) -> str:
    """The file :func:`medinst_core.manifest.schema_text` reads, found as it
    finds it (the package's ``schema`` folder of a wheel, else the checkout's)
    but without importing importlib.resources."""
    core = os.path.dirname(os.path.abspath(__file__))
    filename = f"{name}.schema.json"
    shipped = os.path.join(core, "schema", filename)
    return shipped if os.path.isfile(shipped) else os.path.join(os.path.dirname(os.path.realpath(core)), "schema", filename)


def _core_roots() -> list[str]:
    return [os.path.dirname(os.path.realpath(__file__))]


def compute_key(watch: dict[str, list[str]], digests: _Digests | None = None) -> str:
    """The key of the current environment for a snapshot that watches
    ``watch`` (``roots``: plugin folders or files, ``files``, ``dirs``)."""
    from . import manifest  # not at the top: a warm start never computes the key
    from ._version import __version__

    if digests is None:
        digests = _Digests()
    h = blake2b(digest_size=20)
    h.update(f"{sys.prefix}\0{__version__}\0{os.environ.get('MEDINST_LOAD_PLUGINS', '<unset>')}\0".encode())
    _distributions(h, digests)
    for name in manifest.SCHEMA_NAMES:
        _hash_file(h, _schema_file(name), digests)
    for root in [*_core_roots(), *watch.get("roots", [])]:
        _hash_tree(h, root, digests)
    for path in watch.get("files", []):
        _hash_file(h, path, digests)
    for folder in watch.get("dirs", []):
        digests.stat(folder)
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
        with open(path, "rb") as fh:
            data = fh.read()
        if not data.startswith(MAGIC):
            return None
        check_end = data.index(b"\n", len(MAGIC))
        head_end = data.index(b"\n", check_end + 1)
        if _unchanged(orjson.loads(data[len(MAGIC):check_end])):
            return SnapshotRegistry(orjson.loads(data[head_end + 1:]))
        head = orjson.loads(data[check_end + 1:head_end])
        digests = _Digests(known=head.get("stats"), settled=time.time_ns() - SETTLE_NS)
        if head.get("key") != compute_key(head["watch"], digests):
            return None
        reg = SnapshotRegistry(orjson.loads(data[head_end + 1:]))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):  # unreadable or not ours: ignored, rewritten
        return None
    check = digests.check()
    if check is not None:  # the files settled since the snapshot was written: the next run only compares stats
        _write(path, check, {**head, "stats": digests.stats}, data[head_end + 1:])
    return reg


class SnapshotRegistry(Registry):
    """The plugins, tasks and suites of a stored snapshot; its components
    (readers, formatters, metrics) and plugin manager are those of the full
    registry, loaded on first use.  Its tasks' manifests hold only what a
    listing reads (:data:`LISTED`)."""

    def __init__(self, body: dict[str, Any]) -> None:
        self.plugins = {p["name"]: PluginInfo(**p) for p in body["plugins"]}
        self.tasks = {
            t["id"]: TaskSpec(
                id=t["id"], manifest=t["manifest"], plugin=t["plugin"],
                path=t["path"] or None, bundled=t["bundled"] or None,  # made Path objects when first read
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
    from . import manifest

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
    path = os.path.realpath(file)
    return os.path.dirname(path) if os.path.basename(path) == "__init__.py" else path


#: what listings read of a manifest (:meth:`TaskSpec.summary`, :meth:`Registry.select_tasks`,
#: the licence filters): top-level keys, with the keys kept of the objects among them
LISTED: dict[str, tuple[str, ...] | None] = {
    "id": None, "name": None, "category": None, "version": None, "metrics": None, "primary_metric": None,
    "dataset": ("name", "license", "access", "commercial_use"), "medinst": ("config", "counts"), "source": ("splits",),
}


def _listed(manifest: dict[str, Any]) -> dict[str, Any]:
    """The parts of a manifest a listing reads (:data:`LISTED`): the checksum
    lists, descriptions, instructions and citations, most of the bytes, are
    left out, so a warm start parses under a third as much; commands that need a
    whole manifest (``tasks show``, ``build``...) load the full registry."""
    out: dict[str, Any] = {}
    for key, keep in LISTED.items():
        if key in manifest:
            value = manifest[key]
            out[key] = {k: value[k] for k in keep if k in value} if keep is not None and isinstance(value, dict) else value
    return out


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
    check = digests.check()
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
        payload = orjson.dumps(body)
    except (TypeError, orjson.JSONEncodeError):  # something a plugin registered is not JSON: no snapshot
        return
    _write(path, check, head, payload)


def _write(path: str, check: dict[str, Any] | None, head: dict[str, Any], body: bytes) -> None:
    """The snapshot file: magic line, quick check, head, body."""
    from .io import atomic_write  # here, not at the top: a warm start never writes

    try:
        with atomic_write(path) as fh:
            fh.write(MAGIC + orjson.dumps(check) + b"\n" + orjson.dumps(head) + b"\n" + body)
    except OSError:  # a read-only or full cache folder: load in full next time
        return
