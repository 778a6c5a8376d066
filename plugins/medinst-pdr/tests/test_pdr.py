"""Tests of the PDR plugin: conformance, the bundled samples (each output worked out by
hand from the two annotators' files), and the agreement rules: overlapping spans of one
type agree and the longer mention is kept, events need the same type, agreed arguments
and overlapping triggers, chains need the same agreed members; a missing .ann2 agrees on
nothing."""

from __future__ import annotations

import pytest

from medinst_core.testing import (
    TaskConformance,
    assert_split_builds,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    textbound,
    write_file,
)

PLUGIN = "medinst_pdr"
TASKS = ("pdr.ner", "pdr.ee", "pdr.coref")


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    # 90300001: 'Green tea' / 'Green tea extract' agree (the longer kept), so do 'skin papillomas' /
    # 'papillomas'; annotator 2 has no Disease 'gastric ulcer'. 90300002: 'Rice blast' (Disease) and
    # 'Rice' (Plant) differ in type. 90300003: the .ann2 is empty, nothing is agreed.
    "pdr.ner": {
        "90300001": "[Green tea extract <Plant>] [skin papillomas <Disease>] [Camellia sinensis <Plant>] "
                    "[green tea <Plant>] [colon cancer <Disease>] [garlic <Plant>]",
        "90300002": "[Oryza sativa <Plant>]",
    },
    # E2 is Treatment_of_disease for annotator 1, Cause_of_disease for annotator 2: not agreed
    "pdr.ee": {"90300001": "[<Treatment_of_disease> <inhibits the growth> <skin papillomas>]"},
    "pdr.coref": {"90300001:T4": "[green tea]"},
}


@pytest.mark.parametrize("task_id", TASKS)
def test_bundled(registry, task_id):
    samples = task_samples(registry, task_id, "train", registry.tasks[task_id].bundled, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_id]


TEXT = "Ginseng roots and garlic bulbs relieve fever and cough.\n"


def _write(folder, ann, ann2=None):
    write_file(folder, "90400001.txt", TEXT)
    write_file(folder, "90400001.ann", ann)
    if ann2 is not None:
        write_file(folder, "90400001.ann2", ann2)


def t(ident, etype, mention):
    return textbound(TEXT, ident, etype, mention)


ANN = (t("T1", "Plant", "Ginseng roots") + t("T2", "Plant", "garlic") + t("T3", "Disease", "fever")
       + t("T4", "Disease", "cough") + t("T5", "Treatment_of_disease", "relieve")
       + "E1\tTreatment_of_disease:T5 Theme:T3 Cause:T1\nE2\tTreatment_of_disease:T5 Theme:T4 Cause:T2\n*\tEquiv T1 T2\n")


def test_events_need_agreed_arguments(registry, tmp_path):
    folder = tmp_path / "Plant-Disease_Corpus"
    ann2 = (t("T1", "Plant", "Ginseng") + t("T2", "Plant", "garlic bulbs") + t("T3", "Disease", "fever")
            + t("T4", "Trigger", "relieve fever") + "E1\tTreatment_of_disease:T4 Theme:T3 Cause:T1\n"
            + "E2\tTreatment_of_disease:T4 Theme:T3 Cause:T2\n")
    _write(folder, ANN, ann2)
    # cough has no partner: E2 (theme cough) is not agreed; E1 agrees, trigger 'relieve fever' is longer
    assert_split_builds(registry, "pdr.ee", "train", tmp_path, records=1, outputs={
        "90400001": "[<Treatment_of_disease> <relieve fever> <fever>]"})
    assert_split_builds(registry, "pdr.ner", "train", tmp_path, records=1, outputs={
        "90400001": "[Ginseng roots <Plant>] [garlic bulbs <Plant>] [fever <Disease>]"})
    # the chain T1 T2 is not a chain of annotator 2
    assert task_samples(registry, "pdr.coref", "train", tmp_path) == []


def test_without_second_annotator_nothing_is_agreed(registry, tmp_path):
    _write(tmp_path / "Plant-Disease_Corpus", ANN)
    for task_id in TASKS:
        assert task_samples(registry, task_id, "train", tmp_path) == []
