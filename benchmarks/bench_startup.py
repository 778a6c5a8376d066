"""CLI start-up: `medinst tasks --json` (cold and warm) and `medinst --help`
with every installed plugin.

    python benchmarks/bench_startup.py [--repeat 5] [--compare /path/to/other/checkout]

cold: with an empty cache folder (``MEDINST_CACHE_DIR`` a fresh temporary
folder each run: every manifest validated again); warm: the cache written by a
first run.  Wall seconds and CPU seconds (user + system of the child), median
of ``--repeat`` runs.  With ``--compare``, the same commands run with another
checkout's ``medinst_core`` first on ``PYTHONPATH`` (the installed plugins
unchanged), interleaved run by run with this checkout's, for a paired ratio on
a loaded machine.  ``PYTHONDONTWRITEBYTECODE`` is dropped from the children's
environment: a user's install has its ``.pyc`` files, and compiling the core
on every run would hide the start-up being measured.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

from _util import machine, table

#: the children's working folder: ``python -c`` puts it first on sys.path, so
#: run from a checkout it would shadow the core given with ``--compare``; an
#: empty folder of its own, not the shared temporary folder, whose entries
#: change all the time and would fail the snapshot's quick check on every run
NEUTRAL = tempfile.mkdtemp(prefix="medinst-bench-cwd-")
CODE = "import sys; from medinst_core.cli import main; sys.argv[0] = 'medinst'; main(prog_name='medinst')"


def run(args: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one run of the CLI with ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", CODE, *args], capture_output=True, check=True, env=env, cwd=NEUTRAL)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--compare", help="another checkout whose medinst_core is measured alongside")
    args = ap.parse_args()
    base = dict(os.environ)
    base.pop("PYTHONPATH", None)
    base.pop("PYTHONDONTWRITEBYTECODE", None)
    listing = subprocess.run([sys.executable, "-c", CODE, "tasks", "--json"], capture_output=True, text=True, check=True,
                             env=base, cwd=NEUTRAL)
    n_tasks = len(json.loads(listing.stdout))
    plugins = subprocess.run([sys.executable, "-c", CODE, "plugins"], capture_output=True, text=True, check=True, cwd=NEUTRAL)
    n_plugins = len(json.loads(plugins.stdout))
    variants = [("this checkout", base)]
    if args.compare:
        variants.append((f"{args.compare}", {**base, "PYTHONPATH": args.compare}))
    cases = [("tasks --json, cold", ["tasks", "--json"], "cold"), ("tasks --json, warm", ["tasks", "--json"], "warm"),
             ("--help", ["--help"], "warm")]
    warm_dirs = {label: tempfile.mkdtemp(prefix="medinst-bench-cache-") for label, _ in variants}
    for label, env in variants:  # fill each variant's warm cache
        run(["tasks", "--json"], {**env, "MEDINST_CACHE_DIR": warm_dirs[label]})
    times: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for _ in range(args.repeat):
        for name, cmd, cache in cases:
            for label, env in variants:  # interleaved: both variants see the same load
                folder = tempfile.mkdtemp(prefix="medinst-bench-cold-") if cache == "cold" else warm_dirs[label]
                times.setdefault((name, label), []).append(run(cmd, {**env, "MEDINST_CACHE_DIR": folder}))
    rows = []
    for name, _, _ in cases:
        for label, _ in variants:
            got = times[(name, label)]
            rows.append([name, label, f"{statistics.median(w for w, _ in got) * 1000:.0f}",
                         f"{statistics.median(c for _, c in got) * 1000:.0f}", f"{min(w for w, _ in got) * 1000:.0f}"])
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}; {n_plugins} plugins, {n_tasks} tasks installed")
    print(table(rows, ["command", "core", "median wall ms", "median CPU ms", "min wall ms"]))


if __name__ == "__main__":
    main()
