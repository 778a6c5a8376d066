"""Build throughput, scaling and memory per format family, through the real CLI.

Generates synthetic corpora in each native format (PubTator, BRAT standoff,
BioC XML, CoNLL, JSONL QA) at three sizes spanning 100x, exposes them to
``medinst`` through a throw-away benchmark plugin (a package plus a
``.dist-info`` with a ``medinst`` entry point on PYTHONPATH: nothing is
installed), and measures for each:

* ``medinst build`` time, samples/s, input MB/s and peak RSS (flat = streaming);
* the floor: reading the same input bytes and writing the same output lines
  with orjson, and the ratio build / floor;
* validation cost: ``--validate none`` vs ``fast`` (default) vs ``full``;
* parallel build: the 15 tasks (every family at every size) with ``--jobs 1`` vs ``--jobs 2``.

    python benchmarks/bench_build.py --scale 1      # sizes x1, x10, x100 of the base
    python benchmarks/bench_build.py --sizes 100,1000 --memory-only   # the largest size and 10x it
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import orjson

from _util import machine, medinst, table

WORDS = "protein kinase binds receptor cells tumour growth expression gene mutation patients therapy".split()


def sentence(rng: random.Random, n: int = 18) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def doc_with_mentions(rng: random.Random) -> tuple[str, str, list[tuple[int, int, str]]]:
    title, abstract = sentence(rng, 10).capitalize() + ".", " ".join(sentence(rng).capitalize() + "." for _ in range(6))
    text = title + " " + abstract
    mentions, pos = [], 0
    for _ in range(8):
        start = text.find("gene", pos)
        if start < 0:
            break
        mentions.append((start, start + 4, "Gene"))
        pos = start + 5
    return title, abstract, mentions


def gen_pubtator(folder: Path, docs: int, rng: random.Random) -> None:
    with open(folder / "bench.PubTator", "w") as f:
        for i in range(docs):
            title, abstract, mentions = doc_with_mentions(rng)
            f.write(f"{i}|t|{title}\n{i}|a|{abstract}\n")
            for s, e, t in mentions:
                f.write(f"{i}\t{s}\t{e}\tgene\t{t}\t{1000 + s}\n")
            f.write("\n")


def gen_brat(folder: Path, docs: int, rng: random.Random) -> None:
    d = folder / "brat"
    d.mkdir()
    for i in range(docs):
        title, abstract, mentions = doc_with_mentions(rng)
        (d / f"D{i}.txt").write_text(title + "\n" + abstract)
        (d / f"D{i}.a1").write_text("".join(f"T{j}\t{t} {s} {e}\tgene\n" for j, (s, e, t) in enumerate(mentions, 1)))


def gen_bioc(folder: Path, docs: int, rng: random.Random) -> None:
    from xml.sax.saxutils import escape

    with open(folder / "bench.BioC.xml", "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<collection><source>bench</source><date>2026</date><key>k</key>\n')
        for i in range(docs):
            title, abstract, mentions = doc_with_mentions(rng)
            f.write(f"<document><id>{i}</id>")
            f.write(f'<passage><infon key="type">title</infon><offset>0</offset><text>{escape(title)}</text></passage>')
            f.write(f'<passage><infon key="type">abstract</infon><offset>{len(title) + 1}</offset><text>{escape(abstract)}</text>')
            for j, (s, e, t) in enumerate(mentions):
                f.write(f'<annotation id="{j}"><infon key="type">{t}</infon><infon key="identifier">{1000 + s}</infon>'
                        f'<location offset="{s}" length="{e - s}"/><text>gene</text></annotation>')
            f.write("</passage></document>\n")
        f.write("</collection>\n")


def gen_conll(folder: Path, sentences: int, rng: random.Random) -> None:
    with open(folder / "bench.conll", "w") as f:
        for _ in range(sentences):
            for w in sentence(rng, 20).split():
                f.write(f"{w}\t{'B-Gene' if w == 'gene' else 'O'}\n")
            f.write("\n")


def gen_jsonl(folder: Path, items: int, rng: random.Random) -> None:
    with open(folder / "bench.jsonl", "wb") as f:
        for i in range(items):
            options = {k: sentence(rng, 3) for k in "ABCD"}
            f.write(orjson.dumps({"question": sentence(rng, 40) + "?", "options": options, "answer_idx": "B",
                                  "answer": options["B"]}) + b"\n")


FAMILIES = {
    # name: (generator, base count, reader, options, formatter, file pattern, unit)
    "pubtator": (gen_pubtator, 1000, "pubtator", {}, "ner_entities", "bench.PubTator", "docs"),
    "brat": (gen_brat, 200, "brat", {"suffixes": [".a1"]}, "ner_entities", "brat/*.txt", "docs"),
    "bioc": (gen_bioc, 1000, "bioc_xml", {}, "ner_entities", "bench.BioC.xml", "docs"),
    "conll": (gen_conll, 10000, "conll", {}, "ner_bio", "bench.conll", "sentences"),
    "jsonl": (gen_jsonl, 5000, "jsonl", {"record": "qa", "fields": {
        "question": "question", "type": {"const": "multiple_choice"}, "choices": {"path": "options", "values": True},
        "choice_labels": {"path": "options", "keys": True}, "answers": {"path": "answer", "list": True}}},
        "qa", "bench.jsonl", "questions"),
}


SIZES = (1, 10, 100)


def make_plugin(site: Path) -> None:
    """The benchmark plugin: per family a task ``benchplugin.<family>`` (its
    file found anywhere below --data-dir) and, for the parallel build, one task
    per family and size, ``benchplugin.<family>_x<size>``, reading the folder
    ``<family>-<size>`` of the shared data root."""
    pkg = site / "medinst_benchplugin"
    (pkg / "tasks").mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from pathlib import Path\nfrom medinst_core import hookimpl\n\n"
        "@hookimpl\ndef register_tasks(register):\n    register(Path(__file__).parent / 'tasks')\n")
    for fam, (_, _, reader, options, formatter, pattern, _) in FAMILIES.items():
        for task, where in [(fam, pattern)] + [(f"{fam}_x{m}", f"{fam}-{m}/{pattern}") for m in SIZES]:
            manifest = {
                "id": f"benchplugin.{task}", "version": 1, "name": f"bench {task}", "description": "Synthetic benchmark task.",
                "category": "QA" if fam == "jsonl" else "NER",
                "dataset": {"name": "bench", "homepage": "https://example.org/bench", "citation": "none",
                            "license": "CC0-1.0", "access": "public"},
                "source": {"reader": reader, "options": options, "splits": {"train": [where]}},
                "formatter": {"name": formatter}, "empty_output": "drop",
                "instructions": ["A synthetic benchmark instruction text."], "metrics": ["entity_f1"],
            }
            (pkg / "tasks" / f"{task}.json").write_text(json.dumps(manifest))
    dist = site / "medinst_benchplugin-0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: medinst-benchplugin\nVersion: 0\n")
    (dist / "entry_points.txt").write_text("[medinst]\nbenchplugin = medinst_benchplugin\n")


def timed(cmd: list[str], env: dict, *, cpu: bool = False) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of a command; with ``cpu``, (user + system
    CPU seconds, peak RSS MiB), which other jobs on the machine disturb less."""
    t0 = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-f", "%U %S %M", *cmd], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stdout}\n{proc.stderr}")
    user, system, rss = proc.stderr.strip().splitlines()[-1].split()
    return (float(user) + float(system) if cpu else elapsed), int(rss) / 1024


