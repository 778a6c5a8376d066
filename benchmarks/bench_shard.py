"""One large split built by one process and by two (``--jobs 2`` cuts its file into two byte ranges, or a split
of many files into two groups of files).

Four inputs: a MeDAL-shaped CSV (``medal.ned``, the rows of ``bench_medal.py``: about 1.3 kB a row, a few quoted
texts), a CoNLL file of sentences of 20 tokens (``ncbi_disease.ner``, ``bench_build.py``'s generator, a
``-DOCSTART-`` line every 50 sentences), a BRAT folder of 20,000 documents (``.txt`` + ``.a1`` each, the documents
of ``bench_build.py``) and a PubTator collection of 200 files of 500 documents.  Each is built with ``--jobs 1``
and ``--jobs 2``, the two runs interleaved (``--repeats`` pairs); printed: the median seconds of each, the speed-up
(median of the paired ratios), the CPU seconds of each (user + system, workers included: the work added by
cutting, less disturbed by other load than wall time; for ``--jobs 2`` also split between the building process
and its workers), and whether the two outputs and build.json (timings aside)
are byte-identical.

The CSV and CoNLL inputs need the ``medinst-medal`` and ``medinst-ncbi-disease`` plugins; the BRAT and PubTator
tasks come from a throw-away benchmark plugin put on PYTHONPATH (nothing is installed).

    python benchmarks/bench_shard.py [--rows 1000000] [--sentences 1000000] [--documents 20000]
                                     [--pubtator-files 200] [--repeats 3] [--only csv|conll|brat|pubtator]
                                     [--work DIR] [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import machine, medinst, table  # noqa: E402
from bench_build import doc_with_mentions  # noqa: E402
from bench_medal import write_csv  # noqa: E402

WORDS = "protein kinase binds receptor cells tumour growth expression gene mutation patients therapy".split()


def write_conll(path: Path, sentences: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(sentences):
            if i % 50 == 0:
                f.write("-DOCSTART-\tO\n\n")
            for _ in range(20):
                w = rng.choice(WORDS)
                f.write(f"{w}\t{'B-Disease' if w == 'mutation' else 'O'}\n")
            f.write("\n")


def write_brat(folder: Path, documents: int, seed: int = 0) -> None:
    """``documents`` documents ``D<i>.txt`` with their ``D<i>.a1`` (gene mentions)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(documents):
        title, abstract, mentions = doc_with_mentions(rng)
        (folder / f"D{i:05d}.txt").write_text(title + "\n" + abstract)
        (folder / f"D{i:05d}.a1").write_text("".join(f"T{j}\tGene {s} {e}\tgene\n" for j, (s, e, _) in enumerate(mentions, 1)))


def write_pubtator_files(folder: Path, files: int, documents: int, seed: int = 0) -> None:
    """``files`` PubTator files of ``documents`` documents each (PMIDs unique over the files)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pmid = 0
    for k in range(files):
        with open(folder / f"part{k:04d}.PubTator", "w", encoding="utf-8") as f:
            for _ in range(documents):
                pmid += 1
                title, abstract, mentions = doc_with_mentions(rng)
                f.write(f"{pmid}|t|{title}\n{pmid}|a|{abstract}\n")
                for s, e, t in mentions:
                    f.write(f"{pmid}\t{s}\t{e}\tgene\t{t}\t{1000 + s}\n")
                f.write("\n")


DOCUMENT_TASKS = {
    # task: (reader, options, file pattern)
    "benchshard.brat": ("brat", {"suffixes": [".a1"]}, "brat/*.txt"),
    "benchshard.pubtator": ("pubtator", {}, "pubtator/*.PubTator"),
}


def make_plugin(site: Path) -> None:
    """A plugin with the document-set tasks of :data:`DOCUMENT_TASKS`, found through a ``.dist-info`` entry point."""
    pkg = site / "medinst_benchshard"
    (pkg / "tasks").mkdir(parents=True, exist_ok=True)
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\nfrom medinst_core import hookimpl\n\n"
        "@hookimpl\ndef register_tasks(register):\n    register(Path(__file__).parent / 'tasks')\n")
    for task, (reader, options, pattern) in DOCUMENT_TASKS.items():
        manifest = {
            "id": task, "version": 1, "name": task, "description": "Synthetic benchmark task.", "category": "NER",
            "dataset": {"name": "bench", "homepage": "https://example.org/bench", "citation": "none",
                        "license": "CC0-1.0", "access": "public"},
            "source": {"reader": reader, "options": options, "splits": {"train": [pattern]}},
            "formatter": {"name": "ner_entities"}, "empty_output": "drop",
            "instructions": ["A synthetic benchmark instruction text."], "metrics": ["entity_f1"],
        }
        (pkg / "tasks" / f"{task.split('.')[1]}.json").write_text(json.dumps(manifest))
    dist = site / "medinst_benchshard-0.dist-info"
    dist.mkdir(exist_ok=True)
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: medinst-benchshard\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[medinst]\nbenchshard = medinst_benchshard\n")


def build_info(folder: Path) -> bytes:
    info = orjson.loads((folder / "build.json").read_bytes())
    info["last_run"].pop("elapsed_s", None)
    for task in info["tasks"].values():
        for split in task["splits"].values():
            split.pop("elapsed_s", None)
    return orjson.dumps(info, option=orjson.OPT_SORT_KEYS)


#: runs the command line in-process, then prints the CPU seconds of this process and of its workers
_CPU_SPLIT = (
    "import resource, sys\n"
    "from medinst_core.cli import main\n"
    "try:\n    main(sys.argv[1:])\n"
    "except SystemExit as exc:\n    code = exc.code\n"
    "else:\n    code = 0\n"
    "own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)\n"
    "print('cpu', own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime, file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def timed_cpu(cmd: list[str], env: dict) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the building process and of its workers (user + system)."""
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", _CPU_SPLIT, *cmd[1:]], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    _, own, workers = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, float(own), float(workers)


