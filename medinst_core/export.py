"""Data a trainer can load (``medinst export``).

Reads a build folder (``<dir>/<task>/<split>.jsonl`` + ``build.json``), a suite
folder (``<dir>/zero-shot/<task>.jsonl``, ``<dir>/<k>-shot/<task>.jsonl`` +
``suite.json``) or one mixture file (``medinst mix``'s JSONL, exported as the
``train`` split), and writes it as:

``chat``
    ``<out>/<split>.jsonl``: one ``{"id", "task", "messages"}`` per sample, the
    messages an optional system turn, then the history pairs as earlier
    user/assistant turns, then ``instruction + "\\n" + input`` as the last user
    turn and ``output`` as the last assistant turn.
``alpaca``
    ``<out>/<name>_<split>.json`` (a JSON array of ``{"instruction", "input",
    "output", "system", "history", "id", "task"}``) and ``<out>/dataset_info.json``
    with the entries LLaMA-Factory needs to load them by name.
``parquet``
    ``<out>/<task>/<split>.parquet`` (needs pyarrow: ``medinst-core[parquet]``).
``hf``
    a Hugging Face dataset folder: ``<out>/data/<task>/<split>.parquet`` and a
    dataset card ``<out>/README.md`` whose YAML ``configs`` make
    ``datasets.load_dataset(out)`` load every task and split in one call (config
    ``all``, a ``task`` column tells them apart) and ``load_dataset(out, TASK)``
    one task; licences, citations and sample counts are in the card.

(``lm-eval`` task folders are written by :mod:`medinst_core.lmeval` through
:func:`export`'s ``writer``.)  The module is long because the four formats and
the dataset card share one reading and filtering of the input.

Columns are the same in every file, whatever the input: ``id``, ``task``,
``instruction``, ``input``, ``output`` and ``history`` (a list of
``[user, assistant]`` pairs; an empty list when a sample has none), so files of
tasks with and without history load together.  Samples are written in the
order of the input files; exports of the same input are byte-identical.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs
import orjson

from .errors import MissingExtraError, MissingFilesError, UsageError
from .io import atomic_write, read_jsonl, write_json
from .layout import BUILD_INFO, ZERO_SHOT

FORMATS = ("chat", "alpaca", "parquet", "hf")
SPLIT_ORDER = ("train", "dev", "test")
COLUMNS = ("id", "task", "instruction", "input", "output", "history")


@attrs.define
class Unit:
    """One input file: the samples of one task (config) in one split."""

    task: str
    split: str
    path: Path


@attrs.define
class Source:
    kind: str  # "build" | "suite" | "mixture"
    path: Path
    units: list[Unit]
    #: build.json / suite.json as read (empty for a mixture)
    info: dict[str, Any]

    @property
    def splits(self) -> list[str]:
        seen = {u.split for u in self.units}
        return sorted(seen, key=lambda s: (SPLIT_ORDER.index(s) if s in SPLIT_ORDER else len(SPLIT_ORDER), s))

    @property
    def tasks(self) -> list[str]:
        return sorted({u.task for u in self.units})


_TASK_DIR = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
_SHOTS_DIR = re.compile(r"^(\d+)-shot$")


def shots_split(folder: str) -> str:
    """The split name of a suite folder: ``zero-shot`` -> ``zero_shot``, ``2-shot`` -> ``2_shot``."""
    return folder.replace("-", "_")


def open_source(path: str | os.PathLike, *, tasks: list[str] | None = None) -> Source:
    """Find the sample files of a build folder, a suite folder or a mixture file."""
    path = Path(path)
    if path.is_file():
        return Source("mixture", path, [Unit("mixture", "train", path)], {})
    if not path.is_dir():
        raise MissingFilesError(f"{path}: no such build folder, suite folder or mixture file")
    units: list[Unit] = []
    if (path / "suite.json").is_file() or (path / ZERO_SHOT).is_dir():
        info = _load_json(path / "suite.json") if (path / "suite.json").is_file() else {}
        for sub in sorted(p for p in path.iterdir() if p.is_dir()):
            if sub.name == ZERO_SHOT or _SHOTS_DIR.match(sub.name):
                units += [Unit(f.stem, shots_split(sub.name), f) for f in sorted(sub.glob("*.jsonl"))]
        kind = "suite"
    else:
        info = _load_json(path / BUILD_INFO) if (path / BUILD_INFO).is_file() else {}
        for sub in sorted(p for p in path.iterdir() if p.is_dir() and _TASK_DIR.match(p.name)):
            units += [Unit(sub.name, f.stem, f) for f in sorted(sub.glob("*.jsonl"))]
        kind = "build"
    if tasks:
        unknown = sorted(set(tasks) - {u.task for u in units})
        if unknown:
            raise UsageError(f"{path}: no samples of {', '.join(unknown)}")
        units = [u for u in units if u.task in tasks]
    if not units:
        raise MissingFilesError(
            f"{path}: no samples found (expected a build folder <task>/<split>.jsonl, a suite folder "
            f"zero-shot/<task>.jsonl or a mixture .jsonl file)"
        )
    order = {s: i for i, s in enumerate(SPLIT_ORDER)}
    units.sort(key=lambda u: (u.task, order.get(u.split, len(order)), u.split))
    return Source(kind, path, units, info)


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise UsageError(f"{path}: not valid JSON ({exc})") from None
    return data if isinstance(data, dict) else {}


def normalize(sample: Mapping[str, Any], path: Path, lineno: int) -> dict[str, Any]:
    """A sample with exactly :data:`COLUMNS`; ``history`` always a list of pairs."""
    from .errors import SourceError

    out: dict[str, Any] = {}
    for key in ("id", "task", "instruction", "input", "output"):
        value = sample.get(key)
        if not isinstance(value, str):
            raise SourceError(path, lineno, f"expected a sample with a string {key!r}, found {type(value).__name__}")
        out[key] = value
    history = sample.get("history") or []
    if not (isinstance(history, list) and all(
        isinstance(p, list) and len(p) == 2 and all(isinstance(x, str) for x in p) for p in history
    )):
        raise SourceError(path, lineno, "expected 'history' to be a list of [user, assistant] string pairs")
    out["history"] = [list(p) for p in history]
    return out


def iter_unit(unit: Unit, keep: Callable[[str], bool] | None = None) -> Iterator[dict[str, Any]]:
    for lineno, sample in read_jsonl(unit.path, what="a sample"):
        sample = normalize(sample, unit.path, lineno)
        if keep is None or keep(sample["task"]):
            yield sample


def messages(sample: Mapping[str, Any], system: str | None = None) -> list[dict[str, str]]:
    """The chat turns of one sample (see the module docs)."""
    turns = [{"role": "system", "content": system}] if system else []
    for user, assistant in sample.get("history") or []:
        turns += [{"role": "user", "content": user}, {"role": "assistant", "content": assistant}]
    turns.append({"role": "user", "content": sample["instruction"] + "\n" + sample["input"]})
    turns.append({"role": "assistant", "content": sample["output"]})
    return turns


# -- task facts: licence, citation, category ---------------------------------------------------


def task_facts(source: Source, registry=None, tasks: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """Per task: category, dataset, licence, access, citation, homepage — from
    build.json where it records them, else from the installed task."""
    built = source.info.get("tasks", {}) if source.kind == "build" else {}
    suite_cats = {}
    if source.kind == "suite":
        suite_cats = {t.get("task"): t.get("category") for t in source.info.get("tasks", []) if isinstance(t, dict)}
    facts: dict[str, dict[str, Any]] = {}
    for task in tasks if tasks is not None else source.tasks:
        entry = dict(built.get(task) or {})
        spec = registry.tasks.get(task) if registry is not None else None
        if spec is not None:
            d = spec.dataset
            entry.setdefault("category", spec.category)
            entry.setdefault("dataset", d.get("name"))
            entry.setdefault("license", d.get("license"))
            entry.setdefault("access", d.get("access"))
            entry.setdefault("citation", d.get("citation"))
            entry.setdefault("homepage", d.get("homepage"))
            if "commercial_use" in d:
                entry.setdefault("commercial_use", d["commercial_use"])
        if suite_cats.get(task):
            entry.setdefault("category", suite_cats[task])
        facts[task] = {k: entry.get(k) for k in ("category", "dataset", "license", "access", "commercial_use", "citation", "homepage")}
    return facts


def license_label(lic: Any) -> str:
    from .licenses import license_text

    return license_text(lic)


# -- writers -----------------------------------------------------------------------------------


@attrs.define
class ExportResult:
    format: str
    out: Path
    #: (task, split) -> samples written
    counts: dict[tuple[str, str], int]
    files: list[Path]
    #: task -> why the licence filter left it out
    left_out: dict[str, str] = attrs.field(factory=dict)


def export(
    src: str | os.PathLike,
    out: str | os.PathLike,
    fmt: str,
    *,
    tasks: list[str] | None = None,
    system: str | None = None,
    name: str = "medinst",
    license_filter: Any = None,
    registry=None,
    writer: Callable[[Source, Path, Callable[[str], bool]], ExportResult] | None = None,
) -> ExportResult:
    """Export ``src`` to ``out`` in ``fmt`` (one of :data:`FORMATS`, or any name
    with a ``writer(source, out, keep)`` that writes it).
    ``license_filter`` (a :class:`~medinst_core.licenses.LicenseFilter`) leaves
    out the samples of datasets it rejects, judged by the terms ``build.json``
    recorded or else the installed task's manifest (unknown terms: left out)."""
    if fmt not in FORMATS and writer is None:
        raise UsageError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", name):
        raise UsageError(f"--name {name!r}: use letters, digits, '_', '.' and '-' only")
    source = open_source(src, tasks=tasks if tasks is None or not Path(src).is_file() else None)
    wanted = set(tasks) if tasks and source.kind == "mixture" else None
    left_out: dict[str, str] = {}
    verdicts: dict[str, bool] = {}

    def keep(task: str) -> bool:
        if task not in verdicts:
            ok = wanted is None or task in wanted
            if ok and license_filter is not None and license_filter.active:
                f = task_facts(source, registry, [task])[task]
                why = license_filter.why_not({k: f[k] for k in ("license", "access", "commercial_use") if f.get(k) is not None})
                if why is not None:
                    left_out[task] = why
                    ok = False
            verdicts[task] = ok
        return verdicts[task]

    if source.kind != "mixture":
        source.units = [u for u in source.units if keep(u.task)]
        if not source.units:
            raise UsageError("the licence filters leave no task to export")
    out = Path(out)
    if writer is not None:
        result = writer(source, out, keep)
    elif fmt == "chat":
        result = _export_chat(source, out, system, keep)
    elif fmt == "alpaca":
        result = _export_alpaca(source, out, system, name, keep)
    elif fmt == "parquet":
        result = _export_parquet(source, out, lambda u: out / u.task / f"{u.split}.parquet", keep)
    else:
        result = _export_parquet(source, out, lambda u: out / "data" / u.task / f"{u.split}.parquet", keep)
        result.format = "hf"
        card = out / "README.md"
        exported = sorted({t for t, _ in result.counts})
        with atomic_write(card) as f:
            f.write(dataset_card(source, result.counts, task_facts(source, registry, exported), name).encode())
        result.files.append(card)
    result.left_out = dict(sorted(left_out.items()))
    return result


