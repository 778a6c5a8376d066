"""One large split built by several processes (``medinst build --jobs N``).

A split is cut when ``jobs > 1``, its source is one file of at least
:func:`shard_bytes` bytes (``MEDINST_SHARD_BYTES``, 64 MiB by default), it has
no ``select`` and no ``--limit``, and its reader declares ``ranges`` (see
:mod:`medinst_core.readers.ranges`).  The file is cut into ``jobs`` byte
ranges at probable record boundaries; worker ``k`` counts the records and
lines of the ranges before its own (cheap: bytes, or the reader's own parse
where bytes are not conclusive), then builds its range with those counters,
so sample ids, line numbers and warnings are those of a whole reading.  Its
samples go to a temporary file ``.<split>.jsonl.shard<k>.partial-<pid>``.

The building process then checks that the pieces join: the counters each
range reached are the next range's starting counters (a cut inside a quoted
CSV field shows up here or as an error of the range before), no sample id is
made in two ranges, and no range failed.  If so the temporary files are joined
in order into the split's file (renamed into place at the end: a killed build
leaves no partial output, and its temporary files are removed by the next
build); the warnings are merged in order (counts added, the first examples
kept).  If not, the split is built again by one process, which gives exactly
the error (file and line) or the output a whole build gives.

A split of many files (a folder of documents) whose reader declares
``file_groups`` (see :mod:`medinst_core.readers.file_groups`) is cut instead
into ``jobs`` contiguous groups of its files, from the reader's threshold
(:func:`.file_groups.group_bytes`): worker ``k`` reads its group as a whole
split and also reports the record ids it read; the groups join when none
failed and no record id or sample id is made in two of them, and are then
joined as above.
"""

from __future__ import annotations

import contextlib
import logging
import os
from array import array
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .components import TaskSpec
from .diagnostics import Diagnostics
from .envvars import byte_size
from .errors import MedinstError
from .layout import split_file
from .options import with_defaults
from .plugins import Registry, get_registry
from .readers.file_groups import group_bytes, groups_of
from .readers.ranges import Part
from .sources import SourceFiles

log = logging.getLogger("medinst.shards")

#: default size from which one file is built by several processes
DEFAULT_SHARD_BYTES = 64 << 20
#: a value to compare: workers whose str hashes differ cannot share id hashes
_PROBE = "medinst shard probe"


def shard_bytes() -> int:
    """The size from which a split's file is cut (``MEDINST_SHARD_BYTES``)."""
    return byte_size("MEDINST_SHARD_BYTES", DEFAULT_SHARD_BYTES)


def _reader_and_options(task: TaskSpec, registry: Registry) -> tuple[Any, Mapping[str, Any]]:
    spec = registry.reader(task.manifest["source"]["reader"])
    return spec.load(), with_defaults(spec.options_schema, task.manifest["source"].get("options"))


@attrs.frozen
class ShardPlan:
    """How one split is cut: byte ranges ``bounds`` of the file ``path``, or
    (``role`` set) slices ``bounds`` of the split's files of ``role``."""

    path: Path | None
    bounds: list[tuple[int, int]]
    sizes: list[int]
    role: str = ""

    @property
    def what(self) -> str:
        return "groups of files" if self.role else "ranges"

    def files_of(self, files: SourceFiles, k: int) -> SourceFiles:
        """The files piece ``k`` reads: its group, or the split's files (one is cut)."""
        if not self.role:
            return files
        start, end = self.bounds[k]
        return SourceFiles(files.root, {**files.roles, self.role: files.all(self.role)[start:end]})


def plan_shards(
    task: TaskSpec, split: str, files: SourceFiles, registry: Registry, jobs: int, threshold: int | None = None
) -> ShardPlan | None:
    """How to cut ``split`` (byte ranges of its file or groups of its files), or ``None`` (one process)."""
    if jobs < 2 or (task.manifest["source"].get("select") or {}).get(split) is not None:
        return None
    try:
        reader, options = _reader_and_options(task, registry)
        if getattr(reader, "ranges", None) is not None:
            return _plan_ranges(reader, options, files, jobs, shard_bytes() if threshold is None else threshold)
        rule = groups_of(reader)
        if rule is None:
            return None
        try:
            groups = rule.groups(files, options, jobs, group_bytes(rule.min_bytes) if threshold is None else threshold)
        except Exception as exc:  # noqa: BLE001 - a plugin's rule failing: the split is built whole
            log.info("%s %s: the reader's file groups failed (%s: %s): the split is built whole",
                     task.id, split, type(exc).__name__, str(exc)[:200])
            return None
        if not groups:
            return None
        return ShardPlan(None, [(a, b) for a, b, _ in groups], [size for _, _, size in groups], rule.role)
    except (OSError, MedinstError):
        return None  # the whole build reports it


def _plan_ranges(reader: Any, options: Mapping[str, Any], files: SourceFiles, jobs: int, threshold: int) -> ShardPlan | None:
    if sum(p.stat().st_size for ps in files.roles.values() for p in ps) < threshold:
        return None
    planned = reader.ranges.cuts(files, options, jobs)
    if not planned or not planned[1]:
        return None
    path, cuts = planned
    bounds = [0, *cuts, path.stat().st_size]
    ranges = [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1)]
    return ShardPlan(path, ranges, [end - start for start, end in ranges])


def shard_file(out: Path, task_id: str, split: str, k: int) -> Path:
    target = split_file(out, task_id, split)
    return target.with_name(f".{target.name}.shard{k}.partial-{os.getpid()}")


