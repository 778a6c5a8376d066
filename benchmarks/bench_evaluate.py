"""Scoring speed: medinst's metrics vs a straightforward per-sample implementation.

Synthesises predictions shaped like MedINST32 (its 32 test tasks with their
published sizes, 15,000 samples; ``--scale 10`` gives 150,000): yes/no and
TE labels, multiple-choice and abbreviation answers, bracketed entity /
relation / event / coreference lists, BIO-tagged abstracts, multi-label
hallmarks, STS scores, 150-250 word summaries and translations, each with a
realistic share of wrong, partial, verbose and empty answers.

For every task it computes MedINST's metrics (the family metric, Rouge-L and
word F1) twice, in one run:

* **ours** -- the registered metric functions (``medinst_core.metrics``);
* **plain** -- ``medinst_core.metrics.reference``: ``rouge_score``'s
  ``RougeScorer(["rougeL"], use_stemmer=True)`` and ``collections.Counter``
  per sample, scikit-learn's ``f1_score`` per task, as a typical evaluation
  script does;

checks that every task score and every per-sample score is bit-identical,
and reports predictions per second per metric family and the ratio.  It then
times the whole ``evaluate()`` path (reading the JSONL files, matching ids,
writing results and per-sample scores) for our side.

    python benchmarks/bench_evaluate.py                 # 15,000 and 150,000
    python benchmarks/bench_evaluate.py --scales 1      # 15,000 only
    python benchmarks/bench_evaluate.py --repeat 1      # one timing per side (default: best of 3)
"""

from __future__ import annotations

import argparse
import itertools
import math
import random
import tempfile
import time
from pathlib import Path

import orjson

from _util import machine, table

from medinst_core import hookimpl
from medinst_core.metrics import clear_caches, reference
from medinst_core.plugins import load_registry

# (task, family, test samples in MedINST32)
TASKS = [
    ("BioASQ-Task-B-yesno", "cls", 813), ("PubMedQA-labeled", "cls", 500), ("MedQA", "em", 1272),
    ("SciFact", "cls", 1189), ("ManConCorpus", "cls", 2775), ("CoVERt", "cls", 212),
    ("NCBI-disease", "bio", 100), ("BC5CDR", "bio", 100), ("AnEM", "entity", 30), ("BioNLP-2009", "entity", 150),
    ("BioNLP-2011-GE", "entity", 100), ("BioNLP-2011-ID", "entity", 117), ("BioNLP-2011-REL", "entity", 260),
    ("BioNLP-2013-CG", "entity", 200), ("BioNLP-2013-GE", "entity", 256), ("BioNLP-2013-GRO", "entity", 100),
    ("BioNLP-2013-PC", "entity", 175), ("BioRED", "entity", 100), ("tmVar-v3", "entity", 100),
    ("Hallmarks-of-Cancer", "multicls", 3547), ("MedDialog", "cls", 122), ("MeDAL", "em", 1000),
    ("tmVar-v3-NED", "entity", 493), ("AnEM-RE", "entity", 13), ("BC5CDR-RE", "entity", 500),
    ("BioInfer-RE", "entity", 142), ("AnEM-COREF", "entity", 14), ("MLEE-COREF", "entity", 113),
    ("Multi-XScience", "text", 200), ("MLEE-EE", "entity", 87), ("BIOSSES", "mse", 20), ("ParaMed", "text", 200),
]  # fmt: skip
FAMILY_METRIC = {"cls": "label_f1", "em": "exact_match", "entity": "entity_f1", "bio": "bio_label_f1",
                 "multicls": "multilabel_f1", "mse": "mse", "text": None}  # fmt: skip
FAMILIES = ["cls", "em", "entity", "bio", "multicls", "mse", "text"]

HALLMARKS = [
    "Sustaining proliferative signaling", "Evading growth suppressors", "Resisting cell death",
    "Enabling replicative immortality", "Inducing angiogenesis", "Activating invasion and metastasis",
    "Genomic instability and mutation", "Tumor promoting inflammation", "Cellular energetics", "Avoiding immune destruction",
]  # fmt: skip
TYPES = ["Gene", "Disease", "Chemical", "Protein", "Cell", "Organism", "Anatomy", "Variant"]
RELATIONS = ["associated with", "causes", "interacts with", "inhibits", "binds", "regulates"]