def _count(counts: dict[tuple[str, str], int], sample: Mapping[str, Any], split: str) -> None:
    key = (sample["task"], split)
    counts[key] = counts.get(key, 0) + 1


def _export_chat(source: Source, out: Path, system: str | None, keep) -> ExportResult:
    counts: dict[tuple[str, str], int] = {}
    files = []
    for split in source.splits:
        path = out / f"{split}.jsonl"
        with atomic_write(path) as f:
            for unit in (u for u in source.units if u.split == split):
                for sample in iter_unit(unit, keep):
                    f.write(orjson.dumps({"id": sample["id"], "task": sample["task"], "messages": messages(sample, system)}) + b"\n")
                    _count(counts, sample, split)
        files.append(path)
    return ExportResult("chat", out, counts, files)


def _export_alpaca(source: Source, out: Path, system: str | None, name: str, keep) -> ExportResult:
    counts: dict[tuple[str, str], int] = {}
    files = []
    info: dict[str, Any] = {}
    for split in source.splits:
        entry = f"{name}_{split}"
        path = out / f"{entry}.json"
        with atomic_write(path) as f:
            f.write(b"[")
            first = True
            for unit in (u for u in source.units if u.split == split):
                for sample in iter_unit(unit, keep):
                    row = {
                        "instruction": sample["instruction"], "input": sample["input"], "output": sample["output"],
                        "system": system or "", "history": sample["history"], "id": sample["id"], "task": sample["task"],
                    }
                    f.write((b"\n" if first else b",\n") + orjson.dumps(row))
                    first = False
                    _count(counts, sample, split)
            f.write(b"\n]\n")
        files.append(path)
        info[entry] = {
            "file_name": path.name,
            "formatting": "alpaca",
            "columns": {"prompt": "instruction", "query": "input", "response": "output", "system": "system", "history": "history"},
        }
    info_path = out / "dataset_info.json"
    if info_path.is_file():  # add our entries to an existing LLaMA-Factory data folder's
        info = {**_load_json(info_path), **info}
    write_json(info_path, info)
    files.append(info_path)
    return ExportResult("alpaca", out, counts, files)


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("Parquet and Hugging Face exports need pyarrow: pip install 'medinst-core[parquet]'") from None
    return pa, pq


