"""BIOMRC at full size: build BIOMRC-shaped JSON Lines files (gzip, as released) through the real CLI.

BIOMRC large (setting A) has 700,000 / 50,000 / 62,707 instances in ``dataset_{train,val,test}.jsonl.gz``;
each line is ``{"abstract", "title", "entities_list", "answer"}`` with an abstract of about 250 words in which
entities are written ``@entityN`` and entity strings like ``@entity3 :: ('9606', 'Species') :: ['patients']``.
``biomrc.qa`` must stream: the ``jsonl`` reader decompresses and parses one line at a time and the pipeline
writes each sample as it is made.  This script writes synthetic files of that shape as
``<work>/data/biomrc_large/dataset_train.jsonl.gz`` at 1x (700,000 lines, the real training split) and 10x
(7,000,000: ten copies of the 1x file as one multi-member gzip file) by default and runs

    medinst build biomrc.qa --data-dir <work>/data --split train --out <work>/out

under ``/usr/bin/time``, which reports the build process's own peak resident memory.  Printed per size:
lines, input MB (gzip) and MB (uncompressed), seconds, lines/s, peak RSS (MiB), output MB.  Flat memory means
the peak does not grow with the number of lines.

Needs the ``medinst-biomrc`` plugin installed (``pip install -e plugins/medinst-biomrc``).

    python benchmarks/bench_biomrc.py [--lines 700000] [--scales 1,10] [--work /tmp/medinst-bench-biomrc] [--keep]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, medinst, table, timed  # noqa: E402

KINDS = [("Species", "9606"), ("Disease", "D003924"), ("Chemical", "D008687"), ("Gene", "672")]


def write_jsonl_gz(path: Path, lines: int, seed: int = 0) -> int:
    """Write ``lines`` BIOMRC-shaped lines; return the uncompressed size in bytes."""
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghilmnoprstuy") for _ in range(rng.randint(2, 11))) for _ in range(5000)]
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    # a pool of abstracts reused with shifted entity numbers keeps generation fast without identical lines
    pool = []
    for _ in range(200):
        words = rng.choices(vocab, k=rng.randint(180, 320))
        n = rng.randint(3, 14)
        for spot in rng.sample(range(len(words)), min(len(words), n * 2)):
            words[spot] = "@entity{}".format(rng.randrange(n))
        pool.append((" ".join(words), n))
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=6) as f:
        for i in range(lines):
            abstract, n = pool[i % len(pool)]
            ents = [f"@entity{k} :: ('{KINDS[k % 4][1]}', '{KINDS[k % 4][0]}') :: ['{vocab[(i + k) % 5000]}']"
                    for k in range(n)]
            answer = ents[i % n]
            line = json.dumps({"abstract": abstract, "title": f"XXXX and @entity{(i + 1) % n} in study {i}",
                               "entities_list": ents, "answer": answer}) + "\n"
            size += len(line)
            f.write(line)
    return size


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=700_000, help="1x: the lines of BIOMRC large's training file")
    ap.add_argument("--scales", default="1,10", help="comma-separated multiples of --lines (e.g. 0.1,1,10)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-biomrc"))
    ap.add_argument("--keep", action="store_true", help="keep the generated files")
    args = ap.parse_args()
    env = dict(os.environ, MEDINST_LOAD_PLUGINS="biomrc")
    rows_out = []
    for scale in (float(s) for s in args.scales.split(",")):
        lines = int(args.lines * scale)
        work = args.work / str(lines)
        shutil.rmtree(work, ignore_errors=True)
        path = work / "data" / "biomrc_large" / "dataset_train.jsonl.gz"
        t0 = time.perf_counter()
        if scale > 1 and scale == int(scale):
            # n copies of the 1x file as one multi-member gzip file (read as one stream, like a single member)
            one = args.work / "1x.jsonl.gz"
            if not one.exists():
                one_raw = write_jsonl_gz(one, args.lines)
                one.with_suffix(".size").write_text(str(one_raw))
            raw = int(one.with_suffix(".size").read_text()) * int(scale)
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as f:
                for _ in range(int(scale)):
                    with open(one, "rb") as g:
                        shutil.copyfileobj(g, f)
        else:
            raw = write_jsonl_gz(path, lines)
        generated = time.perf_counter() - t0
        out = work / "out"
        seconds, peak = timed(
            medinst("build", "biomrc.qa", "--data-dir", str(work / "data"), "--split", "train", "--out", str(out)), env
        )
        jsonl = out / "biomrc.qa" / "train.jsonl"
        with open(jsonl, "rb") as f:
            samples = sum(1 for _ in f)
        if samples != lines:
            raise SystemExit(f"{lines} lines gave {samples} samples")
        rows_out.append([f"{scale:g}x", f"{lines:,}", f"{path.stat().st_size / 1e6:.0f}", f"{raw / 1e6:.0f}",
                         f"{seconds:.1f}", f"{lines / seconds:,.0f}", f"{peak:.0f}",
                         f"{jsonl.stat().st_size / 1e6:.0f}", f"{generated:.1f}"])
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
        print(rows_out[-1], flush=True)
    shutil.rmtree(args.work, ignore_errors=True) if not args.keep else None
    print(f"machine: {machine()}")
    print(table(rows_out, ["scale", "lines", "input MB (gz)", "MB (raw)", "build s", "lines/s", "peak RSS MiB",
                           "output MB", "gen s"]))


if __name__ == "__main__":
    main()
