"""Tests of the GENIA PTM event corpus plugin: conformance, the bundled samples (every
output checked by hand and against the annotation lines read on their own), the folder
names that are found, and that the EPI task's archive folders (also 'PTM') are not."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import MissingFilesError
from medinst_core.testing import (
    SharedTaskChecks,
    TaskConformance,
    assert_samples_match_standoff,
    assert_split_builds,
    plugin_registry_fixture,
    standoff_documents,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_ptm_events"
TASKS = ("ptm_events.ner", "ptm_events.ee", "ptm_events.coref")

BUNDLED = {
    "ptm_events.ner:train": {
        "PMID-93000001": "[PML <Protein>] [Promyelocytic leukemia protein <Protein>] [PML <Protein>] [CK2 <Protein>]",
        "PMID-93000002": "[MnSOD <Protein>] [MnSOD <Protein>]",
        "PMID-93000003": "[Glycogen synthase kinase <Protein>]",
    },
    "ptm_events.ee:train": {
        "PMID-93000001": "[<Sumoylation> <Sumoylation> <PML>] [<Phosphorylation> <phosphorylated> <PML>]",
        "PMID-93000002": "[<Nitration> <Nitration> <MnSOD>]",  # a negated event is still an event
    },
    "ptm_events.coref:train": {"PMID-93000001:T2": "[PML]"},
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


class TestSharedTask(SharedTaskChecks):
    plugin = PLUGIN
    tasks = TASKS
    real_train = "PTM-Events/post-translational_modifications_training_data"  # no real copy: skipped
    real_counts = {"ner": 112, "ee": 111, "coref": 25}
    bundled = BUNDLED


registry = plugin_registry_fixture(PLUGIN)


@pytest.mark.parametrize("task_id", TASKS)
def test_bundled_against_the_annotation_lines(registry, task_id):
    folder = registry.tasks[task_id].bundled
    docs = standoff_documents(folder / "post-translational_modifications_training_data", (".a1", ".a2"))
    samples = task_samples(registry, task_id, "train", folder, bundled=True)
    assert_samples_match_standoff(task_id.split(".")[1], samples, docs, ner_suffixes=(".a1",))


TEXT = "Acetylation of p53 at K382 by p300.\n"


def _doc(folder):
    write_file(folder, "PMID-94000001.txt", TEXT)
    write_file(folder, "PMID-94000001.a1", textbound(TEXT, "T1", "Protein", "p53") + textbound(TEXT, "T2", "Protein", "p300"))
    write_file(folder, "PMID-94000001.a2", textbound(TEXT, "T3", "Acetylation", "Acetylation")
               + textbound(TEXT, "T4", "Entity", "K382") + "E1\tAcetylation:T3 Theme:T1 Site:T4\n")


@pytest.mark.parametrize("folder", ["post-translational_modifications_training_data",
                                    "Post-translational_modifications/data", "ptm-event-corpus", "PTM_events"])
def test_folder_names(registry, tmp_path, folder):
    _doc(tmp_path / "downloads" / folder)
    assert_split_builds(registry, "ptm_events.ee", "train", tmp_path, records=1,
                        outputs={"PMID-94000001": "[<Acetylation> <Acetylation> <p53>]"})


def test_epi_archive_folders_are_not_taken(registry, tmp_path):
    _doc(tmp_path / "BioNLP-ST_2011_Epi_and_PTM_training_data_rev1")
    with pytest.raises(MissingFilesError):
        task_samples(registry, "ptm_events.ner", "train", tmp_path)
