"""Tests of the BioNLP-ST 2013 PC plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

import importlib
import re
from collections import Counter
from pathlib import Path

import pytest

from medinst_core.pipeline import iter_samples_from, resolve_split
from medinst_core.plugins import load_registry
from medinst_core.sources import FileIndex
from medinst_core.testing import TaskConformance

PLUGIN = "medinst_bionlp_st_2013_pc"
TASKS = ('bionlp_st_2013_pc.ner', 'bionlp_st_2013_pc.ee', 'bionlp_st_2013_pc.coref')
REAL = "BioNLP-ST-2013-PC"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

# bundled samples: the ids each task split gives, and exact outputs (checked by hand)
BUNDLED = {
    'bionlp_st_2013_pc.ner:train': ['PMID-90000701', 'PMID-90000702'],
    'bionlp_st_2013_pc.ner:dev': ['PMID-90000711'],
    'bionlp_st_2013_pc.ner:test': ['PMID-90000721'],
    'bionlp_st_2013_pc.ee:train': ['PMID-90000701'],
    'bionlp_st_2013_pc.ee:dev': ['PMID-90000711'],
    'bionlp_st_2013_pc.coref:train': ['PMID-90000701:T3'],
    'bionlp_st_2013_pc.coref:dev': ['PMID-90000711:T4'],
}
OUTPUTS = {
    'bionlp_st_2013_pc.ner:train:PMID-90000701': '[MEK1 <Gene_or_gene_product>] [ERK2 <Gene_or_gene_product>] [Mitogen-activated protein kinase kinase 1 <Gene_or_gene_product>] [MEK1 <Gene_or_gene_product>] [ERK2 <Gene_or_gene_product>] [threonine <Simple_chemical>] [ERK2 <Gene_or_gene_product>] [RSK <Gene_or_gene_product>] [ERK2-RSK complex <Complex>] [cytoplasm <Cellular_component>]',
    'bionlp_st_2013_pc.ner:train:PMID-90000702': '[Glucose <Simple_chemical>]',
    'bionlp_st_2013_pc.ner:dev:PMID-90000711': '[AKT <Gene_or_gene_product>] [GSK3B <Gene_or_gene_product>] [Glycogen synthase kinase 3 beta <Gene_or_gene_product>] [GSK3B <Gene_or_gene_product>]',
    'bionlp_st_2013_pc.ner:test:PMID-90000721': '[mTOR <Gene_or_gene_product>] [rapamycin <Simple_chemical>] [mTORC1 <Complex>] [lysosome <Cellular_component>]',
    'bionlp_st_2013_pc.ee:train:PMID-90000701': '[<Phosphorylation> <phosphorylates> <ERK2>] [<Phosphorylation> <phosphorylation> <ERK2>] [<Binding> <binding> <ERK2>] [<Binding> <binding> <RSK>]',
    'bionlp_st_2013_pc.ee:dev:PMID-90000711': '[<Inactivation> <inactivates> <GSK3B>]',
    'bionlp_st_2013_pc.coref:train:PMID-90000701:T3': '[MEK1]',
    'bionlp_st_2013_pc.coref:dev:PMID-90000711:T4': '[GSK3B]',
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 260,
    'ee': 257,
    'coref': 455,
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


@pytest.fixture(scope="module")
def registry():
    return load_registry(entrypoints=False, plugins=[(PLUGIN, importlib.import_module(PLUGIN))])


def build(registry, task_id: str, split: str, folder: Path) -> list[dict]:
    task = registry.tasks[task_id]
    files = resolve_split(task, split, FileIndex(folder), bundled=False)
    return list(iter_samples_from(task, split, files, registry=registry))


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_splits(registry, task_split):
    task_id, split = task_split.split(":")
    samples = {s["id"].split(":", 2)[2]: s["output"] for s in build(registry, task_id, split, SAMPLES)}
    assert sorted(samples) == sorted(BUNDLED[task_split])
    for sid, output in OUTPUTS.items():
        if sid.startswith(task_split + ":"):
            assert samples[sid.split(":", 2)[2]] == output


def test_splits_without_gold_files(registry):
    for task_id in TASKS:
        splits = registry.tasks[task_id].manifest["source"]["splits"]
        if not task_id.endswith(".ner"):  # the test folders hold .a1 files only
            assert "test" not in splits


# -- the real training files, read independently ------------------------------

ANN = re.compile(r"^(\S+)\t(.*?)\s*$")


def parse(stem: Path):
    """T id -> (type, start, end, text), events, relations and Equiv chains of one document."""
    ts, events, relations, chains = {}, {}, [], []
    for suffix in (".a1", GOLD):
        path = stem.with_suffix(suffix)
        for line in path.read_text(encoding="utf-8").splitlines() if path.exists() else ():
            if not line.strip():
                continue
            ident, body = ANN.match(line).groups()
            if ident.startswith("T"):
                head, text = body.split("\t")
                typ, spans = head.split(" ", 1)
                nums = [int(n) for n in re.split("[ ;]", spans)]
                ts[ident] = (typ, min(nums), max(nums), text.strip(), suffix)  # a few spans include a space
            elif ident.startswith("E"):
                head, *args = body.split()
                events[ident] = (*head.split(":"), [a.split(":") for a in args])
            elif ident.startswith("R"):
                typ, a, b = body.split()
                relations.append((typ, a.split(":")[1], b.split(":")[1]))
            elif ident == "*":
                chains.append(body.split()[1:])
    return ts, events, relations, chains


def entities(doc) -> dict[str, str]:
    """T id -> text, for the T annotations that are not event triggers."""
    triggers = {trig for _, trig, _ in doc[1].values()}
    return {i: t[3] for i, t in doc[0].items() if i not in triggers}


def expected(task: str, doc):
    """The brackets a document's sample must hold, derived from its annotation lines."""
    ts, events, relations, chains = doc
    entity = entities(doc)
    if task == "ner":
        a1 = sorted(t for t in ts.values() if t[4] == ".a1")
        return [f"[{t[3]} <{t[0]}>]" for t in sorted(a1, key=lambda t: (t[1], t[2], t[0]))]
    if task == "ee":
        out = []
        for typ, trig, args in events.values():
            for role, ref in args:
                # Theme2, Theme3... are themes too; themes that are events are left out
                if re.fullmatch(r"Theme\d*", role) and ref in entity:
                    out.append(f"[<{typ}> <{ts[trig][3]}> <{entity[ref]}>]")
        return out
    if task == "re":
        pairs: dict[tuple, str] = {}  # one bracket per distinct (arg1, relation, arg2)
        for typ, a, b in relations:
            if a in entity and b in entity:  # relations to events are left out
                pairs.setdefault((entity[a].lower(), typ, entity[b].lower()), f"[<{entity[a]}> <{typ}> <{entity[b]}>]")
        return list(pairs.values())
    raise KeyError(task)