class Words:
    """A Zipf-distributed vocabulary of biomedical-looking words (inflected,
    so the stemmer has work) mixed with common English words."""

    COMMON = ("the of and in to a with for is was were that by on as at from be this are which an or we these "
              "patients cells study results protein expression increased treatment activity levels").split()  # fmt: skip
    ROOTS = ["cardi", "neur", "hepat", "nephr", "onc", "immun", "lymph", "my", "oste", "derm", "gastr", "pulmon",
             "angi", "cyt", "kin", "phosph", "glyc", "lip", "prote", "transcript", "regul", "inhibit", "activ",
             "express", "mutat", "signal", "receptor", "metabol", "toxic", "inflamm"]  # fmt: skip
    SUFFIXES = ["ase", "ases", "itis", "ation", "ations", "ing", "ed", "s", "al", "ally", "ic", "ity", "ness",
                "ologies", "ology", "oma", "omas", "ive", "ively", "ement", "izing", "ized", "ization", "ful", ""]  # fmt: skip

    def __init__(self, rnd: random.Random, size: int = 30_000):
        vocab = set()
        while len(vocab) < size:
            w = rnd.choice(self.ROOTS) + rnd.choice(["", "o", "a", "i"]) + rnd.choice(self.ROOTS)[: rnd.randint(0, 4)]
            vocab.add(w + rnd.choice(self.SUFFIXES))
        self.vocab = sorted(vocab)
        rnd.shuffle(self.vocab)
        self.weights = [1.0 / (i + 1) ** 1.05 for i in range(len(self.vocab))]
        # choices(weights=) accumulates them on every call; the same draws from cumulative weights made once
        self.cum_weights = list(itertools.accumulate(self.weights))
        self.rnd = rnd

    def take(self, n: int) -> list[str]:
        rnd = self.rnd
        out = rnd.choices(self.vocab, cum_weights=self.cum_weights, k=n) if n else []
        for i in range(len(out)):
            r = rnd.random()
            if r < 0.35:
                out[i] = rnd.choice(self.COMMON)
            elif r < 0.40:
                out[i] = out[i].capitalize()
            elif r < 0.43:
                out[i] = out[i].upper()[:5] + str(rnd.randint(1, 20))
        return out

    def sentence(self, n: int) -> str:
        words = self.take(n)
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."


def perturb_words(rnd: random.Random, words: list[str], vocab: Words, rate: float) -> list[str]:
    out = []
    for w in words:
        r = rnd.random()
        if r < rate / 3:
            continue
        if r < 2 * rate / 3:
            out.append(vocab.take(1)[0])
        elif r < rate:
            out.extend([w, vocab.take(1)[0]])
        else:
            out.append(w)
    return out


