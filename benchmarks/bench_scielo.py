"""SciELO at full size: build a synthetic SciELO-shaped parallel corpus of 3,006,699 pairs (and 1/100, 1/10 of it).

MedINST's SciELO configuration is the English-Spanish (177,782 pairs) and English-Portuguese (2,828,917) parts
of the SciELO parallel corpus in one training split, so ``scielo.transl`` must stream: the ``parallel_text``
reader reads the two files of a pair line by line together and the pipeline writes each sample as it is made.
This script writes four files of that shape (``en_es.en``/``en_es.es`` and ``en_pt.en``/``en_pt.pt``, the two
parts in MedINST's proportion, sentences of 8 to 45 words of about 6 letters, a few with CRLF line ends and
surrounding spaces) below ``<work>/data/scielo`` and runs

    medinst build scielo.transl --data-dir <work>/data --out <work>/out

under ``/usr/bin/time``, which reports the build process's own peak resident memory.  Printed per size:
pairs, input MB, seconds, pairs/s, input MB/s, peak RSS (MiB), output MB.  Flat memory means the peak does not
grow with the number of pairs.

Needs the ``medinst-scielo`` plugin installed (``pip install -e plugins/medinst-scielo``).

    python benchmarks/bench_scielo.py [--pairs 3006699] [--work /tmp/medinst-bench-scielo] [--keep]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, medinst, table, timed  # noqa: E402

FULL = 3_006_699
EN_ES = 177_782  # of FULL; the rest is English-Portuguese


def write_pair(folder: Path, stem: str, target: str, pairs: int, seed: int) -> None:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghilmnoprstuv") for _ in range(rng.randint(2, 11))) for _ in range(8000)]
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{stem}.en", "w", encoding="utf-8", newline="") as en, \
         open(folder / f"{stem}.{target}", "w", encoding="utf-8", newline="") as other:
        for i in range(pairs):
            words = rng.choices(vocab, k=rng.randint(8, 45))
            end = "\r\n" if i % 997 == 0 else "\n"
            en.write(" ".join(words).capitalize() + "." + end)
            pad = "  " if i % 991 == 0 else ""
            other.write(pad + " ".join(reversed(words)).capitalize() + f" ({target})." + pad + end)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pairs", type=int, default=FULL, help="the largest size (the others are /100 and /10)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-scielo"))
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    env = dict(os.environ, MEDINST_LOAD_PLUGINS="scielo")
    rows = []
    for pairs in (args.pairs // 100, args.pairs // 10, args.pairs):
        work = args.work / str(pairs)
        shutil.rmtree(work, ignore_errors=True)
        data = work / "data" / "scielo"
        es = round(pairs * EN_ES / FULL)
        t0 = time.perf_counter()
        write_pair(data, "en_es", "es", es, seed=1)
        write_pair(data, "en_pt", "pt", pairs - es, seed=2)
        generated = time.perf_counter() - t0
        mb_in = sum(p.stat().st_size for p in data.iterdir()) / 1e6
        out = work / "out"
        seconds, peak = timed(medinst("build", "scielo.transl", "--data-dir", str(work / "data"), "--out", str(out)), env)
        jsonl = out / "scielo.transl" / "train.jsonl"
        with open(jsonl, "rb") as f:
            samples = sum(1 for _ in f)
        if samples != pairs:
            raise SystemExit(f"{pairs} pairs gave {samples} samples")
        mb_out = jsonl.stat().st_size / 1e6
        rows.append([f"{pairs:,}", f"{mb_in:.0f}", f"{seconds:.1f}", f"{pairs / seconds:,.0f}",
                     f"{mb_in / seconds:.1f}", f"{peak:.0f}", f"{mb_out:.0f}", f"{generated:.1f}"])
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(table(rows, ["pairs", "input MB", "build s", "pairs/s", "MB/s", "peak RSS MiB", "output MB", "gen s"]))


if __name__ == "__main__":
    main()
