"""What ``medinst evaluate`` records beside the scores: the prediction run's
settings (from ``<predictions>.meta.json``), the suite the gold samples come
from, warnings about mismatches, and the per-sample log.

Per-sample log (``--samples-out``/``--log-samples``), one JSON line per gold
sample, in gold order::

    {"id", "task", "doc_hash", "prompt_hash", "target_hash",
     "prompt", "target", "prediction", "scores", "empty"?, "prompt_match"}

``prompt`` is what the model was sent (the chat messages, or the completions
prompt string), rebuilt from the gold sample with the run's recorded settings
(MedINST's default chat rendering when the predictions have no record);
``prompt_match`` is true or false when the prediction line carries the
``prompt_hash`` of what was actually sent, and null otherwise.  The hashes are
defined in :mod:`medinst_core.prompting`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from .layout import split_files
from .prompting import Generation, doc_hash, prompt_hash, target_hash
from .provenance import input_context, meta_path, read_meta, task_facts


def _prompt(gen: Generation, sample: Mapping[str, Any]) -> Any:
    """The prompt of a gold sample, or None when it has no instruction and
    input strings or a malformed history (nothing to rebuild)."""
    if not all(isinstance(sample.get(k), str) for k in ("instruction", "input")):
        return None
    try:
        return gen.prompt(sample)
    except (ValueError, TypeError):
        return None


def gold_files(source: Mapping[str, Any]) -> list[Path]:
    kind, path = source.get("kind"), source.get("path")
    if not path:
        return []
    if kind == "build":
        return split_files(path, source.get("split", "test"))
    if kind == "directory":
        return sorted(p for p in Path(path).glob("*.jsonl") if p.is_file())
    return [Path(path)] if kind == "file" else []


def context(predictions: Any, gold_source: Mapping[str, Any], tasks: list[str], registry: Any) -> dict[str, Any]:
    """``{"generation", "suite", "task_facts", "warnings", "meta"}`` for the results."""
    warnings: list[str] = []
    meta = None
    if isinstance(predictions, (str, Path)):
        from .errors import UsageError

        try:
            meta = read_meta(predictions)
        except UsageError as exc:
            warnings.append(f"{exc} (the run's settings are not recorded in the results)")
    generation = None
    if meta is not None:
        generation = {
            "model": meta.get("model"),
            "settings": meta["generation"],
            "settings_sha256": meta.get("settings_sha256"),
            "base_urls": meta.get("base_urls"),
            "medinst_version": meta.get("medinst_version"),
            "record": str(meta_path(predictions)),
        }
    suite = input_context(gold_files(gold_source))["suite"]
    facts = task_facts(tasks, registry)
    predicted = ((meta or {}).get("inputs") or {}).get("tasks") or {}
    changed = [t for t in tasks if t in predicted and facts[t]["version"] is not None
               and (predicted[t].get("version"), predicted[t].get("manifest_sha256")) != (facts[t]["version"], facts[t]["manifest_sha256"])]
    if changed:
        warnings.append("the predictions were made when these tasks had another version or manifest: "
                        + ", ".join(f"{t} (v{predicted[t].get('version')}, now v{facts[t]['version']})" for t in changed[:5]))
    run_suite = ((meta or {}).get("inputs") or {}).get("suite")
    if run_suite and suite and (run_suite.get("shots"), run_suite.get("seed")) != (suite.get("shots"), suite.get("seed")):
        warnings.append(f"the predictions were made on the {run_suite.get('shots')}-shot samples (seed {run_suite.get('seed')}) "
                        f"and the gold is {suite.get('shots')}-shot (seed {suite.get('seed')})")
    return {"generation": generation, "suite": suite, "task_facts": facts, "warnings": warnings, "meta": meta}


def log_rows(gold_by_task: Mapping[str, list[dict[str, Any]]], rows: list[dict[str, Any]], answers: Mapping[str, Any],
             sent: Mapping[str, str], meta: Mapping[str, Any] | None) -> Iterator[dict[str, Any]]:
    """The per-sample log lines: ``rows`` (id, task, scores, empty) with the
    prompt, target, prediction and hashes added."""
    gen = Generation.from_dict(meta["generation"]) if meta else Generation()
    samples = {s["id"]: s for task_samples in gold_by_task.values() for s in task_samples}
    for row in rows:
        sample = samples[row["id"]]
        prompt = _prompt(gen, sample)
        phash = prompt_hash(prompt) if prompt is not None else None
        answer = answers.get(row["id"])
        got = sent.get(row["id"])
        out = {
            "id": row["id"], "task": row["task"], "doc_hash": doc_hash(sample), "prompt_hash": phash,
            "target_hash": target_hash(sample["output"]), "prompt": prompt, "target": sample["output"],
            "prediction": answer if isinstance(answer, str) else None, "scores": row["scores"],
        }
        if row.get("empty"):
            out["empty"] = True
        out["prompt_match"] = None if got is None or phash is None else got == phash
        yield out


def prompt_mismatches(gold_by_task: Mapping[str, list[dict[str, Any]]], sent: Mapping[str, str],
                      meta: Mapping[str, Any] | None) -> tuple[int, int, list[str]]:
    """``(checked, mismatched, first ids)``: predictions whose recorded prompt
    hash differs from the prompt their gold sample gives."""
    if not sent:
        return 0, 0, []
    gen = Generation.from_dict(meta["generation"]) if meta else Generation()
    checked = mismatched = 0
    examples: list[str] = []
    for task_samples in gold_by_task.values():
        for sample in task_samples:
            got = sent.get(sample["id"])
            prompt = _prompt(gen, sample) if got is not None else None
            if prompt is None:
                continue
            checked += 1
            if got != prompt_hash(prompt):
                mismatched += 1
                if len(examples) < 5:
                    examples.append(sample["id"])
    return checked, mismatched, examples