def make_pair(family: str, task: str, rnd: random.Random, vocab: Words) -> tuple[str, str]:
    """A gold output and a model answer for one sample of the family."""
    if family == "cls":
        labels = {"BioASQ-Task-B-yesno": ["yes", "no"], "PubMedQA-labeled": ["yes", "no", "maybe"],
                  "MedDialog": ["relevant", "not relevant", "partially relevant"]}.get(task, ["Supports", "Refutes", "Neutral"])  # fmt: skip
        gold = rnd.choice(labels)
        r = rnd.random()
        if r < 0.6:
            pred = gold if rnd.random() < 0.5 else gold.lower() + "."
        elif r < 0.85:
            pred = rnd.choice(labels)
        elif r < 0.95:
            pred = f"The answer is {rnd.choice(labels)} because " + vocab.sentence(rnd.randint(8, 30))
        else:
            pred = ""
        return gold, pred
    if family == "em":
        if task == "MedQA":
            options = [vocab.sentence(rnd.randint(1, 6))[:-1] for _ in range(4)]
            gold = rnd.choice(options)
            r = rnd.random()
            pred = gold if r < 0.5 else rnd.choice(options) if r < 0.85 else f"{gold}. " + vocab.sentence(rnd.randint(10, 40))
            return gold, pred
        gold = " ".join(vocab.take(rnd.randint(1, 4)))
        pred = gold if rnd.random() < 0.6 else " ".join(vocab.take(rnd.randint(1, 4)))
        return gold, pred
    if family == "entity":
        n = rnd.choice([0, 1, 2, 3, 4, 5, 6, 8, 10, 14]) if "RE" not in task else rnd.randint(1, 6)
        items = []
        for _ in range(n):
            if task.endswith("-RE"):
                items.append(f"[{' '.join(vocab.take(rnd.randint(1, 3)))} {rnd.choice(RELATIONS)} {' '.join(vocab.take(rnd.randint(1, 3)))}]")
            elif task.endswith("-EE"):
                items.append(f"[{rnd.choice(['Gene_expression', 'Binding', 'Regulation'])} {vocab.take(1)[0]} {' '.join(vocab.take(rnd.randint(1, 3)))}]")
            elif task.endswith("-NED"):
                items.append(f"[{vocab.take(1)[0]} <{rnd.choice(['dbSNP', 'NCBI Gene'])}/{rnd.randint(1000, 999999)}>]")
            else:
                items.append(f"[{' '.join(vocab.take(rnd.randint(1, 4)))} <{rnd.choice(TYPES)}>]")
        gold = " ".join(items)
        r = rnd.random()
        if r < 0.15:
            pred = gold
        elif r < 0.85:
            keep = [it if rnd.random() < 0.8 else it.lower() for it in items if rnd.random() < 0.75]
            keep += [f"[{' '.join(vocab.take(rnd.randint(1, 3)))} <{rnd.choice(TYPES)}>]" for _ in range(rnd.randint(0, 3))]
            rnd.shuffle(keep)
            pred = " ".join(keep)
        elif r < 0.95:
            pred = "The entities are: " + ", ".join(items) + " " + vocab.sentence(rnd.randint(5, 20))
        else:
            pred = "There are no entities."
        return gold, pred
    if family == "bio":
        words = vocab.take(rnd.randint(150, 300))
        tags = []
        i = 0
        while i < len(words):
            if rnd.random() < 0.08:
                span = rnd.randint(1, 4)
                tags += ["[B]"] + ["[I]"] * (span - 1)
                i += span
            else:
                tags.append("[O]")
                i += 1
        tags = tags[: len(words)]
        gold = " ".join(f"{w} {t}" for w, t in zip(words, tags))
        ptags = [t if rnd.random() < 0.9 else rnd.choice(["[B]", "[I]", "[O]"]) for t in tags]
        cut = len(words) if rnd.random() < 0.7 else rnd.randint(0, len(words) + 20)
        pwords = words + vocab.take(20)
        ptags = ptags + ["[O]"] * 20
        return gold, " ".join(f"{w} {t}" for w, t in zip(pwords[:cut], ptags[:cut]))
    if family == "multicls":
        labels = rnd.sample(HALLMARKS, rnd.choice([0, 1, 1, 1, 2, 2, 3]))
        gold = ", ".join(labels)
        r = rnd.random()
        if r < 0.4:
            pred = gold
        elif r < 0.9:
            pred = ", ".join(rnd.sample(HALLMARKS, rnd.randint(0, 3)))
        else:
            pred = "; ".join(h.lower() for h in labels)
        return gold, pred
    if family == "mse":
        gold = str(rnd.randint(0, 4))
        r = rnd.random()
        pred = str(rnd.randint(0, 5)) if r < 0.7 else f"{rnd.randint(0, 4)}.{rnd.randint(0, 9)}" if r < 0.85 else "The similarity is 3 out of 5."
        return gold, pred
    # text: summaries (Multi-XScience) and translations (ParaMed)
    n = rnd.randint(120, 250) if task == "Multi-XScience" else rnd.randint(15, 60)
    gold_words = vocab.take(n)
    gold = " ".join(gold_words)
    r = rnd.random()
    if r < 0.6:
        pred = " ".join(perturb_words(rnd, gold_words, vocab, 0.5))
    elif r < 0.95:
        pred = " ".join(vocab.take(int(n * rnd.uniform(0.5, 1.5))))
    else:
        pred = ""
    return gold, pred


