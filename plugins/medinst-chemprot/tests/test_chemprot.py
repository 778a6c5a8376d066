"""Tests of the ChemProt plugin: conformance, the bundled samples, the layouts of the official archive and of
the public GitHub copy, and the real training and development files (counts, every sample checked against
the TSV files read independently). The reader's own tests are tests/readers/test_chemprot.py of the core."""

from __future__ import annotations

import csv
import importlib
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_chemprot"
TASKS = ("chemprot.ner", "chemprot.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED_RE = {
    "train": {
        # the two CPR:4 relations read the same: one bracket; the N-flagged CPR:10 relation is kept
        "90000001": "[<Tamoxifen> <CPR:4> <aromatase>] [<estradiol> <CPR:3> <ERβ>] [<estradiol> <CPR:10> <KX-1>]",
        # CPR:0 (UNDEFINED, flagged N) kept; a gene mention (5-HT receptor) holding a chemical one (5-HT)
        "90000003": "[<Caffeine> <CPR:9> <CYP1A2>] [<paraxanthine> <CPR:9> <CYP1A2>] [<5-HT> <CPR:0> <5-HT receptor>]",
    },  # 90000002 has mentions but no relation: left out
    "dev": {"90000101": "[<Haloperidol> <CPR:6> <dopamine D2 receptor>] [<Haloperidol> <CPR:6> <D2 receptor>]"},
    "test": {"90000201": "[<Morphine> <CPR:5> <mu opioid receptor>] [<Morphine> <CPR:5> <MOR>]"},
}


@pytest.mark.parametrize("split", sorted(BUNDLED_RE))
def test_bundled_relations(registry, split):
    assert sample_outputs(task_samples(registry, "chemprot.re", split, SAMPLES, bundled=True)) == BUNDLED_RE[split]


def test_bundled_mentions(registry):
    ner = task_samples(registry, "chemprot.ner", "train", SAMPLES, bundled=True)
    assert len(ner) == 3
    first = ner[0]
    assert first["input"].startswith("Tamoxifen inhibits aromatase in breast tissue. Tamoxifen lowered")
    assert first["output"] == ("[Tamoxifen <CHEMICAL>] [aromatase <GENE-Y>] [Tamoxifen <CHEMICAL>] [aromatase <GENE-Y>] "
                               "[estradiol <CHEMICAL>] [ERβ <GENE-Y>] [kinase <GENE-N>] [KX-1 <GENE-Y>]")


def test_bundled_relation_files_carry_the_flag_with_its_trailing_space():
    rows = (SAMPLES / "chemprot_training" / "chemprot_training_relations.tsv").read_text(encoding="utf-8").splitlines()
    assert {r.split("\t")[2] for r in rows} == {"Y ", "N "}


def test_official_archive_and_github_copy_layouts(registry, tmp_path):
    """ChemProt_Corpus.zip holds one zip per split that unpacks to chemprot_<split>/; the GitHub copy keeps
    them under utils/chemprot/chemprot/ beside the sample folder, whose files must not be taken for a split."""
    root = tmp_path / "nlp_2021_alexander_petter" / "utils" / "chemprot" / "chemprot"
    for folder in ("chemprot_training", "chemprot_development", "chemprot_test_gs"):
        shutil.copytree(SAMPLES / folder, root / folder)
    sample = root / "chemprot_sample"
    sample.mkdir()
    for kind in ("abstracts", "entities", "relations", "gold_standard", "predictions"):
        (sample / f"chemprot_sample_{kind}.tsv").write_text("", encoding="utf-8")
    (root / "chemprot_training" / "chemprot_training_gold_standard.tsv").write_text("", encoding="utf-8")
    (root / "chemprot_training" / "Readme.pdf").write_bytes(b"%PDF-1.4\n")
    for split, wanted in BUNDLED_RE.items():
        assert sample_outputs(task_samples(registry, "chemprot.re", split, tmp_path)) == wanted


# -- the real training and development files --------------------------------------


def _folder(root: Path, split: str) -> Path:
    return require_path(root / "ChemProt" / "utils" / "chemprot" / "chemprot" / f"chemprot_{split}")


def _read(folder: Path, split: str, kind: str) -> list[list[str]]:
    with open(folder / f"chemprot_{split}_{kind}.tsv", encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.mark.parametrize("split, key, abstracts, with_relations",
                         [("training", "train", 1020, 767), ("development", "dev", 612, 443)])
def test_real_counts_and_samples(registry, medinst_real_data, split, key, abstracts, with_relations):
    folder = _folder(medinst_real_data, split)
    texts = {row[0]: f"{row[1]} {row[2]}" for row in _read(folder, split, "abstracts")}
    mentions = defaultdict(list)
    for pmid, tid, etype, start, end, text in _read(folder, split, "entities"):
        assert texts[pmid][int(start):int(end)] == text
        mentions[pmid].append((int(start), int(end), etype, tid, text))
    relations = defaultdict(set)
    for pmid, group, _flag, _label, arg1, arg2 in _read(folder, split, "relations"):
        names = {m[3]: m[4] for m in mentions[pmid]}
        relations[pmid].add(f"[<{names[arg1[5:]]}> <{group}> <{names[arg2[5:]]}>]".lower())
    assert len(texts) == abstracts and len(relations) == with_relations

    ner = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "chemprot.ner", key, folder)}
    rel = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "chemprot.re", key, folder)}
    assert len(ner) == registry.tasks["chemprot.ner"].manifest["medinst"]["counts"][key] == abstracts
    assert len(rel) == registry.tasks["chemprot.re"].manifest["medinst"]["counts"][key] == with_relations
    for pmid, sample in ner.items():
        assert sample["input"] == texts[pmid]
        wanted = [f"[{text} <{etype}>]" for _s, _e, etype, _t, text in
                  sorted(mentions[pmid], key=lambda m: (m[0], m[1], m[2], int(m[3][1:])))]
        assert Counter(sample["output"].split("] [")) == Counter(" ".join(wanted).split("] ["))
    for pmid, sample in rel.items():
        got = re.findall(r"\[<.*?> <CPR:\d+> <.*?>\](?= \[<|$)", sample["output"])
        assert {g.lower() for g in got} == relations[pmid] and len(got) == len(relations[pmid]), pmid