def floor(inputs: list[Path], output: Path, scratch: Path) -> float:
    t0 = time.perf_counter()
    for path in inputs:
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass
    with open(output, "rb") as src, open(scratch, "wb") as dst:
        for line in src:
            dst.write(orjson.dumps(orjson.loads(line)) + b"\n")
    return time.perf_counter() - t0


def main() -> None:
    global SIZES
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--scale", type=float, default=1.0, help="Multiply the base sizes (x1, x10, x100 of the base are run).")
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-build"))
    ap.add_argument("--families", default=",".join(FAMILIES))
    ap.add_argument("--sizes", default=",".join(str(m) for m in SIZES),
                    help="Multiples of the base size to run; --sizes 100,1000 compares the largest size with 10x it "
                         "(peak memory from 1x to 10x).")
    ap.add_argument("--memory-only", action="store_true", help="Only the build table (no validation or --jobs runs).")
    args = ap.parse_args()
    SIZES = tuple(int(m) for m in args.sizes.split(","))
    shutil.rmtree(args.work, ignore_errors=True)
    site = args.work / "site"
    make_plugin(site)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
               MEDINST_LOAD_PLUGINS="benchplugin")
    rng = random.Random(0)
    rows, vrows = [], []
    for fam in args.families.split(","):
        gen, base, *_rest, unit = FAMILIES[fam]
        for mult in SIZES:
            n = int(base * args.scale * mult)
            data = args.work / "data" / f"{fam}-{mult}"
            data.mkdir(parents=True)
            gen(data, n, rng)
            inputs = [p for p in data.rglob("*") if p.is_file()]
            size_mb = sum(p.stat().st_size for p in inputs) / 1e6
            out = args.work / f"out-{fam}-{mult}"
            seconds, rss = timed(medinst("build", f"benchplugin.{fam}", "--data-dir", str(data), "--out", str(out)), env)
            samples = orjson.loads((out / "build.json").read_bytes())["tasks"][f"benchplugin.{fam}"]["splits"]["train"]["samples"]
            fl = floor(inputs, out / f"benchplugin.{fam}" / "train.jsonl", args.work / "floor.jsonl")
            rows.append([fam, f"{n:,} {unit}", f"{size_mb:.1f}", f"{samples:,}", f"{seconds:.2f}", f"{samples / seconds:,.0f}",
                         f"{size_mb / seconds:.1f}", f"{rss:.0f}", f"{fl:.2f}", f"{seconds / fl:.1f}x"])
            if mult == SIZES[-1] and not args.memory_only:
                # CPU seconds, best of two runs: the differences are small
                vt = {}
                for mode in ("none", "fast", "full"):
                    vt[mode] = min(
                        timed(medinst("build", f"benchplugin.{fam}", "--data-dir", str(data), "--out",
                                      str(args.work / "v"), "--validate", mode), env, cpu=True)[0]
                        for _ in range(2)
                    )
                vrows.append([fam, f"{vt['none']:.2f}", f"{vt['fast']:.2f}", f"{vt['full']:.2f}",
                              f"{100 * (vt['fast'] - vt['none']) / vt['none']:.0f}%",
                              f"{100 * (vt['full'] - vt['none']) / vt['none']:.0f}%"])
            shutil.rmtree(out)
    print(f"machine: {machine()}")
    print(table(rows, ["format", "input", "MB", "samples", "build s", "samples/s", "MB/s", "peak MiB", "floor s", "build/floor"]))
    print()
    print(table(vrows, ["format", "none cpu s", "fast cpu s", "full cpu s", "fast cost", "full cost"]))
    if args.memory_only:
        return
    # parallel: every family at every size, one task each (15 tasks of very
    # different sizes, like a MedINST rebuild), all below one data folder
    ids = [f"benchplugin.{fam}_x{m}" for fam in args.families.split(",") for m in SIZES]
    data_root = str(args.work / "data")
    runs = {}
    for jobs in (1, 2):
        runs[jobs], _ = timed(medinst("build", *ids, "--data-dir", data_root, "--out", str(args.work / f"j{jobs}"),
                                      "--jobs", str(jobs)), env)
    largest = max(
        split["elapsed_s"]
        for task in orjson.loads((args.work / "j1" / "build.json").read_bytes())["tasks"].values()
        for split in task["splits"].values()
    )
    print()
    print(table([[len(ids), f"{runs[1]:.2f}", f"{runs[2]:.2f}", f"{runs[1] / runs[2]:.2f}x",
                  f"{largest:.2f}", f"{runs[1] / max(largest, runs[1] / 2):.2f}x"]],
                ["tasks", "--jobs 1 s", "--jobs 2 s", "speed-up", "largest split s", "best possible"]))


if __name__ == "__main__":
    sys.exit(main())
