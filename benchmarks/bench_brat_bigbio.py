"""The ``brat`` reader against BigBIO's ``parse_brat_file`` on the same files.

BigBIO (bigscience-workshop/biomedical, ``bigbio/utils/parsing.py``) reads a
BRAT document with ``parse_brat_file``: the ``.txt`` file and each annotation
file that exists, split into lines, every line into a dict (T, E, R, ``*``,
A/M, N), nothing checked; its ``brat_parse_to_bigbio_kb`` then turns that dict
into the ``bigbio_kb`` schema (triggers out of the entities, normalizations
attached).  Our reader does both steps and more: it checks every mention's
text against the text at its offsets, resolves repeated ids, normalises
roles, checks every reference and builds frozen records.

Its code is not part of this repository: give the path of a copy of
``parsing.py`` with ``--bigbio`` (the modules it imports but does not need
for these two functions -- ``bioc``, ``datasets``, ``bigbio.utils.constants``
-- are replaced by empty stand-ins when they are not installed).

Each side runs in a fresh child process, interleaved (ours, BigBIO parse,
BigBIO parse + kb) ``--repeat`` times; the medians of wall and CPU seconds are
printed, and the ratio of CPU seconds (less disturbed by other jobs on a
shared machine).  Before
timing, both sides' readings of every document are compared: the same
documents, the same text-bound annotations (id, type, offsets), events (id,
type, trigger, arguments) and relations (id, type, arguments).

    python benchmarks/bench_brat_bigbio.py --bigbio /path/to/parsing.py --folder /data/BioNLP-ST-2011-GE/original-data/train
    python benchmarks/bench_brat_bigbio.py --bigbio /path/to/parsing.py --synthetic 20000
    python benchmarks/bench_brat_bigbio.py ... --core /tmp/old   # our side from another checkout of medinst_core
    python benchmarks/bench_brat_bigbio.py ... --callgrind        # instructions instead of seconds

With ``--callgrind`` each side runs under ``valgrind --tool=callgrind`` twice,
reading the folder once and twice in one process (``PYTHONHASHSEED=0``): the
difference of the two instruction totals is one reading, without the start-up,
the imports and the first touch of the files.  Instruction counts do not
depend on the other jobs of the machine; they leave out the time spent in the
kernel (opening and reading the files), which the CPU seconds include.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path

import orjson
from _util import machine, table

SUFFIXES = [".a1", ".a2", ".ann"]


def load_bigbio(path: Path):
    """The module at ``path``, with stand-ins for the imports it does not need here."""
    for name in ("bioc", "datasets"):
        try:
            __import__(name)
        except ImportError:
            stub = types.ModuleType(name)
            stub.BioCAnnotation = object  # type: ignore[attr-defined]  # an annotation in a signature
            sys.modules[name] = stub
    try:
        __import__("bigbio.utils.constants")
    except ImportError:
        for name in ("bigbio", "bigbio.utils", "bigbio.utils.constants"):
            sys.modules[name] = types.ModuleType(name)

        class BigBioValues:
            NULL = "<BB_NULL_STR>"

        sys.modules["bigbio.utils.constants"].BigBioValues = BigBioValues  # type: ignore[attr-defined]
    spec = importlib.util.spec_from_file_location("bigbio_parsing", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def texts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.txt"))


def ours(folder: Path):
    from medinst_core.diagnostics import Diagnostics
    from medinst_core.readers.brat import read_brat
    from medinst_core.sources import SourceFiles

    files = SourceFiles(folder, {"data": tuple(texts(folder))})
    return read_brat(files, {"suffixes": SUFFIXES}, Diagnostics())


def bigbio(folder: Path, module, kb: bool):
    for txt in texts(folder):
        parsed = module.parse_brat_file(txt, SUFFIXES)
        yield module.brat_parse_to_bigbio_kb(parsed) if kb else parsed


def child(side: str, folder: Path, bigbio_path: Path, passes: int = 1) -> None:
    module = load_bigbio(bigbio_path) if side != "ours" else None
    if side == "ours":  # imports before the clock starts, as BigBIO's module is loaded above
        import medinst_core.readers.brat  # noqa: F401
        import medinst_core.sources  # noqa: F401
    t0, c0 = time.perf_counter(), time.process_time()
    n = 0
    for _ in range(passes):
        for _ in (ours(folder) if side == "ours" else bigbio(folder, module, side == "bigbio_kb")):
            n += 1
    n //= passes
    print(orjson.dumps({"docs": n, "seconds": time.perf_counter() - t0, "cpu": time.process_time() - c0}).decode())


def same_reading(folder: Path, module) -> int:
    """Compare both readings of every document; the number of documents."""
    theirs = {d["document_id"]: d for d in bigbio(folder, module, False)}
    n = 0
    for record in ours(folder):
        n += 1
        d = theirs.pop(record.id)
        mine_t = sorted([(e.id, e.type, [list(o) for o in e.offsets]) for e in record.entities])
        their_t = sorted((t["id"], t["type"], t["offsets"]) for t in d["text_bound_annotations"]
                         if t["id"] in {e.id for e in record.entities})
        assert mine_t == their_t, (record.id, mine_t, their_t)
        mine_e = sorted((e.id, e.type, [a.ref_id for a in e.arguments]) for e in record.events)
        their_e = sorted((e["id"], e["type"], [a["ref_id"] for a in e["arguments"]]) for e in d["events"])
        assert mine_e == their_e, (record.id, mine_e, their_e)
        mine_r = sorted((r.id, r.type, r.arg1_id, r.arg2_id) for r in record.relations)
        their_r = sorted((r["id"], r["type"], r["head"]["ref_id"], r["tail"]["ref_id"]) for r in d["relations"])
        assert mine_r == their_r, (record.id, mine_r, their_r)
    assert not theirs, sorted(theirs)[:5]
    return n


def _child_env(core: Path | None) -> dict[str, str] | None:
    if core is None:
        return None
    return dict(os.environ, PYTHONPATH=os.pathsep.join([str(core), os.environ.get("PYTHONPATH", "")]))


def run_child(side: str, folder: Path, bigbio_path: Path, core: Path | None) -> tuple[int, float, float]:
    proc = subprocess.run([sys.executable, __file__, "--child", side, "--folder", str(folder), "--bigbio", str(bigbio_path)],
                          capture_output=True, text=True, env=_child_env(core))
    if proc.returncode != 0:
        raise SystemExit(f"{side} failed:\n{proc.stderr}")
    result = orjson.loads(proc.stdout.splitlines()[-1])
    return result["docs"], result["seconds"], result["cpu"]


def instructions(side: str, folder: Path, bigbio_path: Path, core: Path | None, passes: int) -> int:
    """Instructions executed by a child process reading the folder ``passes`` times (callgrind)."""
    env = dict(_child_env(core) or os.environ, PYTHONHASHSEED="0")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        proc = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable, __file__,
                               "--child", side, "--folder", str(folder), "--bigbio", str(bigbio_path),
                               "--passes", str(passes)], capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            raise SystemExit(f"{side} under callgrind failed:\n{proc.stderr[-2000:]}")
        for line in out.read_text().splitlines():
            if line.startswith("totals:") or line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"no instruction total in callgrind's output for {side}")


def callgrind(folder: Path, bigbio_path: Path, core: Path | None, docs: int) -> None:
    sides = ("ours", "bigbio", "bigbio_kb")
    per_read = {}
    for side in sides:
        side_core = core if side == "ours" else None
        once = instructions(side, folder, bigbio_path, side_core, 1)
        twice = instructions(side, folder, bigbio_path, side_core, 2)
        per_read[side] = twice - once
    rows = [[s, f"{per_read[s] / 1e6:,.1f}", f"{per_read[s] / docs / 1e3:,.0f}", f"{per_read[s] / per_read['ours']:.2f}x"]
            for s in sides]
    print(table(rows, ["side", "M instructions per reading", "k instructions per doc", "instructions / ours"]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bigbio", type=Path, required=True, help="path of BigBIO's bigbio/utils/parsing.py (a copy)")
    ap.add_argument("--folder", type=Path, help="a folder of .txt + .a1/.a2/.ann files")
    ap.add_argument("--synthetic", type=int, default=0, help="generate this many documents (bench_readers' BRAT shape)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-brat"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--core", type=Path, help="a folder holding another medinst_core to time on our side")
    ap.add_argument("--callgrind", action="store_true", help="count instructions (valgrind) instead of timing")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.folder, args.bigbio, args.passes)
        return
    folder = args.folder
    if folder is None:
        if not args.synthetic:
            raise SystemExit("give --folder or --synthetic N")
        from bench_readers import write_brat

        folder = args.work / f"brat{args.synthetic}"
        if not folder.exists():
            write_brat(folder, args.synthetic)
    docs = same_reading(folder, load_bigbio(args.bigbio))
    print(f"machine: {machine()}")
    print(f"{folder}: {docs:,} documents read alike by both sides")
    if args.callgrind:
        callgrind(folder, args.bigbio, args.core, docs)
        return
    sides = ("ours", "bigbio", "bigbio_kb")
    wall: dict[str, list[float]] = {s: [] for s in sides}
    cpu: dict[str, list[float]] = {s: [] for s in sides}
    for _ in range(args.repeat):
        for side in sides:
            n, seconds, cpu_seconds = run_child(side, folder, args.bigbio, args.core if side == "ours" else None)
            assert n == docs, (side, n, docs)
            wall[side].append(seconds)
            cpu[side].append(cpu_seconds)
    mw = {s: statistics.median(v) for s, v in wall.items()}
    mc = {s: statistics.median(v) for s, v in cpu.items()}
    rows = [[s, f"{mw[s]:.2f}", f"{mc[s]:.2f}", ", ".join(f"{t:.2f}" for t in cpu[s]), f"{docs / mc[s]:,.0f}",
             f"{mc[s] / mc['ours']:.2f}x"] for s in sides]
    print(table(rows, ["side", "median wall s", "median CPU s", "CPU runs", "docs per CPU s", "CPU time / ours"]))

if __name__ == "__main__":
    main()
