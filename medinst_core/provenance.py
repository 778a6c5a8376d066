"""What a prediction or results file was made from, so two of them can say
whether they are comparable.

* :func:`task_facts`: per task, the installed manifest's version, its sha256
  (of the merged manifest as compact JSON with sorted keys), the plugin and
  its version;
* :func:`input_context`: the suite (name, shots, seed, from ``suite.json``)
  or the build (task versions, from ``build.json``) the samples files come from;
* the predictions' sidecar ``<predictions>.meta.json`` (:func:`meta_path`,
  :func:`read_meta`, :func:`resume_conflicts`): written by ``medinst predict``,
  read by ``medinst evaluate``;
* :func:`comparability_warnings`: what differs between results files that a
  report puts side by side.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import orjson

from .errors import UsageError

META_FORMAT = "medinst-predictions-meta/1"
META_SUFFIX = ".meta.json"
_SHOTS = re.compile(r"^(\d+)-shot$")


def manifest_sha256(spec: Any) -> str:
    return hashlib.sha256(orjson.dumps(spec.manifest, option=orjson.OPT_SORT_KEYS, default=str)).hexdigest()


def task_facts(task_ids: Iterable[str], registry: Any) -> dict[str, dict[str, Any]]:
    """Version, manifest sha256, plugin and plugin version of each installed
    task (``None`` values for a task not installed)."""
    out: dict[str, dict[str, Any]] = {}
    tasks = getattr(registry, "tasks", {})
    plugins = getattr(registry, "plugins", {})
    for task in sorted(set(task_ids)):
        spec = tasks.get(task)
        if spec is None:
            out[task] = {"version": None, "manifest_sha256": None, "plugin": None, "plugin_version": None}
            continue
        info = plugins.get(spec.plugin)
        out[task] = {"version": spec.version, "manifest_sha256": manifest_sha256(spec), "plugin": spec.plugin,
                     "plugin_version": getattr(info, "version", None)}
    return out


def _read_json(path: Path) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return None


def input_context(files: Sequence[Path]) -> dict[str, Any]:
    """The suite or build the samples files belong to: ``{"suite": {name,
    shots, seed} | None, "built_versions": {task: version}}``."""
    suite = None
    built: dict[str, Any] = {}
    for path in files:
        folder = path.resolve().parent
        match = _SHOTS.match(folder.name)
        if folder.name == "zero-shot" or match:
            info = _read_json(folder.parent / "suite.json")
            if isinstance(info, dict):
                suite = {"name": info.get("suite"), "shots": int(match.group(1)) if match else 0, "seed": info.get("seed")}
        info = _read_json(folder.parent / "build.json")
        if isinstance(info, dict) and isinstance(info.get("tasks"), dict):
            entry = info["tasks"].get(folder.name)
            if isinstance(entry, dict) and "version" in entry:
                built[folder.name] = entry["version"]
    return {"suite": suite, "built_versions": built}


def meta_path(predictions: str | os.PathLike) -> Path:
    """``<predictions>.meta.json``, beside the predictions file."""
    path = Path(predictions)
    return path.with_name(path.name + META_SUFFIX)


def read_meta(predictions: str | os.PathLike) -> dict[str, Any] | None:
    """The sidecar of a predictions file, ``None`` when there is none; a
    UsageError when it is not a medinst predictions record."""
    path = meta_path(predictions)
    if not path.exists():
        return None
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("format") != META_FORMAT or not isinstance(data.get("generation"), dict):
        raise UsageError(f"{path}: not a predictions record written by medinst predict (format {META_FORMAT}); move it away")
    return data


def resume_conflicts(old: Mapping[str, Any], new: Mapping[str, Any]) -> list[str]:
    """Why predictions made with ``new`` settings must not be appended to a file
    made with ``old`` ones (empty when they may)."""
    problems = []
    if old.get("model") != new.get("model"):
        problems.append(f"model {old.get('model')!r} (now {new.get('model')!r})")
    for key, value in new["generation"].items():
        if old["generation"].get(key) != value:
            problems.append(f"{key} {old['generation'].get(key)!r} (now {value!r})")
    old_tasks = (old.get("inputs") or {}).get("tasks") or {}
    for task, facts in ((new.get("inputs") or {}).get("tasks") or {}).items():
        before = old_tasks.get(task)
        if before and (before.get("version"), before.get("manifest_sha256")) != (facts.get("version"), facts.get("manifest_sha256")):
            problems.append(f"task {task} version {before.get('version')} (now {facts.get('version')}, or its manifest changed)")
    return problems


def merge_inputs(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """The inputs of a resumed file: files and tasks of both runs."""
    files = {f["path"]: f for f in old.get("files", [])}
    files.update({f["path"]: f for f in new.get("files", [])})
    return {**old, **new, "files": list(files.values()), "tasks": {**old.get("tasks", {}), **new.get("tasks", {})}}


# -- comparing results -------------------------------------------------------------------------


def comparable_facts(results: Mapping[str, Any]) -> dict[str, Any]:
    """The parts of a results file that must agree for its scores to be
    compared with another's (the model aside)."""
    def part(key: str) -> dict[str, Any]:
        value = results.get(key)
        return value if isinstance(value, dict) else {}

    gen, suite, tasks = part("generation"), part("suite"), part("tasks")
    return {
        "settings": gen.get("settings") if isinstance(gen.get("settings"), dict) else None,
        "shots": suite.get("shots"),
        "seed": suite.get("seed"),
        "tasks": {t: (e.get("version"), e.get("manifest_sha256")) for t, e in tasks.items() if isinstance(e, dict)},
    }


def comparability_warnings(names: Sequence[str], facts: Sequence[Mapping[str, Any]]) -> list[str]:
    """One warning per kind of difference between results files."""
    warnings = []
    settings = [f["settings"] for f in facts]
    known = [(n, s) for n, s in zip(names, settings) if s is not None]
    if len(known) < len(settings) and known:
        missing = ", ".join(n for n, s in zip(names, settings) if s is None)
        warnings.append(f"no generation settings recorded for {missing} (predictions without a .meta.json): "
                        "whether the models were asked the same way is unknown")
    keys = sorted({k for _, s in known for k in s})
    differing = [k for k in keys if len({orjson.dumps(s.get(k)) for _, s in known}) > 1]
    if differing:
        shown = "; ".join(f"{n}: " + ", ".join(f"{k}={s.get(k)!r}" for k in differing) for n, s in known)
        warnings.append(f"the models were run with different generation settings ({shown}); their scores are not comparable")
    for key, what in (("shots", "few-shot examples"), ("seed", "suite seeds")):
        values = {f[key] for f in facts}
        if len(values) > 1:
            warnings.append(f"different {what}: " + ", ".join(f"{n}: {f[key]}" for n, f in zip(names, facts)))
    common = set.intersection(*(set(f["tasks"]) for f in facts)) if facts else set()
    def differs(task: str) -> bool:  # a manifest hash missing (an older results file) is not a difference
        hashes = {f["tasks"][task][1] for f in facts if f["tasks"][task][1]}
        return len({f["tasks"][task][0] for f in facts}) > 1 or len(hashes) > 1

    changed = sorted(t for t in common if differs(t))
    if changed:
        detail = ", ".join(f"{t} (" + ", ".join(f"{n}: v{f['tasks'][t][0]}" for n, f in zip(names, facts)) + ")" for t in changed[:5])
        more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
        warnings.append(f"task versions or manifests differ between the results files: {detail}{more}; "
                        "those tasks' samples or metrics may differ")
    return warnings
