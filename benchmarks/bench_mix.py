"""Mixture sampling over a large synthetic build (MedINST has 7.6M training samples).

Writes a build folder of N samples spread over 131 tasks with a realistic skew
(a few huge tasks, many small ones), then times `medinst mix --size 100000`
against it and reports time and peak memory.

    python benchmarks/bench_mix.py --samples 7000000 --work /tmp/medinst-bench-mix
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import time
from pathlib import Path

import orjson

from _util import machine, medinst, table


def synthesize(root: Path, total: int, tasks: int = 131) -> None:
    weights = [1.0 / (i + 1) ** 1.2 for i in range(tasks)]  # Zipf-like task sizes
    scale = total / sum(weights)
    sizes = [max(1, int(w * scale)) for w in weights]
    sizes[0] += total - sum(sizes)
    info = {"medinst_version": "bench", "plugins": {}, "tasks": {}}
    text = "word " * 30
    for i, n in enumerate(sizes):
        task = f"bench{i:03d}.ner"
        folder = root / task
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "train.jsonl", "wb") as f:
            buf = []
            for j in range(n):
                buf.append(orjson.dumps({"id": f"{task}:train:{j}", "task": task, "instruction": "Find the entities.",
                                         "input": f"{text}{j}", "output": f"[e{j % 97} <Gene>]"}))
                if len(buf) >= 50_000:
                    f.write(b"\n".join(buf) + b"\n")
                    buf.clear()
            if buf:
                f.write(b"\n".join(buf) + b"\n")
        info["tasks"][task] = {"splits": {"train": {"samples": n}}}
    (root / "build.json").write_bytes(orjson.dumps(info))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--samples", type=int, default=7_000_000)
    ap.add_argument("--size", type=int, default=100_000)
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-mix"))
    args = ap.parse_args()
    build = args.work / f"build-{args.samples}"
    if not (build / "build.json").exists():
        t0 = time.perf_counter()
        synthesize(build, args.samples)
        print(f"synthesized {args.samples:,} samples in {time.perf_counter() - t0:.1f}s")
    rows = []
    for strategy in ("proportional", "temperature:2"):
        out = args.work / f"mix-{strategy.replace(':', '')}.jsonl"
        cmd = ["/usr/bin/time", "-f", "%e %M"] + medinst("mix", "--size", str(args.size), "--build", str(build),
                                                         "--strategy", strategy, "--out", str(out))
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr)
        seconds, kib = proc.stderr.strip().splitlines()[-1].split()
        rows.append([strategy, f"{args.samples:,}", f"{args.size:,}", f"{float(seconds):.1f}",
                     f"{args.samples / float(seconds):,.0f}", f"{int(kib) / 1024:.0f}"])
    print(f"machine: {machine()}")
    print(table(rows, ["strategy", "candidates", "drawn", "seconds", "candidates/s", "peak RSS MiB"]))


if __name__ == "__main__":
    main()