class FileGroup:
    """One group of a split's files, read whole (see :mod:`.readers.file_groups`):
    :meth:`watch` keeps the hashes of the record ids read."""

    whole_files = True

    def __init__(self) -> None:
        self.record_ids: set[int] = set()

    def watch(self, records: Any) -> Any:
        add = self.record_ids.add
        for record in records:
            rid = getattr(record, "id", None)
            if rid.__class__ is str:
                add(hash(rid))
            yield record


def build_shard(
    build_split: Callable[..., Any], task_id: str, split: str, files: SourceFiles, out: str, validate: str,
    plan: ShardPlan, k: int,
) -> dict[str, Any]:
    """Build piece ``k`` of ``plan`` (its files: ``plan.files_of(files, k)``)
    with ``build_split`` (the pipeline's, in a worker); the outcome as a dict."""
    into: Path | None = None
    try:
        from .build_state import worker_registry

        registry = worker_registry() or get_registry()
        task = registry.task(task_id)
        into = shard_file(Path(out), task_id, split, k)
        seen: set[int] = set()
        records = b""
        if plan.role:  # ``files`` holds the group (ShardPlan.files_of)
            group = FileGroup()
            stats = build_split(task, split, files, Path(out), registry=registry, validate=validate, part=group,
                                seen=seen, into=into)
            base: dict[str, int] = {}
            reached: dict[str, int] | None = {}
            records = array("q", group.record_ids).tobytes()
        else:
            assert plan.path is not None
            reader, options = _reader_and_options(task, registry)
            base = reader.ranges.initial(options)
            for start, end in plan.bounds[:k]:
                base = reader.ranges.count(plan.path, options, start, end, base)
            part = Part(plan.path, plan.bounds[k][0], plan.bounds[k][1], dict(base))
            stats = build_split(task, split, files, Path(out), registry=registry, validate=validate, part=part,
                                seen=seen, into=into)
            reached = part.reached
        return {"file": str(into), "base": base, "reached": reached, "records": stats.records,
                "samples": stats.samples, "dropped_empty": stats.dropped_empty, "diagnostics": stats.diagnostics,
                "hashes": array("q", seen).tobytes(), "record_hashes": records, "probe": hash(_PROBE)}
    except Exception as exc:  # noqa: BLE001 - any failure: the split is built whole
        if into is not None:
            with contextlib.suppress(OSError):
                into.unlink()
        return {"error": f"{type(exc).__name__}: {str(exc)[:300]}"}


def _joinable(results: list[dict[str, Any]], piece: str = "range") -> bool:
    """The pieces ran, the ranges' counters join, and no sample id (nor record
    id, for groups of files) is made in two of them."""
    failed = [(k, r["error"]) for k, r in enumerate(results) if "error" in r]
    if failed:
        log.info("%s %d failed (%s): the split is built whole", piece, *failed[0])
        return False
    if len({r["probe"] for r in results}) != 1:
        log.info("the workers hash strings differently: the split is built whole")
        return False
    for k, (before, after) in enumerate(zip(results, results[1:])):
        reached = before["reached"]
        if reached is None or any(after["base"].get(key) != value for key, value in reached.items()):
            log.info("range %d ends at %s, range %d starts at %s: the split is built whole", k, reached, k + 1, after["base"])
            return False
    for key, what in (("record_hashes", "record id"), ("hashes", "sample id")):
        known: set[int] = set()
        for i, r in enumerate(results):
            hashes = array("q")
            hashes.frombytes(r.get(key, b""))
            if not known.isdisjoint(hashes):
                log.info("a %s of %s %d is also made before it: the split is built whole", what, piece, i)
                return False
            if i < len(results) - 1:
                known.update(hashes)
    return True


def _concatenate(parts: list[Path], target: Path) -> None:
    """Append ``parts[1:]`` to ``parts[0]``, sync it and rename it to ``target``."""
    with open(parts[0], "ab") as out:
        for piece in parts[1:]:
            with open(piece, "rb") as f:
                size = os.fstat(f.fileno()).st_size
                copied = 0
                while copied < size:
                    try:
                        n = os.copy_file_range(f.fileno(), out.fileno(), size - copied)
                    except (AttributeError, OSError):
                        n = 0
                    if n == 0:
                        out.flush()
                        f.seek(copied)
                        while chunk := f.read(1 << 20):
                            out.write(chunk)
                        break
                    copied += n
        out.flush()
        os.fsync(out.fileno())
    os.replace(parts[0], target)


def merge_shards(
    out: Path, task_id: str, split: str, results: list[dict[str, Any]], what: str = "ranges"
) -> dict[str, Any] | None:
    """The split's counts and warnings after joining its ranges' files into
    its file, or ``None`` when they do not join (the temporary files are
    removed either way)."""
    paths = [Path(r["file"]) for r in results if "file" in r]
    try:
        if not _joinable(results, "group" if what != "ranges" else "range"):
            return None
        _concatenate(paths, split_file(out, task_id, split))
    finally:
        for p in paths:
            with contextlib.suppress(OSError):
                p.unlink()
    log.info("%s %s: built in %d %s", task_id, split, len(results), what)
    totals = {"records": 0, "samples": 0, "dropped_empty": 0}
    diagnostics = Diagnostics()
    for r in results:
        for key in totals:
            totals[key] += r[key]
        d = r["diagnostics"]
        diagnostics.counts.update(d.counts)
        for code, examples in d.examples.items():
            kept = diagnostics.examples.setdefault(code, [])
            kept.extend(examples[: max(0, diagnostics.keep - len(kept))])
    return {**totals, "warnings": diagnostics.as_dict()}
