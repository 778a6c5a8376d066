"""The build pipeline: native files -> reader -> records -> formatter -> samples -> files.

Everything streams: records and samples are generated one at a time and
written as they come, so memory does not grow with the input.  Each
``<out>/<task>/<split>.jsonl`` is written atomically and its bytes depend only
on the inputs (sample order is the reader's order, ids are derived from record
ids, the instruction is chosen from a hash of the sample id), so rebuilding
from the same files gives byte-identical output.  ``<out>/build.json`` records
versions, the source files (size, sha256), counts and timings.

Faults: the output folder is locked for the run (a second build into it stops
with a message); temporary files left by killed runs are removed first; the
``build.json`` entries of the splits about to be rebuilt are removed before
anything is written and the new ones written last, so ``build.json`` never
describes files a killed or failed rebuild left behind; worker processes
(``jobs > 1``) end when the building process dies.  A split whose reader gives
no record at all, a sample id made twice (a record id occurring twice) and a
NUL character in a sample are errors naming the split.

With ``jobs > 1`` task splits are built by worker processes, and a large
split's file may be cut into byte ranges (a split of many files into groups of
files) built by several workers and joined (see :mod:`medinst_core.shards`).
The module is long because it holds the streaming build of a split, the
scheduling of splits and ranges on the workers, and the build result.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import orjson

from .build_state import invalidate_build_info, registry_for_workers, worker_init, worker_registry, write_build_info
from .components import TaskSpec
from .datafiles import expected_match, missing_reason
from .diagnostics import Diagnostics
from .envvars import check_sizes
from .errors import MedinstError, MissingFilesError, UsageError
from .filefacts import FileFacts as _FileFacts
from .filefacts import refuse_blank
from .idset import NoCheck, SampleIdHashes, WatchOne
from .io import atomic_write, locked_folder, remove_stale_partials
from .layout import build_info_file, split_file
from .options import with_defaults
from .plugins import Registry, get_registry
from .samples import check_sample
from .selection import resolve_selection, select_counted
from .sources import FileIndex, SourceFiles, normalize_roles

VALIDATE_MODES = ("fast", "full", "none")
#: in "fast" mode, the first samples of each split also go through the JSON Schema
FAST_SCHEMA_SAMPLES = 200
#: bytes of sample lines written with one call
WRITE_BATCH = 1 << 18


def choose_instruction(instructions: Sequence[str], sid: str) -> str:
    """The instruction of a sample: fixed by its id, spread evenly over the list."""
    if len(instructions) == 1:
        return instructions[0]
    return instructions[zlib.crc32(sid.encode()) % len(instructions)]


@attrs.define
class SplitStats:
    task: str
    split: str
    records: int = 0
    samples: int = 0
    dropped_empty: int = 0
    elapsed: float = 0.0
    files: list[dict[str, Any]] = attrs.field(factory=list)
    warnings: dict[str, Any] = attrs.field(factory=dict)
    #: instead of ``files`` for a split of many files (see filefacts.py)
    files_summary: dict[str, Any] | None = None
    error: str | None = None
    #: the split's source files are absent (a reason naming the expected files)
    missing: str | None = None
    #: the warnings themselves (a byte range's, merged with the others')
    diagnostics: Diagnostics | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {
            "records": self.records,
            "samples": self.samples,
            "dropped_empty": self.dropped_empty,
            "elapsed_s": round(self.elapsed, 3),
            "files": self.files,
            "warnings": self.warnings,
        }
        if self.files_summary is not None:
            del data["files"]
            data["files_summary"] = self.files_summary
        if self.error:
            data["error"] = self.error
        if self.missing:
            data["missing"] = self.missing
        return data


def split_roles(task: TaskSpec, split: str, *, bundled: bool) -> dict[str, list[str]]:
    source = task.manifest["source"]
    table = source.get("bundled", source["splits"]) if bundled else source["splits"]
    if split not in table:
        table = source["splits"]
    return normalize_roles(table[split])


def resolve_split(task: TaskSpec, split: str, index: FileIndex, *, bundled: bool) -> SourceFiles:
    optional = task.manifest["source"].get("optional_roles", ())
    return index.resolve(split_roles(task, split, bundled=bundled), what=f"{task.id} {split}", optional_roles=optional)


def iter_samples_from(
    task: TaskSpec,
    split: str,
    files: SourceFiles,
    *,
    registry: Registry | None = None,
    diagnostics: Diagnostics | None = None,
    stats: SplitStats | None = None,
    limit: int | None = None,
    part: Any = None,
    seen: set[int] | None = None,
) -> Iterator[dict[str, Any]]:
    """The samples of one task split, streamed from already resolved files.
    ``part``: only one byte range of the split's file, for a reader that
    declares ``ranges``, or a group of its files (``files`` then holds the
    group; see :mod:`medinst_core.shards`); ``seen`` receives the hashes of
    the sample ids made."""
    registry = registry or get_registry()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    stats = stats if stats is not None else SplitStats(task.id, split)
    m = task.manifest
    reader_spec = registry.reader(m["source"]["reader"])
    reader = reader_spec.load()
    formatter_spec = registry.formatter(m["formatter"]["name"])
    formatter = formatter_spec.load()
    # the defaults come from the schemas the components registered
    reader_options = with_defaults(reader_spec.options_schema, m["source"].get("options"))
    formatter_options = with_defaults(formatter_spec.options_schema, m["formatter"].get("options"))
    policy = m.get("empty_output", "keep")
    emit = policy["emit"] if isinstance(policy, Mapping) else None
    instructions = task.instructions
    task_id = task.id
    if limit is not None and limit <= 0:
        return
    reader_name = m["source"]["reader"]
    source = _reading(reader, files, reader_options, diagnostics, part)
    guarded = _guarded(source, f"{task_id} {split}: reader {reader_name!r}", files)
    selection = resolve_selection(m["source"].get("select", {}).get(split), files)
    # records the reader gave (before any selection), and whether it ended
    read = [0, False]
    records = select_counted(guarded, selection, diagnostics, read) if selection else guarded
    # the ids' hashes: a set written out in chunks (bounded memory, see
    # idset.py), or the caller's own set (a byte range's, sent back)
    ids = SampleIdHashes(seen)
    hashes = ids.recent
    seen_add = hashes.add
    room = ids.chunk
    drop = policy == "drop"
    only = instructions[0] if len(instructions) == 1 else None
    prefix = f"{task_id}:{split}:"
    # at the end (and when --limit is reached) a hash written out twice is looked for
    with ids.checking(lambda twice: _report_twice(task, split, files, registry, limit, part, twice)):
        for record in records:
            stats.records += 1
            rid = getattr(record, "id", None)
            if rid.__class__ is not str:
                raise MedinstError(
                    f"{task_id} {split}: reader {reader_name!r} yielded {type(record).__name__!s:.40} "
                    f"(record {stats.records}), not a record with a string id"
                )
            try:
                drafts = list(formatter(record, formatter_options, diagnostics))
            except MedinstError:
                raise
            except Exception as exc:
                where = f" ({record.source})" if getattr(record, "source", "") else ""
                raise MedinstError(
                    f"{task_id} {split}: formatter {formatter_spec.name!r} failed on record {record.id!r}{where}: "
                    f"{type(exc).__name__}: {str(exc)[:500]}"
                ) from exc
            for draft in drafts:
                output = draft.output
                if not output:
                    if drop:
                        stats.dropped_empty += 1
                        continue
                    if emit is not None:
                        output = emit
                key = draft.key
                # sample_id(), inlined: one string per sample
                sid = prefix + rid if key is None else f"{prefix}{rid}:{key}"
                text = draft.input
                h = hash(sid)
                if (
                    h in hashes
                    or (text.__class__ is str and "\x00" in text)
                    or (output.__class__ is str and "\x00" in output)
                ):
                    _check_unique_and_clean(hashes, sid, text, output, record, f"{task_id} {split}")
                seen_add(h)
                room -= 1
                if not room:  # the set is full (never with the caller's own set)
                    ids.spill()
                    room = ids.chunk
                yield {
                    "id": sid,
                    "task": task_id,
                    "instruction": only if only is not None else choose_instruction(instructions, sid),
                    "input": text,
                    "output": output,
                }
                stats.samples += 1
                if limit is not None and stats.samples >= limit:
                    return
    if not selection:
        read[:] = [stats.records, True]
    if read[1] and read[0] == 0:
        names = ", ".join(str(p) for ps in files.roles.values() for p in ps)[:300]
        raise MedinstError(
            f"{task_id} {split}: no record read from the source files (empty or not in the expected format): {names}"
        )


def _report_twice(task: TaskSpec, split: str, files: SourceFiles, registry: Registry, limit: int | None, part: Any,
                  twice: int) -> None:
    """A sample id's hash was found in two of the chunks written out.  The split
    is read again to collect the ids with that hash: two different ids that
    only share a 64-bit hash are no duplicate, and the build goes on.  For an
    id made twice, it is read once more remembering only that hash, so the
    error is the one a set of every id gives (sample id, record, file and line)
    at the second sample."""
    with_hash = [
        sample["id"]
        for sample in iter_samples_from(task, split, files, registry=registry, limit=limit, part=part,
                                        seen=NoCheck())  # type: ignore[arg-type]
        if hash(sample["id"]) == twice
    ]
    if len(with_hash) > 1 and len(set(with_hash)) == len(with_hash):
        return
    for _ in iter_samples_from(task, split, files, registry=registry, limit=limit, part=part,
                               seen=WatchOne(twice)):  # type: ignore[arg-type]
        pass
    raise MedinstError(f"{task.id} {split}: a sample id is made twice (found at the end of the split, "
                       "and not again when the split was read a second time: the source changed while it was read?)")


def _reading(reader: Any, files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics, part: Any) -> Any:
    """The reader's records: of the whole split, of one byte range, or of a
    group of the split's files (``files``), read as a split (see shards.py)."""
    if part is None:
        return reader(files, options, diagnostics)
    if getattr(part, "whole_files", False):
        return part.watch(reader(files, options, diagnostics))
    return reader(files, options, diagnostics, part=part)


