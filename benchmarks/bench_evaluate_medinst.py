"""`medinst evaluate` against MedINST's own evaluation script, on the same predictions.

MedINST's published evaluation (``evaluation.py`` in the public MedINST
repository) scores every sample with Rouge-L (Hugging Face's ``rouge``
metric, i.e. ``rouge_score``) and SQuAD word F1, plus the task's family
metric (label F1 with scikit-learn, entity F1, exact match, MSE).  Its code
is not part of medinst: get it with

    git clone https://github.com/aialt/MedINST   # evaluation.py at the top

and pass its path.  The script is driven offline: before it is imported,
this benchmark puts small stand-ins of its own in ``sys.modules`` for
``datasets`` (``load_metric("rouge")`` returns an object whose ``compute()``
has the Hugging Face signature and result shape and wraps
``rouge_score.rouge_scorer.RougeScorer(rouge_types, use_stemmer=...)``, built
once per metric object -- cheaper than the Hub metric, which builds a
scorer on every call; ``datasets.tqdm`` passes its iterable through),
``evaluate`` (``load("rouge")``, the same) and ``openai`` (never called).
scikit-learn, numpy, tqdm and rouge-score are the real packages.

Data: ``bench_evaluate.synthesize`` (MedINST32-shaped noisy predictions;
``--samples`` picks the total, 48,000 by default), written as a gold JSONL
(the MedINST32 task ids of ``medinst_core/suites/medinst32.json``) and a
predictions JSONL.  Each side is timed ``--repeat`` times, interleaved, and
the medians are reported:

* **medinst**: ``medinst evaluate --predictions P --gold G --out R`` as a
  whole process (start-up, plugin loading, reading, scoring, writing);
* **MedINST script**: its ``evaluate(targets, predictions, types,
  rouge_metric)`` called for the 32 tasks, in a child process, timing the
  calls only (imports and reading excluded: this favours the script); the
  child's whole wall time is printed too.

Both report Rouge-L and word F1 for every task and the family metric; all
three are compared per task (label F1 for cls/bio, entity F1 for entity
tasks and Hallmarks-of-Cancer's multi-label F1, EM, MSE; SUM and TRANSL
have Rouge-L as their family metric).  The start-up of ``medinst
evaluate`` (one sample per task) is timed separately.

Needs the plugins of the MedINST32 tasks installed (the benchmark names the
missing ones) and the ``test`` extra (rouge-score, scikit-learn).

    python benchmarks/bench_evaluate_medinst.py --medinst-script ../MedINST/evaluation.py
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import orjson

from _util import machine, medinst, table
from bench_evaluate import FAMILIES, synthesize

import medinst_core

SUITE = Path(medinst_core.__file__).parent / "suites" / "medinst32.json"
HOW_TO_GET = "git clone https://github.com/aialt/MedINST and pass --medinst-script MedINST/evaluation.py"
#: the script's family lists -> (its result key, medinst's metric)
FAMILY_KEYS = {
    "cls": ("label_level_f1", "label_f1"),
    "bio": ("label_leval_f1", "bio_label_f1"),  # sic: the script's key for BIO tasks
    "entity": ("entity_level_f1", "entity_f1"),
    "multicls": ("entity_level_f1", "multilabel_f1"),
    "em": ("em", "exact_match"),
    "mse": ("mse", "mse"),
}
ALWAYS = (("rouge", "rouge_l"), ("f1", "word_f1"))


# ---------------------------------------------------------------------------
# The MedINST side (runs in a child process)
# ---------------------------------------------------------------------------


class RougeShim:
    """What ``datasets.load_metric("rouge")`` / ``evaluate.load("rouge")``
    give the script: ``compute(predictions=, references=, rouge_types=,
    use_aggregator=, use_stemmer=)`` -> ``{type: [Score, ...]}``."""

    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._make = rouge_scorer.RougeScorer
        self._scorers: dict = {}

    def compute(self, *, predictions, references, rouge_types=None, use_aggregator=True, use_stemmer=False):
        if use_aggregator:
            raise NotImplementedError("this stand-in gives per-sample scores only (use_aggregator=False), as MedINST asks")
        rouge_types = list(rouge_types or ["rouge1", "rouge2", "rougeL", "rougeLsum"])
        key = (tuple(rouge_types), bool(use_stemmer))
        scorer = self._scorers.get(key)
        if scorer is None:
            scorer = self._scorers[key] = self._make(rouge_types, use_stemmer=use_stemmer)
        scores = [scorer.score(ref, pred) for ref, pred in zip(references, predictions)]
        return {t: [s[t] for s in scores] for t in rouge_types}


def install_shims() -> None:
    def load_metric(name, *args, **kwargs):
        if name != "rouge":
            raise ValueError(f"only the rouge metric is provided offline, not {name!r}")
        return RougeShim()

    class OpenAI:  # the script's predict() is never called here
        def __init__(self, *args, **kwargs):
            raise RuntimeError("no model calls in the benchmark")

    ds = types.ModuleType("datasets")
    ds.load_metric = load_metric  # type: ignore[attr-defined]
    ds.tqdm = lambda iterable, *a, **k: iterable  # type: ignore[attr-defined]
    ev = types.ModuleType("evaluate")
    ev.load = load_metric  # type: ignore[attr-defined]
    oa = types.ModuleType("openai")
    oa.OpenAI = OpenAI  # type: ignore[attr-defined]
    sys.modules.update({"datasets": ds, "evaluate": ev, "openai": oa})


def script_families(mod, config: str) -> list[str]:
    """The evaluation types the script gives a task, from its own lists."""
    return [name for name in ("cls", "em", "entity", "multicls", "bio", "mse") if config in getattr(mod, name)]


def run_script(script: Path, data: Path, out: Path) -> None:
    """Child process: score the data with MedINST's ``evaluate()`` per task."""
    install_shims()
    spec = importlib.util.spec_from_file_location("medinst_evaluation", script)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    by_config = orjson.loads(data.read_bytes())
    rouge_metric = mod.datasets.load_metric("rouge")  # once, as the script's main() does
    results = {}
    c0, t0 = time.process_time(), time.perf_counter()
    for config, (targets, predictions) in by_config.items():
        results[config] = mod.evaluate(targets, predictions, script_families(mod, config), rouge_metric)
    secs, cpu = time.perf_counter() - t0, time.process_time() - c0
    clean = {c: {k: float(v) for k, v in m.items()} for c, m in results.items()}
    families = {c: script_families(mod, c) for c in by_config}
    out.write_bytes(orjson.dumps({"seconds": secs, "cpu": cpu, "results": clean, "families": families}))