def compare(work: Path, task: str, split: str, data: Path, repeats: int, env: dict) -> list:
    times: dict[int, list[float]] = {1: [], 2: []}
    cpu: dict[int, list[float]] = {1: [], 2: []}
    split_cpu: list[tuple[float, float]] = []  # --jobs 2: (building process, workers)
    for r in range(repeats):
        for jobs in ((1, 2) if r % 2 == 0 else (2, 1)):  # interleaved, alternating which goes first
            out = work / f"out{jobs}"
            shutil.rmtree(out, ignore_errors=True)
            seconds, own, workers = timed_cpu(medinst("build", task, "--data-dir", str(data), "--split", split,
                                                      "--out", str(out), "--jobs", str(jobs)), env)
            times[jobs].append(seconds)
            cpu[jobs].append(own + workers)
            if jobs == 2:
                split_cpu.append((own, workers))
            print(f"  {task} --jobs {jobs}: {seconds:.1f} s, {own + workers:.1f} CPU s ({own:.1f} building process, "
                  f"{workers:.1f} workers), load {os.getloadavg()[0]:.1f}", file=sys.stderr, flush=True)
    a, b = work / "out1", work / "out2"
    target = f"{task}/{split}.jsonl"
    same = (a / target).read_bytes() == (b / target).read_bytes() and build_info(a) == build_info(b)
    ratios = [s / p for s, p in zip(times[1], times[2])]
    return [f"{statistics.median(times[1]):.1f}", f"{statistics.median(times[2]):.1f}",
            f"{statistics.median(ratios):.2f}x", f"{statistics.median(cpu[1]):.1f}", f"{statistics.median(cpu[2]):.1f}",
            f"{statistics.median(o for o, _ in split_cpu):.1f} / {statistics.median(w for _, w in split_cpu):.1f}",
            "yes" if same else "NO"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000, help="CSV rows (MeDAL's training file has 3,000,000)")
    ap.add_argument("--sentences", type=int, default=1_000_000)
    ap.add_argument("--documents", type=int, default=20_000, help="BRAT documents (two files each)")
    ap.add_argument("--pubtator-files", type=int, default=200, help="PubTator files of 500 documents")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--only", choices=["csv", "conll", "brat", "pubtator"])
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-shard"))
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ, MEDINST_LOAD_PLUGINS="medal,ncbi_disease")
    rows = []
    # one large file of a plugin's task: (name, file below data/, generator, count, task, what)
    single = [("csv", "MeDAL/train.csv", write_csv, args.rows, "medal.ned", f"CSV (medal.ned), {args.rows:,} rows"),
              ("conll", "NCBI-disease-IOB/train.tsv", write_conll, args.sentences, "ncbi_disease.ner",
               f"CoNLL (ncbi_disease.ner), {args.sentences:,} sentences")]
    for name, rel, generate, count, task, what in single:
        if args.only not in (None, name):
            continue
        work = args.work / name
        path = work / "data" / rel
        if not path.exists():
            generate(path, count)
        mb = path.stat().st_size / 1e6
        rows.append([what, f"{mb:,.0f}", *compare(work, task, "train", work / "data", args.repeats, env)])
    if args.only in (None, "brat", "pubtator"):
        site = args.work / "site"
        make_plugin(site)
        denv = dict(os.environ, MEDINST_LOAD_PLUGINS="benchshard",
                    PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]))
    if args.only in (None, "brat"):
        work = args.work / "brat"
        folder = work / "data" / "brat"
        if not folder.exists():
            write_brat(folder, args.documents)
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        rows.append([f"BRAT folder (brat), {args.documents:,} documents", f"{mb:,.0f}",
                     *compare(work, "benchshard.brat", "train", work / "data", args.repeats, denv)])
    if args.only in (None, "pubtator"):
        work = args.work / "pubtator"
        folder = work / "data" / "pubtator"
        if not folder.exists():
            write_pubtator_files(folder, args.pubtator_files, 500)
        mb = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
        rows.append([f"PubTator, {args.pubtator_files} files x 500 documents", f"{mb:,.0f}",
                     *compare(work, "benchshard.pubtator", "train", work / "data", args.repeats, denv)])
    print(machine())
    print(f"load average before the last run: {os.getloadavg()[0]:.1f}; {args.repeats} interleaved pairs")
    print(table(rows, ["input", "MB", "--jobs 1 s", "--jobs 2 s", "speed-up", "CPU s (1)", "CPU s (2)",
                       "(2): building / workers", "identical"]))
    if not args.keep:
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