def _check_unique_and_clean(seen: set[int], sid: str, text: Any, output: Any, record: Any, what: str) -> None:
    """A sample id made twice (a record id occurring twice) or a NUL character
    in a sample is an error.  Ids are remembered by their 64-bit hash: an exact
    check would keep every id of a multi-million-sample split in memory."""
    h = hash(sid)
    where = f" ({record.source})" if getattr(record, "source", "") else ""
    if h in seen:
        raise MedinstError(
            f"{what}: sample id {sid!r} is made twice: the record id {record.id!r}{where} occurs "
            "more than once in the source (evaluate would refuse the duplicate ids)"
        )
    seen.add(h)
    if (text.__class__ is str and "\x00" in text) or (output.__class__ is str and "\x00" in output):
        raise MedinstError(
            f"{what}: record {record.id!r}{where} holds a NUL character (\\x00): the source file is probably binary or corrupt"
        )


def _guarded(records: Iterator[Any], what: str, files: SourceFiles) -> Iterator[Any]:
    """Re-raise a reader's unexpected exception (an undecodable byte, a bug) as
    a one-line error naming the reader and its files; MedinstErrors pass as they are."""
    try:
        yield from records
    except MedinstError:
        raise
    except UnicodeDecodeError as exc:
        names = ", ".join(str(p) for ps in files.roles.values() for p in ps)[:300]
        raise MedinstError(f"{what}: a file is not valid UTF-8 ({exc.reason} at byte {exc.start}); files: {names}") from exc
    except Exception as exc:
        names = ", ".join(str(p) for ps in files.roles.values() for p in ps)[:300]
        raise MedinstError(f"{what} failed: {type(exc).__name__}: {exc}; files: {names}") from exc