def arrow_schema(pa):
    return pa.schema([
        ("id", pa.string()), ("task", pa.string()), ("instruction", pa.string()), ("input", pa.string()),
        ("output", pa.string()), ("history", pa.list_(pa.list_(pa.string()))),
    ])  # fmt: skip


#: rows per Parquet row group (and per batch held in memory)
BATCH = 10_000


def _export_parquet(source: Source, out: Path, where: Callable[[Unit], Path], keep) -> ExportResult:
    pa, pq = _pyarrow()
    schema = arrow_schema(pa)
    counts: dict[tuple[str, str], int] = {}
    files = []
    for unit in source.units:
        path = where(unit)
        with atomic_write(path) as f:
            writer = pq.ParquetWriter(f, schema, compression="zstd")
            batch: list[dict[str, Any]] = []
            written = 0
            for sample in iter_unit(unit, keep):
                batch.append(sample)
                _count(counts, sample, unit.split)
                if len(batch) >= BATCH:
                    writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                    written += len(batch)
                    batch = []
            if batch or not written:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            writer.close()
        files.append(path)
    return ExportResult("parquet", out, counts, files)


# -- the dataset card --------------------------------------------------------------------------


def _yaml_scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return orjson.dumps(str(value)).decode()  # a JSON string is a double-quoted YAML scalar


