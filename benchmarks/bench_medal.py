"""MeDAL at full size: build MeDAL-shaped CSVs of 10,000, 100,000 and 1,000,000 rows through the real CLI.

MeDAL's splits are CSV files of 3M / 1M / 1M rows (``ABSTRACT_ID,TEXT,LOCATION,LABEL``, about 1.3 kB a row), so
``medal.ned`` must stream: the ``csv`` reader reads one row at a time and the pipeline writes each sample as it
is made.  This script writes synthetic files of that shape (abstracts of about 180 lower-case words with
upper-case abbreviations, three or four rows per abstract as in the real files, a few quoted texts with
commas) as ``<work>/MeDAL/valid.csv`` and runs

    medinst build medal.ned --data-dir <work> --split dev --out <work>/out

under ``/usr/bin/time``, which reports the build process's own peak resident memory.  Printed per size:
rows, input MB, seconds, rows/s, input MB/s, peak RSS (MiB) and output MB.  Flat memory means the peak does
not grow with the number of rows.

Needs the ``medinst-medal`` plugin installed (``pip install -e plugins/medinst-medal``).

    python benchmarks/bench_medal.py [--rows 1000000] [--work /tmp/medinst-bench-medal] [--keep]
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

ABBREVIATIONS = {
    "AF": ["atrial fibrillation", "amniotic fluid"], "MS": ["multiple sclerosis", "mass spectrometry"],
    "RA": ["rheumatoid arthritis", "right atrium"], "CRP": ["c reactive protein"], "MG": ["magnesium"],
    "HG": ["hyperglycemia", "hypoglycemia"], "CS": ["carcinosarcoma", "cesarean section"], "OD": ["optical density"],
    "BP": ["blood pressure"], "PE": ["pulmonary embolism", "pleural effusion"],
}


def write_csv(path: Path, rows: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghilmnoprstu") for _ in range(rng.randint(2, 11))) for _ in range(5000)]
    abbrevs = list(ABBREVIATIONS)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    abstract = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("ABSTRACT_ID,TEXT,LOCATION,LABEL\n")
        while written < rows:
            abstract += 1
            words = rng.choices(vocab, k=rng.randint(120, 240))
            spots = sorted(rng.sample(range(len(words)), 4))
            for spot in spots:
                words[spot] = rng.choice(abbrevs)
            if rng.random() < 0.02:  # a text with a comma, written quoted
                words[next(i for i in range(len(words)) if i not in spots)] += ","
            text = " ".join(words)
            field = f'"{text}"' if "," in text else text
            for spot in spots[: rng.randint(3, 4)]:
                if written == rows:
                    break
                label = rng.choice(ABBREVIATIONS[words[spot]])
                f.write(f"{abstract},{field},{spot},{label}\n")
                written += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="the largest size (the others are /100 and /10)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-medal"))
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    env = dict(os.environ, MEDINST_LOAD_PLUGINS="medal")
    rows_out = []
    for rows in (args.rows // 100, args.rows // 10, args.rows):
        work = args.work / str(rows)
        shutil.rmtree(work, ignore_errors=True)
        csv_path = work / "data" / "MeDAL" / "valid.csv"
        t0 = time.perf_counter()
        write_csv(csv_path, rows)
        generated = time.perf_counter() - t0
        mb_in = csv_path.stat().st_size / 1e6
        out = work / "out"
        seconds, peak = timed(
            medinst("build", "medal.ned", "--data-dir", str(work / "data"), "--split", "dev", "--out", str(out)), env
        )
        jsonl = out / "medal.ned" / "dev.jsonl"
        with open(jsonl, "rb") as f:
            samples = sum(1 for _ in f)
        if samples != rows:
            raise SystemExit(f"{rows} rows gave {samples} samples")
        mb_out = jsonl.stat().st_size / 1e6
        rows_out.append([f"{rows:,}", f"{mb_in:.0f}", f"{seconds:.1f}", f"{rows / seconds:,.0f}",
                         f"{mb_in / seconds:.1f}", f"{peak:.0f}", f"{mb_out:.0f}", f"{generated:.1f}"])
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {machine()}")
    print(table(rows_out, ["rows", "input MB", "build s", "rows/s", "MB/s", "peak RSS MiB", "output MB", "gen s"]))


if __name__ == "__main__":
    main()