def _schema_validator():
    from .manifest import validator

    return validator("sample")


def build_split(
    task: TaskSpec,
    split: str,
    files: SourceFiles,
    out_dir: Path,
    *,
    registry: Registry | None = None,
    limit: int | None = None,
    validate: str = "fast",
    progress: Callable[[SplitStats], None] | None = None,
    hash_cache: dict[Path, dict[str, Any]] | None = None,
    part: Any = None,
    seen: set[int] | None = None,
    into: Path | None = None,
) -> SplitStats:
    """Build one task split into ``out_dir/<task>/<split>.jsonl`` atomically.
    With ``part`` (one byte range or group of files, see
    :mod:`medinst_core.shards`) the samples go to ``into`` and the sources are
    not hashed; ``seen`` receives the hashes of the sample ids."""
    if validate not in VALIDATE_MODES:
        raise UsageError(f"unknown validation mode {validate!r}; expected one of {', '.join(VALIDATE_MODES)}")
    stats = SplitStats(task.id, split)
    diagnostics = Diagnostics()
    started = time.perf_counter()
    target = split_file(out_dir, task.id, split) if into is None else into
    schema = _schema_validator() if validate != "none" else None
    checking = validate != "none"
    schema_every = validate == "full"
    # the sources' sha256 for build.json is computed alongside the build:
    # hashlib releases the GIL, so on a second core it costs no wall time
    hashing = _FileFacts(files, hash_cache, _expected_of(task)) if part is None else None
    dumps = orjson.dumps
    newline = orjson.OPT_APPEND_NEWLINE
    with atomic_write(target) as f:
        # lines are joined and written about WRITE_BATCH bytes at a time: one
        # write call per batch instead of one per sample
        batch: list[bytes] = []
        keep = batch.append
        pending = 0
        for sample in iter_samples_from(
            task, split, files, registry=registry, diagnostics=diagnostics, stats=stats, limit=limit, part=part, seen=seen
        ):
            if checking and (
                # the pipeline makes id, task and instruction itself; what
                # plugin code returned (input, output) is checked on every
                # sample, the whole sample on the first ones (or all: "full")
                sample["input"].__class__ is not str
                or sample["output"].__class__ is not str
                or schema_every
                or stats.samples <= FAST_SCHEMA_SAMPLES
            ):
                problem = check_sample(sample)
                if problem is None:
                    errors = list(schema.iter_errors(sample)) if schema is not None else []
                    problem = errors[0].message if errors else None
                if problem:
                    if hashing is not None:
                        hashing.join()
                    raise MedinstError(f"{task.id} {split}: sample {sample['id']!r} is invalid: {problem}")
            line = dumps(sample, option=newline)
            keep(line)
            pending += len(line)
            if pending >= WRITE_BATCH:
                f.write(b"".join(batch))
                batch.clear()
                pending = 0
            if progress is not None and stats.samples % 2000 == 0:
                progress(stats)
        if batch:
            f.write(b"".join(batch))
        if hashing is not None:
            hashing.join()
            refuse_blank(f"{task.id} {split}", files, hashing.blank, _may_be_blank(task, registry))
    stats.elapsed = time.perf_counter() - started
    if hashing is not None:
        stats.files, stats.files_summary = hashing.result(), hashing.summary
    stats.warnings = diagnostics.as_dict()
    if part is not None:
        stats.diagnostics = diagnostics
    return stats


