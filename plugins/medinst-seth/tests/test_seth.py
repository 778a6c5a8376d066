"""Tests of the SETH plugin: conformance, the bundled samples, the real corpus (counts
against MedINST's, every sample against the .ann lines read on their own, texts from
corpus.txt), and the quirks: texts in a PMID<TAB>text table, argument-less E lines,
non-ASCII text, empty .ann files, a text row without annotation file."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import Diagnostics, SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_samples_match_standoff,
    count_documents,
    ner_brackets,
    parse_standoff_text,
    plugin_registry_fixture,
    re_brackets,
    require_path,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_seth"
TASKS = ("seth.ner", "seth.re")
REAL = "SETH/resources/SETH-corpus"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    "seth.ner:train": {
        "90000001": "[BRCA2 <Gene>] [c.68-7T>A <SNP>] [rs81002858 <RS>] [rs81002858 <RS>] [BRCA2 <Gene>]",
        # the E lines of 90000002 are ignored: their T lines stay SNP mentions
        "90000002": "[\u03b2-globin <Gene>] [HBB <Gene>] [p.Glu6Val <SNP>] [TNF-\u03b1 <Gene>] [-308G>A <SNP>]",
        # 90000003 has an empty .ann: dropped
    },
    "seth.re:train": {
        "90000001": "[<c.68-7T>A> <AssociatedTo> <BRCA2>] [<c.68-7T>A> <Equals> <rs81002858>]",
        "90000002": "[<p.Glu6Val> <AssociatedTo> <HBB>]",
    },
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, registry.tasks[task_id].bundled, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_split]
    # the input is the text after the tab of the corpus.txt line, without its line end
    assert all("\t" not in s["input"] and not s["input"].endswith("\n") for s in samples)


def _real_documents(folder):
    """PMID -> Standoff of its .ann file with the E lines left out, read without the core reader."""
    docs = {}
    for line in (folder / "corpus.txt").read_text(encoding="utf-8").splitlines():
        pmid = line.split("\t", 1)[0]
        ann = (folder / "annotations" / f"{pmid}.ann").read_text(encoding="utf-8")
        kept = "\n".join(x for x in ann.split("\n") if not x.startswith("E"))
        docs[pmid] = parse_standoff_text(kept, ".ann")
    return docs


@pytest.mark.parametrize("task_id,medinst", [("seth.ner", 433), ("seth.re", 212)])
def test_real_corpus(registry, medinst_real_data, task_id, medinst):
    folder = require_path(medinst_real_data / REAL)
    docs = _real_documents(folder)
    assert len(docs) == 630
    task = task_id.split(".")[1]
    assert count_documents(docs, ner_brackets if task == "ner" else re_brackets) == medinst
    assert registry.tasks[task_id].manifest["medinst"]["counts"]["train"] == medinst
    diagnostics = Diagnostics()
    samples = task_samples(registry, task_id, "train", medinst_real_data, diagnostics=diagnostics)
    assert len(samples) == medinst
    assert_samples_match_standoff(task, samples, docs)
    # one mention holds square brackets of its own ('c.[2484C>T]+[2484C>T'): reported
    assert dict(diagnostics.counts) == ({"brackets.unbalanced": 1} if task == "ner" else {})


def test_real_spot_check(registry, medinst_real_data):
    folder = require_path(medinst_real_data / REAL)
    rows = dict(line.split("\t", 1) for line in (folder / "corpus.txt").read_text(encoding="utf-8").splitlines())
    samples = {s["id"]: s for s in task_samples(registry, "seth.ner", "train", medinst_real_data)}
    sample = samples["seth.ner:train:11058905"]  # the abstract whose .ann has argument-less E lines
    assert sample["input"] == rows["11058905"]
    t6 = next(x for x in (folder / "annotations" / "11058905.ann").read_text().splitlines() if x.startswith("T6\t"))
    assert f"[{t6.split(chr(9))[2]} <SNP>]" in sample["output"]


TEXT = "The V600E mutation of BRAF.\n"


def test_text_row_without_annotation_file_and_stray_annotation_file(registry, tmp_path):
    corpus = tmp_path / "SETH" / "resources" / "SETH-corpus"
    write_file(corpus, "corpus.txt", f"1\t{TEXT}2\tNo variants here.\n")
    write_file(corpus / "annotations", "1.ann", "T1\tSNP 4 9\tV600E\nT2\tGene 22 26\tBRAF\nR1\tAssociatedTo Arg1:T1 Arg2:T2\n")
    assert sample_outputs(task_samples(registry, "seth.re", "train", tmp_path)) == {"1": "[<V600E> <AssociatedTo> <BRAF>]"}
    write_file(corpus / "annotations", "3.ann", "")
    with pytest.raises(SourceError, match="3.ann.*no row of the text table"):
        task_samples(registry, "seth.ner", "train", tmp_path)


def test_offsets_into_the_text_after_the_tab_are_checked(registry, tmp_path):
    corpus = tmp_path / "SETH-corpus"
    write_file(corpus, "corpus.txt", f"1\t{TEXT}")
    write_file(corpus / "annotations", "1.ann", "T1\tSNP 5 10\tV600E\n")  # one character too far
    with pytest.raises(SourceError, match=r"1.ann:1.*'V600E'"):
        task_samples(registry, "seth.ner", "train", tmp_path)
