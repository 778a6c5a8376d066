"""``medinst build`` of every installed task (or every n-th) over a real data folder: the current core with
``--jobs 1`` and ``--jobs 2``, and a baseline core, runs interleaved.

The baseline is a folder put first on ``PYTHONPATH`` (``--baseline DIR`` holding a ``medinst_core`` package and
``schema/``), for instance today's core with the file resolution of before the file index, which loads the same
manifests as the current core::

    python benchmarks/resolution_baseline.py /tmp/base

Printed per variant: median wall seconds and CPU seconds (user + system, workers included) over ``--repeats``
rounds (the variants' order rotates each round), the ratio to the baseline, and whether every output file and
build.json (timings aside) are byte-identical to the first variant's.  Needs every plugin installed
(``bash .ci/install``).

    python benchmarks/bench_all.py --data-dir /work/shared/data [--every 6] [--repeats 3] [--baseline DIR]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, medinst, table  # noqa: E402


def run(cmd: list[str], env: dict) -> tuple[float, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S", *cmd], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):  # 1: some split failed, as it may with real data
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    user, system = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, float(user) + float(system)


def digest(out: Path) -> str:
    """One digest of every output file's bytes and of build.json without timings and paths."""
    h = hashlib.sha256()
    for path in sorted(out.rglob("*.jsonl")):
        h.update(str(path.relative_to(out)).encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    info = json.loads((out / "build.json").read_text())
    info.pop("last_run", None)
    for task in info.get("tasks", {}).values():
        for split in task.get("splits", {}).values():
            split.pop("elapsed_s", None)
    h.update(json.dumps(info, sort_keys=True).encode())
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--every", type=int, default=1, help="every n-th task (1: build --all)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--baseline", type=Path, help="a folder with an older medinst_core (see above)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-all"))
    args = ap.parse_args()
    env = dict(os.environ)
    env.pop("MEDINST_LOAD_PLUGINS", None)
    listed = json.loads(subprocess.run(medinst("tasks", "--json"), capture_output=True, text=True, env=env,
                                       check=True).stdout)
    tasks = sorted(t if isinstance(t, str) else t["id"] for t in listed)
    chosen = tasks[:: args.every]
    which = ["--all"] if args.every == 1 else chosen
    variants = [("current, --jobs 1", 1, None), ("current, --jobs 2", 2, None)]
    if args.baseline:
        variants.insert(0, ("baseline, --jobs 1", 1, str(args.baseline)))
    times: dict[str, list[float]] = {v[0]: [] for v in variants}
    cpu: dict[str, list[float]] = {v[0]: [] for v in variants}
    digests: dict[str, str] = {}
    for r in range(args.repeats):
        for k in range(len(variants)):
            name, jobs, path = variants[(k + r) % len(variants)]
            out = args.work / f"out{variants.index((name, jobs, path))}"
            shutil.rmtree(out, ignore_errors=True)
            run_env = dict(env, PYTHONPATH=path) if path else env
            seconds, used = run(medinst("build", *which, "--data-dir", str(args.data_dir), "--out", str(out),
                                        "--jobs", str(jobs)), run_env)
            times[name].append(seconds)
            cpu[name].append(used)
            digests[name] = digest(out)
            print(f"  round {r + 1}: {name}: {seconds:.1f} s, {used:.1f} CPU s", file=sys.stderr, flush=True)
    base = variants[0][0]
    rows = []
    for name, _, _ in variants:
        ratio = statistics.median(b / t for b, t in zip(times[base], times[name]))
        rows.append([name, f"{statistics.median(times[name]):.1f}", f"{statistics.median(cpu[name]):.1f}",
                     f"{ratio:.2f}x", "yes" if digests[name] == digests[base] else "NO"])
    print(machine())
    print(f"{len(chosen)} of {len(tasks)} tasks; {args.repeats} rounds; load average at the end "
          f"{os.getloadavg()[0]:.1f}")
    print(table(rows, ["variant", "median s", "median CPU s", f"speed-up over {base}", "identical"]))
    shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
