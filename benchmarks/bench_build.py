"""Build throughput, scaling and memory per format family, through the real CLI.

Generates synthetic corpora in each native format (PubTator, BRAT standoff,
BioC XML, CoNLL, JSONL QA) at three sizes spanning 100x, exposes them to
``medinst`` through a throw-away benchmark plugin (a package plus a
``.dist-info`` with a ``medinst`` entry point on PYTHONPATH: nothing is
installed), and measures for each:

* ``medinst build`` time, samples/s, input MB/s and peak RSS (flat = streaming);
* the floor: reading the same input bytes and ``orjson.loads`` +
  ``orjson.dumps`` of as many lines as the build wrote (nothing written), and
  the ratio build / floor, medians of ``--rounds`` (3) interleaved runs;
  ``--baseline DIR`` runs another source tree's build on the same files in
  between (a paired before/after);
* validation cost: ``--validate none`` vs ``fast`` (default) vs ``full``;
* parallel build: the 15 tasks (every family at every size) with ``--jobs 1`` vs ``--jobs 2``.

    python benchmarks/bench_build.py --scale 1      # sizes x1, x10, x100 of the base
    python benchmarks/bench_build.py --sizes 100,1000 --memory-only   # the largest size and 10x it
    python benchmarks/bench_build.py --sizes 100 --memory-only --baseline ../main --cpu   # paired before/after
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


def floor(inputs: list[Path], lines: list[bytes], clock=time.perf_counter) -> float:
    """What the machine needs to move the same bytes, with no parsing at all:
    read the input bytes and orjson-load and dump as many lines as the build
    wrote (the lines, read before the clock starts, are the build's own)."""
    loads, dumps = orjson.loads, orjson.dumps
    t0 = clock()
    for path in inputs:
        with open(path, "rb") as f:
            while f.read(1 << 20):
                pass
    for line in lines:
        dumps(loads(line))
    return clock() - t0


def paired(build_cmd: list[str], env: dict, inputs: list[Path], output: Path, rounds: int,
           base_env: dict | None = None, cpu: bool = False) -> dict:
    """``rounds`` interleaved runs of the build (and of the baseline's build,
    when given) each followed by the floor: medians of the build seconds, the
    floor seconds, build/floor per run, and the largest peak RSS."""
    runs: dict[str, list] = {"build": [], "floor": [], "ratio": [], "rss": [], "base": [], "base_ratio": []}
    for _ in range(rounds):
        for which, e in (("base", base_env), ("build", env)):
            if e is None:
                continue
            seconds, rss = timed(build_cmd, e, cpu=cpu)
            lines = output.read_bytes().splitlines()
            fl = floor(inputs, lines, time.process_time if cpu else time.perf_counter)
            runs[which].append(seconds)
            runs["base_ratio" if which == "base" else "ratio"].append(seconds / fl)
            if which == "build":
                runs["floor"].append(fl)
                runs["rss"].append(rss)
    return {k: (statistics.median(v) if k != "rss" else max(v)) if v else None for k, v in runs.items()}


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
    ap.add_argument("--rounds", type=int, default=3, help="Runs of each build (and floor); medians are shown.")
    ap.add_argument("--baseline", type=Path,
                    help="A source tree (a checkout's root, holding medinst_core/ and schema/) whose build is run "
                         "interleaved with this one on the same files: its time, ratio and the speed-up are shown.")
    ap.add_argument("--cpu", action="store_true",
                    help="Time the builds and the floor in CPU seconds (user + system) instead of wall seconds: "
                         "less disturbed when other jobs share the machine.")
    args = ap.parse_args()
    SIZES = tuple(int(m) for m in args.sizes.split(","))
    shutil.rmtree(args.work, ignore_errors=True)
    site = args.work / "site"
    make_plugin(site)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
               MEDINST_LOAD_PLUGINS="benchplugin")
    base_env = None
    if args.baseline is not None:
        base_env = dict(env, PYTHONPATH=os.pathsep.join([str(args.baseline.resolve()), env["PYTHONPATH"]]))
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
            cmd = medinst("build", f"benchplugin.{fam}", "--data-dir", str(data), "--out", str(out))
            m = paired(cmd, env, inputs, out / f"benchplugin.{fam}" / "train.jsonl", args.rounds, base_env, args.cpu)
            seconds = m["build"]
            samples = orjson.loads((out / "build.json").read_bytes())["tasks"][f"benchplugin.{fam}"]["splits"]["train"]["samples"]
            row = [fam, f"{n:,} {unit}", f"{size_mb:.1f}", f"{samples:,}", f"{seconds:.2f}", f"{samples / seconds:,.0f}",
                   f"{size_mb / seconds:.1f}", f"{m['rss']:.0f}", f"{m['floor']:.3f}", f"{m['ratio']:.1f}x"]
            if base_env is not None:
                row += [f"{m['base']:.2f}", f"{m['base_ratio']:.1f}x", f"{m['base'] / seconds:.2f}x"]
            rows.append(row)
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
    header = ["format", "input", "MB", "samples", "build s", "samples/s", "MB/s", "peak MiB", "floor s", "build/floor"]
    if base_env is not None:
        header += ["baseline s", "baseline/floor", "speed-up"]
    print(f"medians of {args.rounds} interleaved runs, {'CPU' if args.cpu else 'wall'} seconds; "
          "build/floor is the median of the per-run ratios")
    print(table(rows, header))
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