def to_yaml(value: Any, indent: int = 0) -> str:
    """Block-style YAML of dicts, lists and scalars (strings double-quoted)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(item, (Mapping, list)) and item:
                lines.append(f"{pad}{key}:")
                lines.append(to_yaml(item, indent + 2))
            else:
                empty = "{}" if isinstance(item, Mapping) else "[]" if isinstance(item, list) else _yaml_scalar(item)
                lines.append(f"{pad}{key}: {empty}")
    else:
        for item in value:
            if isinstance(item, Mapping) and item:
                body = to_yaml(item, indent + 2).splitlines()
                lines.append(f"{pad}- {body[0].lstrip()}")
                lines += body[1:]
            elif isinstance(item, list) and item:
                lines.append(f"{pad}-")
                lines.append(to_yaml(item, indent + 2))
            else:
                lines.append(f"{pad}- {_yaml_scalar(item)}")
    return "\n".join(lines)


#: SPDX ids the Hugging Face Hub knows (lower-cased there); others are "other"
HF_LICENSES = {
    "apache-2.0", "mit", "cc0-1.0", "cc-by-4.0", "cc-by-3.0", "cc-by-sa-4.0", "cc-by-sa-3.0", "cc-by-nc-4.0",
    "cc-by-nc-3.0", "cc-by-nc-sa-4.0", "cc-by-nc-sa-3.0", "cc-by-nc-nd-4.0", "cc-by-nd-4.0", "gpl-3.0",
    "gpl-2.0", "lgpl-3.0", "agpl-3.0", "bsd-2-clause", "bsd-3-clause", "odc-by", "odbl", "pddl", "cc-by-2.0",
    "cc-by-2.5", "artistic-2.0", "afl-3.0", "mpl-2.0", "epl-2.0", "unlicense", "wtfpl", "openrail",
}


def hf_license(lic: Any) -> str:
    from .licenses import license_expression

    lic = license_expression(lic)
    if isinstance(lic, str):
        low = lic.lower().removesuffix("-only").removesuffix("-or-later")
        if low in HF_LICENSES:
            return low
    return "other"


def dataset_card(source: Source, counts: Mapping[tuple[str, str], int], facts: Mapping[str, Mapping[str, Any]], name: str) -> str:
    splits = source.splits
    tasks = sorted({t for t, _ in counts})
    configs: list[dict[str, Any]] = [{
        "config_name": "all",
        "default": True,
        "data_files": [{"split": s, "path": f"data/*/{s}.parquet"} for s in splits],
    }]
    for task in tasks if source.kind != "mixture" else []:
        configs.append({
            "config_name": task,
            "data_files": [{"split": u.split, "path": f"data/{task}/{u.split}.parquet"} for u in source.units if u.task == task],
        })
    licenses = sorted({hf_license(f.get("license")) for f in facts.values()})
    meta = {
        "pretty_name": f"{name} ({source.kind} exported by medinst)",
        "language": ["en"],
        "license": licenses,
        "tags": ["biomedical", "instruction-tuning", "medinst"],
        "configs": configs,
        "dataset_info": {
            "features": [
                *({"name": c, "dtype": "string"} for c in COLUMNS[:5]),
                {"name": "history", "sequence": {"sequence": "string"}},
            ],
            "splits": [{"name": s, "num_examples": sum(n for (t, sp), n in counts.items() if sp == s)} for s in splits],
        },
    }
    total = sum(counts.values())
    lines = ["---", to_yaml(meta), "---", "", f"# {name}", ""]
    lines += [
        f"Instruction samples of {len(tasks)} task(s) exported by `medinst export` from a {source.kind} "
        f"({total:,} samples). Every file has the columns `id`, `task`, `instruction`, `input`, `output` and "
        "`history` (earlier `[user, assistant]` turns; an empty list when a sample has none). A model is "
        "prompted with the history pairs as earlier turns and `instruction + \"\\n\" + input` as the last user turn.",
        "",
        "```python",
        "from datasets import load_dataset",
        "everything = load_dataset(\"PATH\")            # every task and split, a `task` column tells them apart",
        *([f"one_task = load_dataset(\"PATH\", \"{tasks[0]}\")"] if source.kind != "mixture" and tasks else []),
        "```",
        "",
        "Each source dataset keeps its own licence and terms of access (below): check them before you "
        "redistribute or train on this data. The combined dataset is not licensed as a whole.",
        "",
        "## Tasks",
        "",
        "| task | category | dataset | licence | access | " + " | ".join(splits) + " |",
        "|---|---|---|---|---|" + "---:|" * len(splits),
    ]

    def cell(text: Any) -> str:
        return str(text if text is not None else "").replace("|", r"\|").replace("\n", " ")

    for task in tasks:
        f = facts.get(task, {})
        per_split = [f"{counts[(task, s)]:,}" if (task, s) in counts else "" for s in splits]
        lines.append("| " + " | ".join([cell(task), cell(f.get("category")), cell(f.get("dataset")),
                                        cell(license_label(f.get("license"))), cell(f.get("access")), *per_split]) + " |")
    lines += ["", "## Citations", "", "Cite the source datasets you use:", ""]
    seen: set[str] = set()
    for task in tasks:
        f = facts.get(task, {})
        citation = f.get("citation")
        if not citation or citation in seen:
            continue
        seen.add(citation)
        lines += [f"- **{cell(f.get('dataset') or task)}**: {citation.strip()}"]
    if source.kind == "suite" and source.info.get("suite"):
        info = source.info
        lines += ["", f"Suite `{info['suite']}`, {info.get('shots', '?')} examples per few-shot sample, seed {info.get('seed')!s}."]
    return "\n".join(lines) + "\n"
