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

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError
from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    plugin_registry_fixture,
    require_path,
    resolve_split,
    sample_outputs,
    task_samples,
)
from medinst_core.testing.brat import count_documents, ner_brackets, parse_standoff, re_brackets

PLUGIN = "medinst_anem"
TASKS = ("anem.ner", "anem.re", "anem.coref")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
ARCHIVE = SAMPLES / "AnEM-1.0.4"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


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
    samples = task_samples(registry, task_id, split, SAMPLES)
    assert sample_outputs(samples) == BUNDLED[task_split]
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
        assert sample_outputs(task_samples(registry, task_id, split, tmp_path)) == wanted


@pytest.mark.parametrize("layout", ["AnEM/AnEM-1.0.4", "ANEM/data", "corpora/AnEM/original-data"])
def test_other_folder_layouts(registry, tmp_path, layout):
    """The archive's folders a level or two below a folder named after the corpus (in any case)."""
    shutil.copytree(ARCHIVE, tmp_path / layout)
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert sample_outputs(task_samples(registry, task_id, split, tmp_path)) == wanted, task_split


def test_macos_companion_files_are_not_documents(registry, tmp_path):
    """An archive re-packed on macOS holds a binary ._<name> companion of every file, beside it and under
    __MACOSX/ (two files of the same name, which would otherwise be two documents named alike)."""
    shutil.copytree(ARCHIVE, tmp_path / "AnEM-1.0.4")
    add_macos_companions(tmp_path)
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert sample_outputs(task_samples(registry, task_id, split, tmp_path)) == wanted, task_split


def test_listed_document_without_text_is_an_error(registry, tmp_path):
    shutil.copytree(ARCHIVE, tmp_path / "AnEM-1.0.4")
    with open(tmp_path / "AnEM-1.0.4" / "development" / "train-files.list", "a") as f:
        f.write("PMID-99999999\n")
    with pytest.raises(SourceError, match="PMID-99999999") as info:
        task_samples(registry, "anem.ner", "train", tmp_path)
    assert ":4:" in str(info.value)  # the line of the list naming it


# -- the development and test lists in the layout of the real copies -------------------


def test_unseen_splits_in_the_real_layout(registry, tmp_path):
    """The folder as the real copies are laid out (AnEM/original-data/, the openbiocorpora copy of the
    archive), with what the training files do not show: the two test-files.list files (CRLF line ends, a
    blank last line), the BIO files AnEM.train/AnEM.test beside the lists (never read), and a mention whose
    offsets do not fit its text, which is kept with a warning instead of stopping the build."""
    root = tmp_path / "AnEM" / "original-data"
    shutil.copytree(ARCHIVE, root)
    for folder in ("development", "test"):
        for name in ("AnEM.train", "AnEM.test"):
            (root / folder / name).write_text("Bone\t0\t4\tB-Tissue\n", encoding="utf-8")
        listed = (root / folder / "test-files.list").read_text(encoding="utf-8").split()
        (root / folder / "test-files.list").write_bytes(("\r\n".join(listed) + "\r\n\r\n").encode("ascii"))
    ann = root / "standoff" / "PMID-90000301.ann"
    ann.write_text(ann.read_text(encoding="utf-8").replace("T6\tMulti-tissue_structure 100 107",
                                                           "T6\tMulti-tissue_structure 99 106"), encoding="utf-8")
    diagnostics = Diagnostics()
    dev = sample_outputs(task_samples(registry, "anem.ner", "dev", tmp_path, diagnostics=diagnostics))
    assert dev == BUNDLED["anem.ner:dev"]  # the misplaced mention keeps its annotated text
    warnings = diagnostics.as_dict()
    assert warnings["offset_mismatch"]["count"] == 1 and "PMID-90000301" in warnings["offset_mismatch"]["examples"][0]
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        if split != "train":
            assert sample_outputs(task_samples(registry, task_id, split, tmp_path)) == wanted, task_split


# -- the real training files, read independently ------------------------------


@pytest.fixture
def real(medinst_real_data) -> Path:
    folder = medinst_real_data / "AnEM" / "original-data"
    require_path(folder / "development" / "train-files.list")
    return folder


def train_docs(real: Path) -> dict:
    names = (real / "development" / "train-files.list").read_text().split()
    assert len(names) == 250
    return {name: parse_standoff(real / "standoff" / name, (".ann",)) for name in names}


def test_real_train_counts(registry, real):
    docs = train_docs(real)
    counted = {
        "anem.ner": count_documents(docs),
        "anem.re": count_documents(docs, lambda d: d.relations),
        "anem.coref": sum(len(d.equivalences) for d in docs.values()),
    }
    assert counted == {"anem.ner": 164, "anem.re": 22, "anem.coref": 10}
    for task_id, n in counted.items():
        assert registry.tasks[task_id].manifest["medinst"]["counts"]["train"] == n
        assert len(task_samples(registry, task_id, "train", real.parent.parent)) == n


def test_real_train_samples_match_the_annotation_lines(registry, real):
    docs = train_docs(real)
    folder = real.parent.parent
    ner = task_samples(registry, "anem.ner", "train", folder)
    for s in ner:
        assert s["output"] == " ".join(ner_brackets(docs[s["id"].split(":")[2]]))
    for s in task_samples(registry, "anem.re", "train", folder):
        # brackets that read the same, case aside, are written once ("Ventral"/"ventral" ... "dorsal striatal")
        wanted = set(b.lower() for b in re_brackets(docs[s["id"].split(":")[2]]))
        got = [g.lower() for g in re.findall(r"\[<.*?> <(?:Part-of|frag)> <.*?>\]", s["output"])]
        assert sorted(got) == sorted(wanted), s["id"]
    types = Counter(r.type for d in docs.values() for r in d.relations.values())
    assert types == {"frag": 23, "Part-of": 20}
    coref = task_samples(registry, "anem.coref", "train", folder)
    for s in coref:
        name, anchor = s["id"].split(":")[2:]
        ts = docs[name].textbounds
        [chain] = [c.ids for c in docs[name].equivalences if anchor in c.ids]
        ordered = sorted(chain, key=lambda t: (ts[t].start, ts[t].end))
        assert anchor == ordered[0]  # one sample per chain, anchored on its first mention
        assert s["input"].endswith("\nEntity: " + ts[anchor].text)
        assert s["output"] == " ".join(f"[{ts[t].text}]" for t in ordered[1:])
