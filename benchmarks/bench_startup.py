"""CLI start-up: `medinst tasks --json` and `medinst --help` with every installed plugin.

    python benchmarks/bench_startup.py [--repeat 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import time

from _util import machine, medinst, table


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    listing = subprocess.run(medinst("tasks", "--json"), capture_output=True, text=True, check=True)
    n_tasks = len(json.loads(listing.stdout))
    n_plugins = len(json.loads(subprocess.run(medinst("plugins"), capture_output=True, text=True, check=True).stdout))
    rows = []
    for label, cmd in [("medinst --help", medinst("--help")), ("medinst tasks --json", medinst("tasks", "--json"))]:
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            subprocess.run(cmd, capture_output=True, check=True)
            times.append(time.perf_counter() - t0)
        rows.append([label, f"{statistics.median(times) * 1000:.0f}", f"{min(times) * 1000:.0f}", f"{max(times) * 1000:.0f}"])
    print(f"machine: {machine()}; {n_plugins} plugins, {n_tasks} tasks installed")
    print(table(rows, ["command", "median ms", "min ms", "max ms"]))


if __name__ == "__main__":
    main()
