"""Tests of the CHIA plugin: conformance, the bundled samples (each output worked out by
hand), and the quirks: offsets that need repair (counted), mentions written on two lines,
types and relations left out as BigBIO's loader does (Has_context, Non-query_able and the
other error types), '*' OR groups as pairwise OR relations."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    TaskConformance,
    assert_split_builds,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_chia"
TASKS = ("chia.ner", "chia.re")


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    "chia.ner": {
        "NCT90000001_inc": "[Patients <Person>] [18 years or older <Value>] [Type 2 diabetes <Condition>] "
                           "[type 1 diabetes <Condition>] [insulin <Drug>] [for at least 3 months <Temporal>] "
                           "[HbA1c <Measurement>] [> 7.5% <Value>]",
        # 'breast-\nfeeding' is written on two lines of the .ann; 'per investigator judgement' (Non-query_able) is left out
        "NCT90000001_exc": "[Pregnant <Condition>] [breast-\nfeeding <Condition>] [women <Person>] [History of <Qualifier>] "
                           "[myocardial infarction <Condition>] [within the past 6 months <Temporal>]",
        # NCT90000002_inc has only an Informed_consent annotation: dropped
    },
    "chia.re": {
        "NCT90000001_inc": "[<Patients> <Has_value> <18 years or older>] [<Type 2 diabetes> <OR> <type 1 diabetes>] "
                           "[<insulin> <Has_temporal> <for at least 3 months>] [<HbA1c> <Has_value> <> 7.5%>]",
        # Has_context and the Subsumes naming a Non-query_able mention are left out
        "NCT90000001_exc": "[<Pregnant> <OR> <breast-\nfeeding>] [<myocardial infarction> <Has_temporal> <within the past 6 months>]",
    },
}


@pytest.mark.parametrize("task_id", TASKS)
def test_bundled(registry, task_id):
    diagnostics = Diagnostics()
    samples = task_samples(registry, task_id, "train", registry.tasks[task_id].bundled, bundled=True,
                           diagnostics=diagnostics)
    assert sample_outputs(samples) == BUNDLED[task_id]
    # HbA1c is annotated two characters to the right of where it is
    assert dict(diagnostics.counts) == {"brat.offset_repaired": 1}
    assert "NCT90000001_inc.ann:7" in diagnostics.examples["brat.offset_repaired"][0]


TEXT = "No use of warfarin\nAge < 80 years\n"


def test_unrepairable_offsets_are_counted_and_kept(registry, tmp_path):
    folder = tmp_path / "chia_with_scope"
    write_file(folder, "NCT90000009_exc.txt", TEXT)
    write_file(folder, "NCT90000009_exc.ann", "T1\tNegation 0 2\tNo\nT2\tDrug 10 18\twarfarin\n"
                                              "T3\tValue 23 30\tnowhere\nR1\tHas_negation Arg1:T2 Arg2:T1\n")
    diagnostics = Diagnostics()
    samples = task_samples(registry, "chia.ner", "train", tmp_path, diagnostics=diagnostics)
    assert sample_outputs(samples) == {"NCT90000009_exc": "[No <Negation>] [warfarin <Drug>] [< 80 ye <Value>]"}
    assert dict(diagnostics.counts) == {"brat.offset_unrepaired": 1}
    assert_split_builds(registry, "chia.re", "train", tmp_path, records=1,
                        outputs={"NCT90000009_exc": "[<warfarin> <Has_negation> <No>]"})
