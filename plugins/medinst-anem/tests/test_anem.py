"""Tests of the AnEM plugin: conformance, the bundled samples (split lists, the
dev/test mapping per task, both folder layouts), and the real training files
(counts against MedINST's and every sample against the .ann lines, read here
on their own)."""

from __future__ import annotations

import importlib
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from medinst_core.errors import SourceError
from medinst_core.pipeline import iter_samples_from, resolve_split
from medinst_core.plugins import load_registry
from medinst_core.sources import FileIndex
from medinst_core.testing import TaskConformance

PLUGIN = "medinst_anem"
TASKS = ("anem.ner", "anem.re", "anem.coref")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
ARCHIVE = SAMPLES / "AnEM-1.0.4"


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


# -- bundled samples ------------------------------------------------------------

BUNDLED = {
    "anem.ner:train": {
        "PMID-90000101": "[Stellate cells <Cell>] [rat <Organism_subdivision>] [liver <Organ>] "
                         "[Hepatic stellate cells <Cell>] [HSC <Cell>] [space of Disse <Immaterial_anatomical_entity>] "
                         "[lipid droplets <Cellular_component>] [fibrotic nodules <Pathological_formation>] [HSC <Cell>] "
                         "[nuclei <Cellular_component>]",
        "PMC-9000102-sec-01": "[upper <Organism_subdivision>] [lower limb <Organism_subdivision>] [muscle <Tissue>] "
                              "[plasma <Organism_substance>] [pine pollen <Organism_substance>] "
                              "[embryos <Developing_anatomical_structure>]",
        # PMC-9000103-caption-01 has an empty .ann: dropped
    },
    # NER: dev = test/test-files.list, test = development/test-files.list (MedINST's swapped columns)
    "anem.ner:dev": {
        "PMID-90000301": "[Bone marrow <Tissue>] [stromal cells <Cell>] [BMSC <Cell>] "
                         "[infarcted myocardium <Pathological_formation>] [BMSC <Cell>] [vessels <Multi-tissue_structure>]",
        "PMC-9000302-sec-03": "[mitochondria <Cellular_component>] [renal tubular epithelium <Tissue>] [left <Organ>] "
                              "[right kidney <Organ>] [cortex <Multi-tissue_structure>]",
    },
    "anem.ner:test": {
        "PMID-90000201": "[blood-brain barrier <Multi-tissue_structure>] [BBB <Multi-tissue_structure>] "
                         "[central nervous system <Anatomical_system>] [Endothelial cells <Cell>] "
                         "[BBB <Multi-tissue_structure>] [tight junction <Cellular_component>]",
    },
    # RE and COREF: dev = development/test-files.list, test = test/test-files.list
    "anem.re:train": {
        "PMID-90000101": "[<liver> <Part-of> <rat>] [<nuclei> <Part-of> <HSC>]",
        "PMC-9000102-sec-01": "[<upper> <frag> <lower limb>]",
    },
    "anem.re:dev": {"PMID-90000201": "[<Endothelial cells> <Part-of> <BBB>]"},
    "anem.re:test": {
        "PMID-90000301": "[<stromal cells> <Part-of> <Bone marrow>]",
        "PMC-9000302-sec-03": "[<mitochondria> <Part-of> <renal tubular epithelium>] [<left> <frag> <right kidney>] "
                              "[<cortex> <Part-of> <right kidney>]",
    },
    "anem.coref:train": {"PMID-90000101:T4": "[HSC]"},
    "anem.coref:dev": {"PMID-90000201:T1": "[BBB] [BBB]"},
    "anem.coref:test": {"PMID-90000301:T2": "[BMSC]"},
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split.split(":")
    samples = build(registry, task_id, split, SAMPLES)
    assert {s["id"].split(":", 2)[2]: s["output"] for s in samples} == BUNDLED[task_split]
    for s in samples:
        stem = s["id"].split(":")[2]
        text = (ARCHIVE / "standoff" / f"{stem}.txt").read_text(encoding="utf-8")
        if task_id == "anem.coref":
            anchor = {"PMID-90000101": "Hepatic stellate cells", "PMID-90000201": "blood-brain barrier",
                      "PMID-90000301": "stromal cells"}[stem]
            assert s["input"] == text + "\nEntity: " + anchor
        else:
            assert s["input"] == text


def test_split_lists_choose_the_documents(registry):
    """Every split reads exactly the documents of its list; test/train-files.list
    (development train + test, shipped in the archive) is never read."""
    assert (ARCHIVE / "test" / "train-files.list").is_file()
    lists = {
        "development/train-files.list": ("train", "train", "train"),
        "test/test-files.list": ("dev", "test", "test"),
        "development/test-files.list": ("test", "dev", "dev"),
    }
    reader = registry.reader("brat").load()
    for name, splits in lists.items():
        listed = (ARCHIVE / name).read_text().split()
        for task_id, split in zip(TASKS, splits):
            task = registry.tasks[task_id]
            files = resolve_split(task, split, FileIndex(SAMPLES), bundled=False)
            records = list(reader(files, task.manifest["source"]["options"], None))
            assert [r.id for r in records] == listed, (task_id, split)


def test_openbiocorpora_layout(registry, tmp_path):
    """The same files in the openbiocorpora/BigBIO layout (anem/original-data/...) give the same samples."""
    shutil.copytree(ARCHIVE, tmp_path / "anem" / "original-data")
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        samples = build(registry, task_id, split, tmp_path)
        assert {s["id"].split(":", 2)[2]: s["output"] for s in samples} == wanted


def test_listed_document_without_text_is_an_error(registry, tmp_path):
    shutil.copytree(ARCHIVE, tmp_path / "AnEM-1.0.4")
    with open(tmp_path / "AnEM-1.0.4" / "development" / "train-files.list", "a") as f:
        f.write("PMID-99999999\n")
    with pytest.raises(SourceError, match="PMID-99999999") as info:
        build(registry, "anem.ner", "train", tmp_path)
    assert ":4:" in str(info.value)  # the line of the list naming it


# -- the real training files, read independently ------------------------------


def parse(stem: Path):
    """T id -> (type, start, end, text), relations and Equiv chains of one document."""
    ts, relations, chains = {}, [], []
    for line in stem.with_suffix(".ann").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        ident, body = line.split("\t", 1)
        if ident.startswith("T"):
            head, text = body.split("\t")
            typ, start, end = head.split(" ")  # AnEM has no discontinuous spans
            ts[ident] = (typ, int(start), int(end), text)
        elif ident.startswith("R"):
            typ, a, b = body.split()
            relations.append((typ, a.split(":")[1], b.split(":")[1]))
        elif ident == "*":
            chains.append(body.split()[1:])
    return ts, relations, chains


@pytest.fixture
def real(medinst_real_data) -> Path:
    folder = medinst_real_data / "AnEM" / "original-data"
    if not (folder / "development" / "train-files.list").is_file():
        pytest.skip(f"{folder} not present")
    return folder


def train_docs(real: Path) -> dict[str, tuple]:
    names = (real / "development" / "train-files.list").read_text().split()
    assert len(names) == 250
    return {name: parse(real / "standoff" / name) for name in names}


def test_real_train_counts(registry, real):
    docs = train_docs(real)
    counted = {
        "anem.ner": sum(bool(d[0]) for d in docs.values()),
        "anem.re": sum(bool(d[1]) for d in docs.values()),
        "anem.coref": sum(len(d[2]) for d in docs.values()),
    }
    assert counted == {"anem.ner": 164, "anem.re": 22, "anem.coref": 10}
    for task_id, n in counted.items():
        assert registry.tasks[task_id].manifest["medinst"]["counts"]["train"] == n
        assert len(build(registry, task_id, "train", real.parent.parent)) == n


def test_real_train_samples_match_the_annotation_lines(registry, real):
    docs = train_docs(real)
    folder = real.parent.parent
    ner = build(registry, "anem.ner", "train", folder)
    for s in ner:
        ts = docs[s["id"].split(":")[2]][0]
        rows = sorted((start, end, typ, ident, text) for ident, (typ, start, end, text) in ts.items())
        assert s["output"] == " ".join(f"[{text} <{typ}>]" for _, _, typ, _, text in rows)
    for s in build(registry, "anem.re", "train", folder):
        ts, relations, _ = docs[s["id"].split(":")[2]]
        # brackets that read the same, case aside, are written once ("Ventral"/"ventral" ... "dorsal striatal")
        wanted = set(f"[<{ts[a][3]}> <{typ}> <{ts[b][3]}>]".lower() for typ, a, b in relations)
        got = [g.lower() for g in re.findall(r"\[<.*?> <(?:Part-of|frag)> <.*?>\]", s["output"])]
        assert sorted(got) == sorted(wanted), s["id"]
    types = Counter(typ for d in docs.values() for typ, _, _ in d[1])
    assert types == {"frag": 23, "Part-of": 20}
    coref = build(registry, "anem.coref", "train", folder)
    for s in coref:
        name, anchor = s["id"].split(":")[2:]
        ts, _, chains = docs[name]
        [chain] = [c for c in chains if anchor in c]
        ordered = sorted(chain, key=lambda t: (ts[t][1], ts[t][2]))
        assert anchor == ordered[0]  # one sample per chain, anchored on its first mention
        assert s["input"].endswith("\nEntity: " + ts[anchor][3])
        assert s["output"] == " ".join(f"[{ts[t][3]}]" for t in ordered[1:])
