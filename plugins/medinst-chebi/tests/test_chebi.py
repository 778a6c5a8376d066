"""Tests of the ChEBI corpus plugin: conformance, the bundled samples, and the quirk that
one split holds documents of the same name in several folders (the two annotators'
abstracts): their ids keep the folder."""

from __future__ import annotations

import pytest

from medinst_core.testing import (
    TaskConformance,
    assert_samples_match_standoff,
    parse_standoff,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_chebi"
TASKS = ("chebi.ner", "chebi.re")


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    "chebi.ner": {
        "Annotator1/90500001": "[Quercetin <Metabolite>] [Allium cepa <Species>] [xanthine oxidase <Protein>] "
                               "[antioxidant activity <Biological_Activity>]",
        "Annotator2/90500001": "[Quercetin <Metabolite>] [Allium cepa <Species>] [xanthine oxidase <Protein>] "
                               "[antioxidant activity <Biological_Activity>]",
        "fullpapers/PMC9050001": "[1H NMR spectrum <Spectral_Data>] [caffeine <Chemical>] [caffeine <Chemical>] "
                                 "[adenosine A2A receptor <Protein>]",
        # Annotator1/90500002 has an empty .ann: dropped
    },
    "chebi.re": {
        "Annotator1/90500001": "[<Quercetin> <Isolated_From> <Allium cepa>]",
        "Annotator2/90500001": "[<Quercetin> <Isolated_From> <Allium cepa>] [<Quercetin> <Associated_With> <antioxidant activity>]",
        "fullpapers/PMC9050001": "[<caffeine> <Binds_With> <adenosine A2A receptor>]",
    },
}


@pytest.mark.parametrize("task_id", TASKS)
def test_bundled(registry, task_id):
    folder = registry.tasks[task_id].bundled
    samples = task_samples(registry, task_id, "train", folder, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_id]
    # against the .ann lines read on their own
    chebi = folder / "ChEBI"
    docs = {f"{p.parent.name}/{p.stem}": parse_standoff(p.with_suffix(""), (".ann",))
            for p in sorted(chebi.glob("**/*.txt"))}
    assert_samples_match_standoff(task_id.split(".")[1], samples, docs)