# ---------------------------------------------------------------------------
# The benchmark (parent)
# ---------------------------------------------------------------------------


def task_ids() -> dict[str, str]:
    """MedINST config name -> medinst task id."""
    suite = json.loads(SUITE.read_text())
    return {t["medinst_config"]: t["task"] for t in suite["tasks"]}


def check_installed(ids: dict[str, str]) -> None:
    from medinst_core.plugins import load_registry

    reg = load_registry()
    missing = sorted({ids[c].split(".")[0] for c in ids if ids[c] not in reg.tasks})
    if missing:
        names = " ".join(f"plugins/medinst-{m.replace('_', '-')}" for m in missing)
        raise SystemExit(f"the MedINST32 tasks need their plugins: pip install --no-build-isolation -e {names}")


def write_inputs(data, ids: dict[str, str], workdir: Path, first_only: bool = False) -> tuple[Path, Path]:
    tag = "startup" if first_only else "all"
    gold, preds = workdir / f"gold-{tag}.jsonl", workdir / f"predictions-{tag}.jsonl"
    with open(gold, "wb") as g, open(preds, "wb") as p:
        for task, _, golds, predictions in data:
            tid = ids[task]
            for i, (gt, pt) in enumerate(zip(golds, predictions)):
                sid = f"{tid}:test:{i}"
                g.write(orjson.dumps({"id": sid, "task": tid, "instruction": "Answer.", "input": "...", "output": gt}) + b"\n")
                p.write(orjson.dumps({"id": sid, "prediction": pt, "model": "bench"}) + b"\n")
                if first_only:
                    break
    return gold, preds


def child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def time_medinst(gold: Path, preds: Path, out: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of the whole ``medinst evaluate`` process."""
    c0, t0 = child_cpu(), time.perf_counter()
    proc = subprocess.run(medinst("evaluate", "--predictions", str(preds), "--gold", str(gold), "--out", str(out)),
                          capture_output=True, text=True)  # fmt: skip
    secs, cpu = time.perf_counter() - t0, child_cpu() - c0
    if proc.returncode:
        raise SystemExit(f"medinst evaluate failed:\n{proc.stderr}")
    return secs, cpu


def time_script(script: Path, data: Path, out: Path) -> tuple[float, float, float]:
    """(wall and CPU seconds of the evaluate() calls, wall seconds of the whole child process)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, __file__, "--medinst-script", str(script), "--_child", str(data), str(out)],
                          capture_output=True, text=True)  # fmt: skip
    whole = time.perf_counter() - t0
    if proc.returncode:
        raise SystemExit(f"MedINST's script failed:\n{proc.stderr}")
    got = orjson.loads(out.read_bytes())
    return got["seconds"], got["cpu"], whole


