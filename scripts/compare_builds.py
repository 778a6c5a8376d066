"""Build tasks with two source trees of medinst_core and compare every output
file's sha256: a change meant to be faster must give byte-identical samples.

    python scripts/compare_builds.py --baseline /path/to/main --data-dir /work/shared/data TASK [TASK ...]
    python scripts/compare_builds.py --baseline /path/to/main --data-dir /work/shared/data --readers pubtator,conll,jsonl

``--baseline`` is a checkout (a folder holding ``medinst_core/`` and
``schema/``) placed first on ``PYTHONPATH`` for the reference build; the other
build uses the ``medinst_core`` this interpreter imports.  Both builds use the
installed plugins.  With ``--readers``, every installed task whose manifest
names one of these readers is built.  Splits whose files are absent are left
out of both builds alike (the data folder holds what it holds).  Prints one
line per output file and exits 1 when any differs, or when a split built by one
tree is missing from the other.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BIN = Path(sys.executable).parent


def tasks_with_readers(readers: set[str]) -> list[str]:
    from medinst_core.plugins import get_registry

    return sorted(t.id for t in get_registry().tasks.values() if t.manifest["source"]["reader"] in readers)


def build(tasks: list[str], data_dir: Path, out: Path, env: dict[str, str]) -> dict[str, str]:
    """sha256 of every ``<task>/<split>.jsonl`` one build wrote."""
    cmd = [str(BIN / "medinst"), "build", *tasks, "--data-dir", str(data_dir), "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if proc.returncode not in (0, 1):  # 1: some split failed or is missing; the others are compared
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.glob("*/*.jsonl"))
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--baseline", type=Path, required=True, help="the reference checkout (medinst_core/ and schema/)")
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--readers", help="comma-separated reader names: build every installed task using one of them")
    ap.add_argument("tasks", nargs="*")
    args = ap.parse_args(argv)
    tasks = list(args.tasks)
    if args.readers:
        tasks += tasks_with_readers(set(args.readers.split(",")))
    tasks = list(dict.fromkeys(tasks))
    if not tasks:
        ap.error("no task to build (name tasks or --readers)")
    if not (args.baseline / "medinst_core").is_dir():
        ap.error(f"{args.baseline} holds no medinst_core/")
    env = dict(os.environ)
    base_env = dict(env, PYTHONPATH=os.pathsep.join(p for p in [str(args.baseline.resolve()), env.get("PYTHONPATH")] if p))
    with tempfile.TemporaryDirectory(prefix="medinst-compare-") as tmp:
        base = build(tasks, args.data_dir, Path(tmp) / "baseline", base_env)
        ours = build(tasks, args.data_dir, Path(tmp) / "this", env)
    bad = 0
    for name in sorted(set(base) | set(ours)):
        a, b = base.get(name), ours.get(name)
        same = a is not None and a == b
        bad += not same
        print(f"{'same' if same else 'DIFFERENT':9}  {name}  {(b or a or '')[:16]}"
              + ("" if same else f"  (baseline {a and a[:16]}, this {b and b[:16]})"))
    print(f"{len(set(base) | set(ours)) - bad} of {len(set(base) | set(ours))} output files identical ({len(tasks)} tasks)")
    return 1 if bad or not base else 0


if __name__ == "__main__":
    sys.exit(main())
