"""Tests of the Verspoor-2013 plugin: conformance, the bundled samples, the real corpus
(counts against MedINST's, every sample against the .ann lines read on their own), and
the layouts: texts and annotations in two folders (SETH repository), or one folder."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_samples_match_standoff,
    assert_split_builds,
    count_documents,
    ner_brackets,
    parse_standoff,
    plugin_registry_fixture,
    re_brackets,
    require_path,
    sample_outputs,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_verspoor_2013"
TASKS = ("verspoor_2013.ner", "verspoor_2013.re")
REAL = "Verspoor-2013/resources/Verspoor2013"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    "verspoor_2013.ner:train": {
        "9900001-01-Abstract-p01": "[Germline mutations <mutation>] [MLH1 <gene>] [12 of 40 <size>] [Caucasian <ethnicity>] "
                                   "[patients <cohort-patient>] [early-onset colorectal cancer <disease>]",
        "9900001-03-Results-p02": "[women <gender>] [35 to 50 years <age>] [colon <body-part>] "
                                  "[microsatellite instability <Phenomena>]",
    },
    # ids such as T2_gene, T57_2 and R10_1 are kept as written
    "verspoor_2013.re:train": {
        "9900001-01-Abstract-p01": "[<Germline mutations> <relatedTo> <MLH1>] [<patients> <has> <12 of 40>] "
                                   "[<patients> <has> <early-onset colorectal cancer>]",
    },
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, registry.tasks[task_id].bundled, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_split]


@pytest.mark.parametrize("task_id,medinst", [("verspoor_2013.ner", 117), ("verspoor_2013.re", 114)])
def test_real_corpus(registry, medinst_real_data, task_id, medinst):
    folder = require_path(medinst_real_data / REAL)
    docs = {p.stem: parse_standoff(folder / "annotations" / p.stem, (".ann",)) for p in sorted((folder / "corpus").glob("*.txt"))}
    assert len(docs) == 120
    task = task_id.split(".")[1]
    assert count_documents(docs, ner_brackets if task == "ner" else re_brackets) == medinst
    assert registry.tasks[task_id].manifest["medinst"]["counts"]["train"] == medinst
    samples = task_samples(registry, task_id, "train", medinst_real_data)
    assert len(samples) == medinst
    assert_samples_match_standoff(task, samples, docs)


def test_real_spot_check(registry, medinst_real_data):
    folder = require_path(medinst_real_data / REAL)
    samples = {s["id"]: s for s in task_samples(registry, "verspoor_2013.ner", "train", medinst_real_data)}
    sample = samples["verspoor_2013.ner:train:1266026-01-Abstract-p01"]
    assert sample["input"] == (folder / "corpus" / "1266026-01-Abstract-p01.txt").read_text(encoding="utf-8")
    assert "[cancer <disease>]" in sample["output"]  # T2_cancer


TEXT = "Carriers of the MSH2 deletion developed endometrial cancer.\n"
ANN = (textbound(TEXT, "T1", "gene", "MSH2") + textbound(TEXT, "T2", "mutation", "deletion")
       + textbound(TEXT, "T3_1", "disease", "endometrial cancer") + "R1\trelatedTo Arg1:T2 Arg2:T1\n")


def test_one_folder_release_layout(registry, tmp_path):
    folder = tmp_path / "verspoor2013-hvp" / "data"
    write_file(folder, "3300001-02-Background-p01.txt", TEXT)
    write_file(folder, "3300001-02-Background-p01.ann", ANN)
    assert_split_builds(registry, "verspoor_2013.re", "train", tmp_path, records=1,
                        outputs={"3300001-02-Background-p01": "[<deletion> <relatedTo> <MSH2>]"})


def test_annotation_without_text_is_an_error(registry, tmp_path):
    root = tmp_path / "SETH-master" / "resources" / "Verspoor2013"
    write_file(root / "corpus", "A-01-Abstract-p01.txt", TEXT)
    write_file(root / "annotations", "A-01-Abstract-p01.ann", ANN)
    write_file(root / "annotations", "A-01-Abstract-p02.ann", ANN)
    with pytest.raises(SourceError, match="A-01-Abstract-p02.ann.*without its text file"):
        task_samples(registry, "verspoor_2013.ner", "train", tmp_path)