def compare(script_out: dict, results: dict, ids: dict[str, str], sizes: dict[str, int]) -> tuple[list[list], float]:
    rows, worst_all = [], 0.0
    for config, tid in ids.items():
        if config not in script_out["results"]:
            continue
        theirs = script_out["results"][config]
        ours = results["tasks"][tid]["metrics"]
        fams = script_out["families"][config]
        pairs = [FAMILY_KEYS[f] for f in fams] + list(ALWAYS)
        worst = 0.0
        for skey, mkey in pairs:
            a, b = theirs[skey], ours.get(mkey)
            b = math.nan if b is None else b
            if not (math.isnan(a) and math.isnan(b)):
                worst = max(worst, abs(a - b)) if not math.isnan(abs(a - b)) else math.inf
        worst_all = max(worst_all, worst)
        fam_s, fam_m = pairs[0] if fams else ALWAYS[0]
        rows.append([config, f"{sizes[config]:,}", f"{fam_s} / {fam_m}", f"{theirs[fam_s]:.6f}", f"{ours[fam_m]:.6f}", f"{worst:.3g}"])
    return rows, worst_all


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--medinst-script", type=Path, help=f"MedINST's evaluation.py ({HOW_TO_GET}).")
    ap.add_argument("--samples", type=int, default=48_000, help="Total predictions (MedINST32's 15,000 test samples scaled).")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeat", type=int, default=3, help="Runs of each side, interleaved; medians reported.")
    ap.add_argument("--families", default=",".join(FAMILIES),
                    help="Only the tasks of these generator families (comma-separated; default all: %(default)s). "
                         "Without bio,text the data is short answers only.")  # fmt: skip
    ap.add_argument("--_child", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.medinst_script is None or not args.medinst_script.is_file():
        raise SystemExit(f"MedINST's evaluation script is needed: {HOW_TO_GET}")
    if args._child:
        run_script(args.medinst_script, *args._child)
        return
    ids = task_ids()
    check_installed(ids)
    wanted = {f.strip() for f in args.families.split(",") if f.strip()}
    if wanted - set(FAMILIES):
        raise SystemExit(f"--families: unknown {', '.join(sorted(wanted - set(FAMILIES)))} (known: {', '.join(FAMILIES)})")
    data = [d for d in synthesize(args.samples / 15_000, args.seed) if d[1] in wanted]
    sizes = {task: len(g) for task, _, g, _ in data}
    total = sum(sizes.values())
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{total:,} MedINST32-shaped predictions in {len(data)} tasks (bench_evaluate.synthesize, seed {args.seed}; "
          f"families {', '.join(f for f in FAMILIES if f in wanted)})")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        gold, preds = write_inputs(data, ids, work)
        gold1, preds1 = write_inputs(data, ids, work, first_only=True)
        script_in = work / "script-input.json"
        script_in.write_bytes(orjson.dumps({task: [g, p] for task, _, g, p in data}))
        ours, theirs, theirs_whole, startup = [], [], [], []
        for _ in range(max(1, args.repeat)):
            ours.append(time_medinst(gold, preds, work / "results.json"))
            s, c, w = time_script(args.medinst_script, script_in, work / "script.json")
            theirs.append((s, c))
            theirs_whole.append(w)
            startup.append(time_medinst(gold1, preds1, work / "results-startup.json"))
        results = orjson.loads((work / "results.json").read_bytes())
        script_out = orjson.loads((work / "script.json").read_bytes())
    rows, worst = compare(script_out, results, ids, sizes)
    print(table(rows, ["task", "n", "family metric (script / medinst)", "script", "medinst", "max |diff| (family, rouge, f1)"]))
    def med(runs: list[tuple[float, float]], i: int) -> float:
        return statistics.median(r[i] for r in runs)

    def runs(xs: list[tuple[float, float]]) -> str:
        return ", ".join(f"{w:.2f}" for w, _ in xs)

    print(f"\nmedinst evaluate, whole process: median {med(ours, 0):.2f} s wall ({runs(ours)}), {med(ours, 1):.2f} s CPU")
    print(f"  start-up (the same command on one sample per task): median {med(startup, 0):.2f} s wall, {med(startup, 1):.2f} s CPU")
    print(f"MedINST script, evaluate() calls: median {med(theirs, 0):.2f} s wall ({runs(theirs)}), {med(theirs, 1):.2f} s CPU "
          f"(whole child process {statistics.median(theirs_whole):.2f} s wall)")  # fmt: skip
    print(f"ratio (script / medinst): {med(theirs, 0) / med(ours, 0):.1f}x wall, {med(theirs, 1) / med(ours, 1):.1f}x CPU; "
          f"max |difference| over all tasks and metrics: {worst:.3g}")  # fmt: skip


if __name__ == "__main__":
    main()
