"""Reader throughput: records/s, MB/s and peak memory per built-in reader on large synthetic files.

Generates synthetic files in every native format (sizes configurable), then
reads each one in a fresh child process -- so the peak resident memory
reported (VmHWM: interpreter, imports and reader together) is that reader's
alone -- and prints a table.  The PubTator reader
is also compared, on the same file, with the PubTator parser of the ``bioc``
package (``pip install bioc``; skipped when it is not installed), which only
splits lines into objects: no offset check, no identifier splitting, no
harmonized records.

    python benchmarks/bench_readers.py                      # moderate sizes
    python benchmarks/bench_readers.py --pubtator 100000 --brat 20000 --conll 1000000
    python benchmarks/bench_readers.py --only pubtator,bioc_pubtator
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

import orjson

from _util import machine, table

WORDS = ("protein kinase cells tumour growth receptor binding expression patients treatment induced "
         "disease mutation gene pathway cancer levels activity response signalling inhibitor").split()
TYPES = ("Disease", "Chemical", "Gene", "Species")


# ---------------------------------------------------------------------------
# Synthetic documents
# ---------------------------------------------------------------------------


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def concept(rng: random.Random) -> int:
    """A concept number from a skewed vocabulary: corpora repeat identifiers
    (BC5CDR dev: 9,591 mentions, 1,296 distinct identifier strings; BioRED
    train: 13,351 and 2,754)."""
    return min(int(rng.expovariate(1 / 3000)), 99_999)


def documents(n: int, seed: int = 1):
    """(pmid, title, abstract, [(start, end, type, ids)], [(type, id1, id2)])."""
    rng = random.Random(seed)
    for k in range(n):
        title = sentence(rng, 14).capitalize() + "."
        abstract = ". ".join(sentence(rng, 18).capitalize() for _ in range(10)) + "."
        text = title + " " + abstract
        words = []
        pos = 0
        for w in text.split(" "):
            words.append((pos, pos + len(w)))
            pos += len(w) + 1
        mentions = []
        for _ in range(15):
            i = rng.randrange(len(words) - 3)
            j = i + rng.randint(1, 3)
            s, e = words[i][0], words[j - 1][1]
            if text[e - 1] == ".":
                e -= 1
            ids = "|".join(f"D{concept(rng):06d}" for _ in range(2 if rng.random() < 0.02 else 1))
            mentions.append((s, e, rng.choice(TYPES), ids))
        relations = [("CID", mentions[a][3].split("|")[0], mentions[b][3].split("|")[0])
                     for a, b in ((0, 1), (2, 3), (4, 5))]
        yield str(10_000_000 + k), title, abstract, mentions, relations


def write_pubtator(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for pmid, title, abstract, mentions, relations in documents(n):
            text = title + " " + abstract
            lines = [f"{pmid}|t|{title}", f"{pmid}|a|{abstract}"]
            lines += [f"{pmid}\t{s}\t{e}\t{text[s:e]}\t{t}\t{i}" for s, e, t, i in mentions]
            lines += [f"{pmid}\t{t}\t{a}\t{b}" for t, a, b in relations]
            f.write("\n".join(lines) + "\n\n")


def write_bioc_xml(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE collection SYSTEM "BioC.dtd"><collection>'
                "<source>synthetic</source><date>2024</date><key>BioC.key</key>\n")
        for pmid, title, abstract, mentions, relations in documents(n):
            text = title + " " + abstract
            anns = "".join(
                f'<annotation id="{k}"><infon key="type">{t}</infon><infon key="identifier">{i}</infon>'
                f'<location offset="{s}" length="{e - s}"/><text>{escape(text[s:e])}</text></annotation>\n'
                for k, (s, e, t, i) in enumerate(mentions)
            )
            rels = "".join(
                f'<relation id="R{k}"><infon key="type">{t}</infon><infon key="entity1">{a}</infon>'
                f'<infon key="entity2">{b}</infon></relation>\n'
                for k, (t, a, b) in enumerate(relations)
            )
            f.write(f"<document><id>{pmid}</id>\n"
                    f'<passage><infon key="type">title</infon><offset>0</offset><text>{escape(title)}</text></passage>\n'
                    f'<passage><infon key="type">abstract</infon><offset>{len(title) + 1}</offset>'
                    f"<text>{escape(abstract)}</text>\n{anns}</passage>\n{rels}</document>\n")
        f.write("</collection>\n")


def write_bioc_json(path: Path, n: int) -> None:
    docs = []
    for pmid, title, abstract, mentions, relations in documents(n):
        text = title + " " + abstract
        anns = [{"id": str(k), "infons": {"identifier": i, "type": t}, "text": text[s:e],
                 "locations": [{"offset": s, "length": e - s}]} for k, (s, e, t, i) in enumerate(mentions)]
        docs.append({"id": pmid, "passages": [
            {"infons": {"type": "title"}, "offset": 0, "text": title, "annotations": []},
            {"infons": {"type": "abstract"}, "offset": len(title) + 1, "text": abstract, "annotations": anns}],
            "relations": [{"id": f"R{k}", "infons": {"type": t, "entity1": a, "entity2": b}}
                          for k, (t, a, b) in enumerate(relations)]})
    path.write_bytes(orjson.dumps({"source": "synthetic", "documents": docs}))


def write_brat(folder: Path, n: int) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for pmid, title, abstract, mentions, _ in documents(n, seed=2):
        text = title + "\n" + abstract + "\n"
        mentions = [m for m in mentions if "\n" not in text[m[0] : m[1]]]
        (folder / f"PMID-{pmid}.txt").write_text(text, encoding="utf-8")
        a1 = [f"T{k + 1}\tProtein {s} {e}\t{text[s:e]}" for k, (s, e, _, _) in enumerate(mentions[:10])]
        (folder / f"PMID-{pmid}.a1").write_text("\n".join(a1) + "\n", encoding="utf-8")
        a2 = []
        for k, (s, e, _, _) in enumerate(mentions[10:]):
            a2.append(f"T{11 + k}\tBinding {s} {e}\t{text[s:e]}")
            a2.append(f"E{k + 1}\tBinding:T{11 + k} Theme:T{k + 1} Theme2:T{k + 2}")
        a2.append("M1\tNegation E1")
        a2.append("R1\tCoreference Subject:T1 Object:T2")
        a2.append("*\tEquiv T3 T4")
        (folder / f"PMID-{pmid}.a2").write_text("\n".join(a2) + "\n", encoding="utf-8")


def write_conll(path: Path, n: int) -> None:
    rng = random.Random(3)
    with open(path, "w", encoding="utf-8") as f:
        for _ in range(n):
            lines = []
            inside = None
            for _ in range(25):
                w = rng.choice(WORDS)
                r = rng.random()
                if r < 0.08:
                    inside = rng.choice(TYPES)
                    lines.append(f"{w}\tB-{inside}")
                elif r < 0.12 and inside:
                    lines.append(f"{w}\tI-{inside}")
                else:
                    inside = None
                    lines.append(f"{w}\tO")
            f.write("\n".join(lines) + "\n\n")


def write_jsonl(path: Path, n: int) -> None:
    rng = random.Random(4)
    with open(path, "wb") as f:
        for k in range(n):
            options = {c: sentence(rng, 3) for c in "ABCDE"}
            letter = rng.choice("ABCDE")
            f.write(orjson.dumps({"question": sentence(rng, 60) + "?", "answer": options[letter], "options": options,
                                  "meta_info": "step1", "answer_idx": letter}) + b"\n")


def write_csv(path: Path, n: int) -> None:
    import csv

    rng = random.Random(5)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ABSTRACT_ID", "TEXT", "LOCATION", "LABEL"])
        for k in range(n):
            words = [rng.choice(WORDS) for _ in range(120)]
            loc = rng.randrange(120)
            w.writerow([k, " ".join(words), loc, "expansion of " + words[loc]])


def write_parallel(folder: Path, n: int) -> None:
    rng = random.Random(6)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "x.zh", "w", encoding="utf-8") as zh, open(folder / "x.en", "w", encoding="utf-8") as en:
        for _ in range(n):
            zh.write("".join(rng.choice("的一是在不了有和人这中大为上个国我以要他") for _ in range(40)) + "\n")
            en.write(sentence(rng, 25) + " .\n")


# ---------------------------------------------------------------------------
# Cases: name -> (writer, size option, files for the reader, reader, options)
# ---------------------------------------------------------------------------

QA = {"record": "qa", "fields": {"question": "question", "type": {"const": "multiple_choice"},
                                 "choices": {"path": "options", "values": True},
                                 "choice_labels": {"path": "options", "keys": True},
                                 "answers": {"path": "answer", "list": True}}}
MEDAL = {"record": "qa", "unique_ids": False, "fields": {
    "document_id": "ABSTRACT_ID", "context": "TEXT", "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
    "type": {"const": "factoid"}, "answers": {"path": "LABEL", "list": True}}}


def cases(work: Path, sizes: dict[str, int]) -> dict[str, dict]:
    return {
        "pubtator": dict(size="pubtator", make=write_pubtator, path=work / "docs.pubtator", reader="pubtator",
                         options={"db_name": "MESH"}),
        "bioc_pubtator": dict(size="pubtator", make=write_pubtator, path=work / "docs.pubtator", reader=None),
        "bioc_xml": dict(size="bioc", make=write_bioc_xml, path=work / "docs.bioc.xml", reader="bioc_xml", options={}),
        "bioc_json": dict(size="bioc", make=write_bioc_json, path=work / "docs.bioc.json", reader="bioc_json", options={}),
        "brat": dict(size="brat", make=write_brat, path=work / "brat", reader="brat", options={}),
        "conll": dict(size="conll", make=write_conll, path=work / "sents.conll", reader="conll", options={}),
        "jsonl": dict(size="jsonl", make=write_jsonl, path=work / "qa.jsonl", reader="jsonl", options=QA),
        "csv": dict(size="csv", make=write_csv, path=work / "medal.csv", reader="csv", options=MEDAL),
        "parallel_text": dict(size="parallel", make=write_parallel, path=work / "parallel", reader="parallel_text",
                              options={}),
    }


def size_of(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.iterdir())
    return path.stat().st_size


# ---------------------------------------------------------------------------
# Child: read one case and print counts
# ---------------------------------------------------------------------------


def child(name: str, path: Path, options: dict) -> None:
    t0 = time.perf_counter()
    if name == "bioc_pubtator":
        import bioc.pubtator

        n = 0
        with open(path, encoding="utf-8") as f:
            for _doc in bioc.pubtator.iterparse(f):
                n += 1
    else:
        from medinst_core.diagnostics import Diagnostics
        from medinst_core.plugins import load_registry
        from medinst_core.sources import SourceFiles

        reader = load_registry(entrypoints=False).reader(name).load()
        if name == "brat":
            roles = {"data": tuple(sorted(path.glob("*.txt")))}
        elif name == "parallel_text":
            roles = {"text_1": (path / "x.zh",), "text_2": (path / "x.en",)}
        else:
            roles = {"data": (path,)}
        n = 0
        for _record in reader(SourceFiles(path.parent, roles), options, Diagnostics()):
            n += 1
    seconds = time.perf_counter() - t0
    print(orjson.dumps({"records": n, "seconds": seconds, "peak_mib": peak_rss_mib()}).decode())


def peak_rss_mib() -> float:
    """Peak resident memory of this process's address space (VmHWM).  Unlike
    ru_maxrss it starts afresh at exec, so it does not count the parent's
    memory copied by fork."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(name: str, case: dict) -> tuple[int, float, float]:
    """(records, seconds, peak RSS MiB) of one reader in a fresh process."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", name, "--path", str(case["path"]),
         "--options", orjson.dumps(case.get("options") or {}).decode()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=False,
    )
    out = proc.stdout.read()
    err = proc.stderr.read()
    if proc.wait() != 0:
        raise SystemExit(f"{name} failed:\n{err.decode()}")
    result = orjson.loads(out.splitlines()[-1])
    return result["records"], result["seconds"], result["peak_mib"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", type=Path, default=Path("/tmp/medinst-bench-readers"))
    ap.add_argument("--pubtator", type=int, default=20_000, help="PubTator documents (the issue suggests 100000)")
    ap.add_argument("--bioc", type=int, default=20_000, help="BioC documents (XML and JSON)")
    ap.add_argument("--brat", type=int, default=5_000, help="BRAT documents (the issue suggests 20000)")
    ap.add_argument("--conll", type=int, default=200_000, help="CoNLL sentences (the issue suggests 1000000)")
    ap.add_argument("--jsonl", type=int, default=100_000, help="JSON Lines questions")
    ap.add_argument("--csv", type=int, default=200_000, help="CSV rows (MeDAL-like)")
    ap.add_argument("--parallel", type=int, default=200_000, help="parallel line pairs")
    ap.add_argument("--only", default="", help="comma-separated case names")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--path", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--options", default="{}", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.path, orjson.loads(args.options))
        return
    sizes = {k: getattr(args, k) for k in ("pubtator", "bioc", "brat", "conll", "jsonl", "csv", "parallel")}
    work = args.work / "-".join(f"{k}{v}" for k, v in sizes.items())
    work.mkdir(parents=True, exist_ok=True)
    all_cases = cases(work, sizes)
    chosen = [c for c in args.only.split(",") if c] or list(all_cases)
    print(f"machine: {machine()}")
    rows = []
    timings: dict[str, float] = {}
    for name in chosen:
        case = all_cases[name]
        path = case["path"]
        if not path.exists():
            t0 = time.perf_counter()
            case["make"](path, sizes[case["size"]])
            print(f"generated {path.name} ({size_of(path) / 2**20:.1f} MB) in {time.perf_counter() - t0:.1f}s", flush=True)
        if name == "bioc_pubtator":
            try:
                import bioc.pubtator  # noqa: F401
            except ImportError:
                print("bioc is not installed: skipping the bioc PubTator comparison")
                continue
        records, seconds, peak = measure(name, case)
        timings[name] = seconds
        mb = size_of(path) / 2**20
        rows.append([name, f"{mb:.1f}", f"{records:,}", f"{seconds:.2f}", f"{records / seconds:,.0f}",
                     f"{mb / seconds:.1f}", f"{peak:.0f}"])
    print(table(rows, ["reader", "MB", "records", "seconds", "records/s", "MB/s", "peak MiB"]))
    if "pubtator" in timings and "bioc_pubtator" in timings:
        print(f"PubTator: medinst reader {timings['bioc_pubtator'] / timings['pubtator']:.2f}x the speed of "
              f"bioc.pubtator.iterparse on the same file")


if __name__ == "__main__":
    main()