def synthesize(scale: float, seed: int = 13) -> list[tuple[str, str, list[str], list[str]]]:
    """[(task, family, golds, predictions)] for MedINST32 x scale (each task's
    size rounded; a whole scale gives the same data as it always did)."""
    rnd = random.Random(seed)
    vocab = Words(rnd)
    data = []
    for task, family, n in TASKS:
        pairs = [make_pair(family, task, rnd, vocab) for _ in range(max(1, round(n * scale)))]
        data.append((task, family, [g for g, _ in pairs], [p for _, p in pairs]))
    return data


def metric_names(family: str) -> list[str]:
    m = FAMILY_METRIC[family]
    return ([m] if m else []) + ["rouge_l", "word_f1"]


def run_ours(data) -> tuple[dict, dict, dict]:
    """Scores, per-sample scores and seconds per family with our metrics."""
    reg = load_registry(entrypoints=False)
    fns = {name: reg.metric(name).load() for fam in FAMILIES for name in metric_names(fam)}
    clear_caches()  # start cold, as a fresh process does
    scores, per, secs = {}, {}, dict.fromkeys(FAMILIES, 0.0)
    for task, family, golds, preds in data:
        t0 = time.perf_counter()
        for name in metric_names(family):
            r = fns[name](golds, preds)
            scores[task, name] = r.score
            if r.per_sample is not None:
                per[task, name] = list(r.per_sample)
        secs[family] += time.perf_counter() - t0
    return scores, per, secs


def run_plain(data) -> tuple[dict, dict, dict]:
    """The same with the straightforward per-sample implementation."""
    scores, per, secs = {}, {}, dict.fromkeys(FAMILIES, 0.0)
    # import scikit-learn and construct the scorer outside the timing
    reference.rouge_l_one("warm", "up")
    reference.score("label_f1", ["a"], ["a"])
    for task, family, golds, preds in data:
        t0 = time.perf_counter()
        for name in metric_names(family):
            if name in ("label_f1", "bio_label_f1"):
                scores[task, name] = reference.score(name, golds, preds)
            else:
                values = [reference.per_sample(name, g, p) for g, p in zip(golds, preds)]
                total = 0
                for v in values:
                    total += v
                scores[task, name] = total / len(values) if name != "mse" else sum(int(v) for v in values) / len(values)
                per[task, name] = values
        secs[family] += time.perf_counter() - t0
    return scores, per, secs


def best_of(repeat: int, run, data):
    """Run ``repeat`` times; keep the last scores and the fastest time per family."""
    secs: dict[str, float] = {}
    for _ in range(max(1, repeat)):
        scores, per, took = run(data)
        secs = {f: min(took[f], secs.get(f, math.inf)) for f in FAMILIES}
    return scores, per, secs


def compare(ours, plain) -> tuple[int, float, list[str]]:
    """(values compared, max |difference|, first mismatches)."""
    n, worst, bad = 0, 0.0, []
    for key, value in plain.items():
        mine = ours[key]
        pairs = zip(mine, value) if isinstance(value, list) else [(mine, value)]
        for a, b in pairs:
            n += 1
            if a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)):
                continue
            worst = max(worst, abs(a - b))
            if len(bad) < 5:
                bad.append(f"{key}: ours {a!r} vs plain {b!r}")
    return n, worst, bad


class BenchTasks:
    """Registers one task per MedINST32 set, so ``evaluate()`` picks the metrics from manifests."""

    @hookimpl
    def register_readers(self, register):
        register("bench_none", lambda files, options, diagnostics: iter(()), record_kind="text")

    @hookimpl
    def register_formatters(self, register):
        register("bench_none", lambda record, options, diagnostics: [], record_kinds=("text",))

    @hookimpl
    def register_tasks(self, register):
        for task, family, _ in TASKS:
            register({
                "id": task_id(task), "version": 1, "name": task, "description": "Benchmark task of the evaluate benchmark.",
                "category": "QA", "dataset": {"name": task, "homepage": "https://example.org", "citation": "Synthetic data.",
                                              "license": "CC0-1.0", "access": "public"},
                "source": {"reader": "bench_none", "splits": {"test": ["x"]}}, "formatter": {"name": "bench_none"},
                "empty_output": "drop", "instructions": ["Answer the question about the text."],
                "metrics": metric_names(family),
            })  # fmt: skip