def _expected_of(task: TaskSpec) -> Callable[[Mapping[str, Any]], str]:
    """Whether a source file's facts match the task manifest's ``dataset.files``."""
    return lambda facts: expected_match(task, facts)


def _may_be_blank(task: TaskSpec, registry: Registry | None) -> tuple[str, ...] | None:
    """Annotation files of the reader's ``suffixes`` (BRAT's ``.ann``...) may be
    empty; None: any file may (a reader marked ``reads_blank_files = True``)."""
    source = task.manifest["source"]
    spec = (registry or get_registry()).reader(source["reader"])
    if getattr(spec.load(), "reads_blank_files", False):
        return None
    options = with_defaults(spec.options_schema, source.get("options"))
    return tuple(x for key in ("suffixes", "agreement_suffixes") for x in (options.get(key) or ()) if isinstance(x, str))


@attrs.define
class BuildResult:
    out: Path
    splits: list[SplitStats]
    skipped: list[tuple[str, str, str]]  # (task, split, reason)
    failed: list[tuple[str, str, str]]  # (task, split, error)
    elapsed: float
    #: (task, split, reason) of splits whose source files are absent
    missing: list[tuple[str, str, str]] = attrs.field(factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def built(self) -> list[SplitStats]:
        return [s for s in self.splits if not s.error and not s.missing]

    def as_dict(self) -> dict[str, Any]:
        """The run's outcome as JSON: every split asked for, built, missing or failed."""
        return {
            "out": str(self.out),
            "elapsed_s": round(self.elapsed, 3),
            "counts": {"built": len(self.built), "missing": len(self.missing), "failed": len(self.failed),
                       "skipped": len(self.skipped), "samples": sum(s.samples for s in self.built)},
            "built": [{"task": s.task, "split": s.split, **s.as_dict()} for s in self.built],
            "empty": [{"task": s.task, "split": s.split} for s in self.built if s.samples == 0],
            "missing": [{"task": t, "split": sp, "reason": r} for t, sp, r in self.missing],
            "failed": [{"task": t, "split": sp, "error": e} for t, sp, e in self.failed],
            "skipped": [{"task": t, "split": sp, "reason": r} for t, sp, r in self.skipped],
        }


def _units(tasks: Sequence[TaskSpec], splits: Sequence[str] | None) -> list[tuple[TaskSpec, str]]:
    units = []
    for task in tasks:
        for split in task.splits:
            if splits and split not in splits:
                continue
            units.append((task, split))
    return units


def build(
    tasks: Iterable[TaskSpec],
    out: str | os.PathLike,
    *,
    data_dir: str | os.PathLike | None = None,
    bundled: bool = False,
    splits: Sequence[str] | None = None,
    limit: int | None = None,
    validate: str = "fast",
    jobs: int = 1,
    registry: Registry | None = None,
    progress: Callable[[SplitStats], None] | None = None,
    on_split_done: Callable[[SplitStats], None] | None = None,
    follow_symlinks: bool = False,
) -> BuildResult:
    """Build every split of ``tasks`` into ``out``.

    With ``bundled=True`` each task reads the sample files shipped in its
    plugin, and splits without bundled files are skipped.  With ``data_dir``,
    files are looked up anywhere below that folder and a split whose files are
    absent is reported as missing (with the expected names and the manifest's
    download hint), apart from failures; other tasks still build.  ``jobs > 1`` builds task splits in parallel worker processes.
    """
    registry = registry or get_registry()
    tasks = list(tasks)
    if bundled == (data_dir is not None):
        raise UsageError("give either a data directory or bundled=True")
    # a size set wrongly stops the build before any work, not each split that reads it
    check_sizes("MEDINST_MAX_LINE", "MEDINST_SHARD_BYTES", "MEDINST_SHARD_FILE_BYTES")
    out = Path(out)
    with locked_folder(out):
        return _build_locked(tasks, out, data_dir=data_dir, bundled=bundled, splits=splits, limit=limit,
                             validate=validate, jobs=jobs, registry=registry, progress=progress,
                             on_split_done=on_split_done, follow_symlinks=follow_symlinks)


def _build_locked(tasks, out: Path, *, data_dir, bundled, splits, limit, validate, jobs, registry, progress,
                  on_split_done, follow_symlinks) -> BuildResult:
    remove_stale_partials(out)
    started = time.perf_counter()
    result = BuildResult(out=out, splits=[], skipped=[], failed=[], elapsed=0.0)
    plan: list[tuple[TaskSpec, str, SourceFiles]] = []
    index = FileIndex(data_dir, follow_symlinks=follow_symlinks) if data_dir is not None else None
    idx: FileIndex | None = None
    for task, split in _units(tasks, splits):
        if bundled:
            if task.bundled is None:
                result.skipped.append((task.id, split, "the plugin ships no sample files"))
                continue
            idx = FileIndex(task.bundled)
        else:
            assert index is not None, "a build from files needs data_dir"
            idx = index
        try:
            files = resolve_split(task, split, idx, bundled=bundled)
        except MissingFilesError as exc:
            if bundled:
                result.skipped.append((task.id, split, "no bundled files for this split"))
            else:
                result.missing.append((task.id, split, missing_reason(task, split, exc)))
            continue
        plan.append((task, split, files))
    # the listing of the data folder is not needed any more: its memory goes
    # to the builds (it grows with the number of files, as a BRAT corpus's)
    index = idx = None
    data_label = "bundled" if bundled or data_dir is None else str(Path(data_dir).resolve())
    # the entries of the splits about to be rebuilt go first: a run killed
    # from here on leaves a build.json that describes no file it touched
    invalidate_build_info(build_info_file(out), {(task.id, split) for task, split, _ in plan})

    def record(stats: SplitStats) -> None:
        if stats.error:
            # the file of an earlier build no longer matches what was asked for
            with contextlib.suppress(OSError):
                split_file(out, stats.task, stats.split).unlink()
        result.splits.append(stats)
        if stats.missing:
            result.missing.append((stats.task, stats.split, stats.missing))
        elif stats.error:
            result.failed.append((stats.task, stats.split, stats.error))
        if on_split_done is not None:
            on_split_done(stats)

    # a large split is cut into byte ranges or groups of files built by several workers (see shards.py)
    cut = {} if jobs < 2 or limit is not None else _plan_cuts(plan, registry, jobs)
    if jobs > 1 and (len(plan) > 1 or cut):
        _build_in_pool(plan, cut, out, limit, validate, jobs, record, registry)
    else:
        hash_cache: dict[Path, dict[str, Any]] = {}
        for task, split, files in plan:
            record(_build_unit(task, split, files, out, registry, limit, validate, progress, hash_cache))
    result.elapsed = time.perf_counter() - started
    write_build_info(out, result, registry, data_dir=data_label)
    return result


def _build_in_pool(plan, cut, out: Path, limit, validate, jobs: int, record, registry) -> None:
    from concurrent.futures import ProcessPoolExecutor

    # largest inputs first, so that a big split does not start last and
    # leave the other workers idle; results are recorded in plan order
    work: list[tuple[int, tuple[int, int], Callable[..., Any], tuple]] = []
    for i, (task, split, files) in enumerate(plan):
        if i in cut:
            work += [(size, (i, k), _build_shard_in_worker,
                      (task.id, split, cut[i].files_of(files, k), str(out), validate, cut[i], k))
                     for k, size in enumerate(cut[i].sizes)]
        else:
            work.append((_input_bytes(files), (i, -1), _build_unit_in_worker,
                         (task.id, split, files, str(out), limit, validate)))
    work.sort(key=lambda w: -w[0])
    if cut:
        _load_for_workers([plan[i][0] for i in cut], registry, validate)
    own = registry_for_workers(registry)
    with ProcessPoolExecutor(max_workers=jobs, initializer=worker_init, initargs=(os.getpid(), own)) as pool:
        futures = {key: pool.submit(fn, *args) for _, key, fn, args in work}
        hashing = {i: (_FileFacts(plan[i][2], None, _expected_of(plan[i][0])), time.perf_counter()) for i in cut}
        for i, (task, split, files) in enumerate(plan):
            if i in cut:
                shard_futures = [futures[(i, k)] for k in range(len(cut[i].sizes))]
                stats = _joined(pool, shard_futures, task, split, files, out, validate, registry, *hashing[i],
                                what=cut[i].what)
            else:
                stats = _result(futures[(i, -1)], task.id, split)
            record(stats)


def _load_for_workers(tasks: list[TaskSpec], registry: Registry, validate: str) -> None:
    """Import the formatters of the split(s) being cut and the sample schema's
    validator once, before the workers are forked, instead of once in each of
    them (about 0.1 s each).  A failure is left for the workers to report."""
    with contextlib.suppress(Exception):
        for task in tasks:
            registry.formatter(task.manifest["formatter"]["name"]).load()
        if validate != "none":
            _schema_validator()


def _plan_cuts(plan, registry, jobs) -> dict[int, Any]:
    from .shards import plan_shards

    cut = {}
    for i, (task, split, files) in enumerate(plan):
        planned = plan_shards(task, split, files, registry, jobs)
        if planned is not None:
            cut[i] = planned
    return cut


def _result(future, task_id: str, split: str) -> SplitStats:
    try:
        return future.result()
    except Exception as exc:  # a worker died, or a result could not be sent back
        return SplitStats(task_id, split, error=f"the worker process failed: {type(exc).__name__}: {str(exc)[:300]}")


def _joined(pool, shard_futures, task, split, files, out, validate, registry, hashing, started, what="ranges") -> SplitStats:
    """A split built in byte ranges or groups of files: their files joined, or
    (when they do not join) the split built again by one worker, which gives
    the whole build's output or error."""
    from .shards import merge_shards

    results = []
    for future in shard_futures:
        try:
            results.append(future.result())
        except Exception as exc:  # a worker died, or a result could not be sent back
            results.append({"error": f"{type(exc).__name__}: {exc}"})
    hashing.join()
    try:
        refuse_blank(f"{task.id} {split}", files, hashing.blank, _may_be_blank(task, registry))
    except MedinstError as exc:
        merge_shards(out, task.id, split, [{"error": "blank"}, *results])  # removes the ranges' files
        return SplitStats(task.id, split, error=str(exc))
    try:
        merged = merge_shards(out, task.id, split, results, what)
    except OSError:
        merged = None  # the build by one worker reports it
    if merged is None:
        hashing.join()
        return _result(pool.submit(_build_unit_in_worker, task.id, split, files, str(out), None, validate), task.id, split)
    stats = SplitStats(task.id, split, records=merged["records"], samples=merged["samples"],
                       dropped_empty=merged["dropped_empty"], warnings=merged["warnings"])
    try:
        stats.files, stats.files_summary = hashing.result(), hashing.summary
    except MedinstError as exc:
        with contextlib.suppress(OSError):
            split_file(out, task.id, split).unlink()
        return SplitStats(task.id, split, error=str(exc))
    stats.elapsed = time.perf_counter() - started
    return stats


def _input_bytes(files: SourceFiles) -> int:
    return sum(p.stat().st_size for paths in files.roles.values() for p in paths)


def _build_unit(task, split, files, out, registry, limit, validate, progress=None, hash_cache=None) -> SplitStats:
    try:
        return build_split(
            task, split, files, out, registry=registry, limit=limit, validate=validate,
            progress=progress, hash_cache=hash_cache,
        )
    except MissingFilesError as exc:
        return SplitStats(task.id, split, missing=missing_reason(task, split, exc))
    except MedinstError as exc:
        return SplitStats(task.id, split, error=str(exc))
    except OSError as exc:  # a full disk, a file-size limit, permissions
        from .errors import describe_os_error

        return SplitStats(task.id, split, error=describe_os_error(exc))



def _build_shard_in_worker(*args) -> dict[str, Any]:
    from .shards import build_shard

    return build_shard(build_split, *args)


def _build_unit_in_worker(task_id, split, files, out, limit, validate) -> SplitStats:
    registry = worker_registry() or get_registry()
    return _build_unit(registry.task(task_id), split, files, Path(out), registry, limit, validate)