def real_docs(real: Path) -> list[Path]:
    folder = real / REAL / "original-data" / "train"
    if not folder.is_dir():
        pytest.skip(f"{folder} not present")
    return sorted(p.with_suffix("") for p in folder.glob("*.txt"))


@pytest.mark.parametrize("task_id", TASKS)
def test_real_train(registry, medinst_real_data, task_id):
    task = task_id.split(".")[1]
    stems = real_docs(medinst_real_data)
    docs = {stem.name: parse(stem) for stem in stems}
    samples = build(registry, task_id, "train", medinst_real_data)
    assert len(samples) == REAL_TRAIN[task]
    medinst = registry.tasks[task_id].manifest["medinst"]["counts"]["train"]
    if task == "coref":
        # one sample per Equiv chain (MedINST counts the chains), anchored on its first mention in text order
        assert sum(len(d[3]) for d in docs.values()) == medinst
        firsts = {}
        for name, (ts, _, _, chains) in docs.items():
            for chain in chains:
                if len(set(chain)) > 1:  # an Equiv line naming one mention twice leaves nothing to ask for
                    first = min(set(chain), key=lambda m: (ts[m][1], ts[m][2], ts[m][0], m))
                    assert (name, first) not in firsts, (name, first)
                    firsts[name, first] = chain
        assert {(s["id"].split(":")[2], s["id"].split(":")[3]) for s in samples} == set(firsts)
        for s in samples:
            name, anchor = s["id"].split(":")[2:]
            ts = docs[name][0]
            others = [m for m in dict.fromkeys(firsts[name, anchor]) if m != anchor]
            assert s["input"].endswith("\nEntity: " + ts[anchor][3])
            same_brackets(s["output"], [f"[{ts[m][3]}]" for m in others], s["id"])
        return
    wanted = {name: expected(task, d) for name, d in docs.items()}
    assert sorted(s["id"].split(":")[2] for s in samples) == sorted(n for n, w in wanted.items() if w)
    if task == "ner":
        assert len(samples) == medinst  # documents with a non-empty .a1
    if task == "ee":
        # MedINST counts documents with an event whose Theme is an entity (not another event)
        entity_theme = sum(
            any(re.fullmatch(r"Theme\d*", r) and ref in entities(d) for _, _, args in d[1].values() for r, ref in args)
            for d in docs.values()
        )
        assert entity_theme == medinst == len(samples)
    for s in samples:
        items = wanted[s["id"].split(":")[2]]
        if task == "ner":
            assert s["output"] == " ".join(items)
        else:
            same_brackets(s["output"], items, s["id"])


def same_brackets(output: str, items: list[str], where: str) -> None:
    """The output holds these brackets, in any order (the formatter's order is tested elsewhere)."""
    assert len(output) == len(" ".join(items)), where
    assert all(output.count(item) >= n for item, n in Counter(items).items()), where