def task_id(task: str) -> str:
    return "bench." + task.lower().replace("-", "_")


def end_to_end(data, workdir: Path) -> tuple[float, dict]:
    """Write gold and predictions files, then time ``evaluate()`` on them."""
    from medinst_core.evaluate import evaluate

    gold, preds = workdir / "gold.jsonl", workdir / "predictions.jsonl"
    with open(gold, "wb") as g, open(preds, "wb") as p:
        for task, _, golds, predictions in data:
            tid = task_id(task)
            for i, (gt, pt) in enumerate(zip(golds, predictions)):
                sid = f"{tid}:test:{i}"
                g.write(orjson.dumps({"id": sid, "task": tid, "instruction": "Answer.", "input": "...", "output": gt}) + b"\n")
                p.write(orjson.dumps({"id": sid, "prediction": pt, "model": "bench"}) + b"\n")
    reg = load_registry(entrypoints=False, plugins=[("bench", BenchTasks())])
    assert not [p for p in reg.problems if p[0] == "bench"], reg.problems
    clear_caches()
    t0 = time.perf_counter()
    ev = evaluate(preds, gold=gold, registry=reg, out=workdir / "results.json", samples_out=workdir / "scores.jsonl")
    return time.perf_counter() - t0, ev.results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scales", type=int, nargs="+", default=[1, 10], help="Multiples of MedINST32's 15,000 test samples.")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--repeat", type=int, default=3, help="Time each side this many times and keep the fastest (the machine is shared).")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    for scale in args.scales:
        data = synthesize(scale, args.seed)
        total = sum(len(g) for _, _, g, _ in data)
        by_family = {f: sum(len(g) for _, fam, g, _ in data if fam == f) for f in FAMILIES}
        chars = sum(len(x) for _, _, g, p in data for x in g + p)
        print(f"\n== {total:,} predictions (MedINST32 x {scale}; {chars / 2**20:.1f} MiB of gold + answer text) ==")
        ours_scores, ours_per, ours_secs = best_of(args.repeat, run_ours, data)
        plain_scores, plain_per, plain_secs = best_of(args.repeat, run_plain, data)
        rows = []
        for fam in FAMILIES:
            n = by_family[fam]
            o, p = ours_secs[fam], plain_secs[fam]
            rows.append([fam, " + ".join(metric_names(fam)), f"{n:,}", f"{o:.2f}", f"{p:.2f}", f"{n / o:,.0f}", f"{n / p:,.0f}", f"{p / o:.1f}x"])
        o, p = sum(ours_secs.values()), sum(plain_secs.values())
        rows.append(["all", "", f"{total:,}", f"{o:.2f}", f"{p:.2f}", f"{total / o:,.0f}", f"{total / p:,.0f}", f"{p / o:.1f}x"])
        print(table(rows, ["family", "metrics", "predictions", "ours s", "plain s", "ours pred/s", "plain pred/s", "speed-up"]))
        n1, worst1, bad1 = compare(ours_scores, plain_scores)
        n2, worst2, bad2 = compare(ours_per, plain_per)
        status = "identical" if not bad1 and not bad2 else "DIFFERENT"
        print(f"numbers: {status} ({n1:,} task scores and {n2:,} per-sample scores compared; "
              f"max |difference| {max(worst1, worst2):.3g})")  # fmt: skip
        for line in bad1 + bad2:
            print("  " + line)
        with tempfile.TemporaryDirectory() as tmp:
            secs, results = end_to_end(data, Path(tmp))
            same = all(results["tasks"][task_id(t)]["metrics"][m] == ours_scores[t, m]
                       or (math.isnan(ours_scores[t, m]) and results["tasks"][task_id(t)]["metrics"][m] is None)
                       for t, fam, _ in TASKS for m in metric_names(fam))  # fmt: skip
            print(f"evaluate() end to end (read JSONL, match ids, score, write results + per-sample JSONL): "
                  f"{secs:.2f} s, {total / secs:,.0f} predictions/s; results {'match' if same else 'DIFFER FROM'} the metric calls")  # fmt: skip


if __name__ == "__main__":
    main()
