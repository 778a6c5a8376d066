"""Tests of the BioNLP-ST 2011 EPI plugin: conformance, the bundled samples, the real
training and development files (counts against MedINST's, every sample against the
annotation lines, which the test reads on its own), and the official archive layout."""

from __future__ import annotations

import pytest

from medinst_core.testing import (
    SharedTaskChecks,
    TaskConformance,
    assert_samples_match_standoff,
    assert_split_builds,
    count_documents,
    ee_brackets,
    plugin_registry_fixture,
    require_path,
    standoff_documents,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_bionlp_st_2011_epi"
TASKS = ("bionlp_st_2011_epi.ner", "bionlp_st_2011_epi.ee", "bionlp_st_2011_epi.coref")
REAL = "BioNLP-ST-2011-EPI/original-data"

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    "bionlp_st_2011_epi.ner:train": {
        "PMID-90011001": "[Histone H3 <Protein>] [p300 <Protein>] [O6-methylguanine-DNA methyltransferase <Protein>] "
                         "[MGMT <Protein>] [MGMT <Protein>] [p53 <Protein>]",
        "PMID-90011002": "[SIRT1 <Protein>]",
    },
    "bionlp_st_2011_epi.ner:dev": {"PMID-90011101": "[histone H2B <Protein>] [H2B <Protein>] [RNF20 <Protein>]"},
    # the Catalysis events have an event as theme: left out; PMID-90011002 has an empty .a2
    "bionlp_st_2011_epi.ee:train": {
        "PMID-90011001": "[<Acetylation> <acetylation> <Histone H3>] [<DNA_methylation> <Methylation> <MGMT>] "
                         "[<Glycosylation> <glycosylation> <p53>]",
    },
    "bionlp_st_2011_epi.ee:dev": {"PMID-90011101": "[<Ubiquitination> <Ubiquitination> <histone H2B>]"},
    "bionlp_st_2011_epi.coref:train": {"PMID-90011001:T3": "[MGMT] [MGMT]"},
    "bionlp_st_2011_epi.coref:dev": {"PMID-90011101:T1": "[H2B]"},
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


class TestSharedTask(SharedTaskChecks):
    plugin = PLUGIN
    tasks = TASKS
    real_train = f"{REAL}/train"
    real_counts = {"ner": 600, "ee": 383, "coref": 440}
    bundled = BUNDLED


registry = plugin_registry_fixture(PLUGIN)


def test_no_test_split_as_medinst(registry):
    for task_id in TASKS:
        assert "test" not in registry.tasks[task_id].manifest["source"]["splits"]


@pytest.mark.parametrize("task_id,medinst", [
    ("bionlp_st_2011_epi.ner", 200), ("bionlp_st_2011_epi.ee", 121), ("bionlp_st_2011_epi.coref", 168)])
def test_real_development_files(registry, medinst_real_data, task_id, medinst):
    docs = standoff_documents(require_path(medinst_real_data / REAL / "devel"), (".a1", ".a2"))
    assert len(docs) == 200
    task = task_id.split(".")[1]
    # counted on the annotation files alone: documents with an .a1 entity, with an event whose
    # theme is an entity, and Equiv lines
    independent = {
        "ner": count_documents(docs, lambda d: [t for t in d.textbounds.values() if t.suffix == ".a1"]),
        "ee": count_documents(docs, ee_brackets),
        "coref": sum(len(d.equivalences) for d in docs.values()),
    }[task]
    assert independent == medinst == registry.tasks[task_id].manifest["medinst"]["counts"]["dev"]
    samples = task_samples(registry, task_id, "dev", medinst_real_data)
    assert len(samples) == medinst
    assert_samples_match_standoff(task, samples, docs, ner_suffixes=(".a1",))


def test_real_spot_check(registry, medinst_real_data):
    folder = require_path(medinst_real_data / REAL / "train")
    text = (folder / "PMID-10190553.txt").read_text()
    samples = {s["id"]: s for s in task_samples(registry, "bionlp_st_2011_epi.ner", "train", medinst_real_data)}
    sample = samples["bionlp_st_2011_epi.ner:train:PMID-10190553"]
    assert sample["input"] == text
    first = (folder / "PMID-10190553.a1").read_text().splitlines()[0].split("\t")
    assert sample["output"].startswith(f"[{first[2]} <Protein>]")


# -- the official archive layout (hand-written files) ----------------------------------

TEXT = "Phosphorylation of H3 at serine 10 by Aurora B was not observed.\n"


def test_official_archive_folders(registry, tmp_path):
    for folder, stem in (("BioNLP-ST_2011_Epi_and_PTM_training_data_rev1", "PMID-92000001"),
                         ("BioNLP-ST_2011_Epi_and_PTM_development_data_rev1", "PMID-92000002")):
        write_file(tmp_path / "downloads" / folder, f"{stem}.txt", TEXT)
        write_file(tmp_path / "downloads" / folder, f"{stem}.a1",
                   textbound(TEXT, "T1", "Protein", "H3") + textbound(TEXT, "T2", "Protein", "Aurora B"))
        write_file(tmp_path / "downloads" / folder, f"{stem}.a2",
                   textbound(TEXT, "T3", "Phosphorylation", "Phosphorylation") + textbound(TEXT, "T4", "Entity", "serine 10")
                   + "E1\tPhosphorylation:T3 Theme:T1 Site:T4\nM1\tNegation E1\n")
    for split, stem in (("train", "PMID-92000001"), ("dev", "PMID-92000002")):
        assert_split_builds(registry, "bionlp_st_2011_epi.ner", split, tmp_path, records=1,
                            outputs={stem: "[H3 <Protein>] [Aurora B <Protein>]"})
        assert_split_builds(registry, "bionlp_st_2011_epi.ee", split, tmp_path, records=1,
                            outputs={stem: "[<Phosphorylation> <Phosphorylation> <H3>]"})
