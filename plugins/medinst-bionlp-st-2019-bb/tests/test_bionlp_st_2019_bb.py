"""Tests of the BioNLP-OST 2019 Bacteria Biotope plugin: conformance, the bundled samples
(every output checked by hand), and the quirks: Title/Paragraph spans that are not
entities, role-style normalization lines (N ... Annotation:T Referent:ID), a mention with
two concepts, discontinuous habitats, and that the other subtask archives are not read."""

from __future__ import annotations

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_split_builds,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_bionlp_st_2019_bb"
TASKS = ("bionlp_st_2019_bb.ner", "bionlp_st_2019_bb.re", "bionlp_st_2019_bb.ned")


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

D1, D2, D3 = "BB-kb+ner-90100001", "BB-kb+ner-F-90100002-001", "BB-kb+ner-90100101"
BUNDLED = {
    "bionlp_st_2019_bb.ner:train": {
        D1: "[Listeria monocytogenes <Microorganism>] [raw milk cheese <Habitat>] [Listeria monocytogenes <Microorganism>] "
            "[soft cheese made of raw cow milk <Habitat>] [raw cow milk <Habitat>] [France <Geographical>] "
            "[strains <Microorganism>] [psychrotrophic <Phenotype>]",
        D2: "[Soil <Habitat>] [Bacillus <Microorganism>] [Pseudomonas species <Microorganism>] "
            "[wheat rhizosphere <Habitat>] [maize rhizosphere <Habitat>]",
    },
    "bionlp_st_2019_bb.ner:dev": {
        D3: "[Vibrio cholerae <Microorganism>] [estuarine water <Habitat>] [Vibrio cholerae <Microorganism>] "
            "[brackish water <Habitat>] [Chesapeake Bay <Geographical>]",
    },
    "bionlp_st_2019_bb.re:train": {
        D1: "[<Listeria monocytogenes> <Lives_In> <raw milk cheese>] [<Listeria monocytogenes> <Lives_In> "
            "<soft cheese made of raw cow milk>] [<Listeria monocytogenes> <Lives_In> <France>] "
            "[<strains> <Exhibits> <psychrotrophic>]",
        # D2 has no relation: dropped
    },
    "bionlp_st_2019_bb.re:dev": {
        D3: "[<Vibrio cholerae> <Lives_In> <brackish water>] [<Vibrio cholerae> <Lives_In> <Chesapeake Bay>]",
    },
    "bionlp_st_2019_bb.ned:train": {
        D1: "[Listeria monocytogenes <NCBI_Taxonomy/1639>] [raw milk cheese <OntoBiotope/OBT:003346>] "
            "[Listeria monocytogenes <NCBI_Taxonomy/1639>] [soft cheese made of raw cow milk <OntoBiotope/OBT:003346>] "
            "[soft cheese made of raw cow milk <OntoBiotope/OBT:001707>] [raw cow milk <OntoBiotope/OBT:001707>] "
            "[strains <NCBI_Taxonomy/1639>] [psychrotrophic <OntoBiotope/OBT:002864>]",
        D2: "[Bacillus <NCBI_Taxonomy/1386>] [Pseudomonas species <NCBI_Taxonomy/286>] "
            "[wheat rhizosphere <OntoBiotope/OBT:000427>] [maize rhizosphere <OntoBiotope/OBT:000427>]",
    },
    "bionlp_st_2019_bb.ned:dev": {
        D3: "[Vibrio cholerae <NCBI_Taxonomy/666>] [estuarine water <OntoBiotope/OBT:000212>] "
            "[Vibrio cholerae <NCBI_Taxonomy/666>] [brackish water <OntoBiotope/OBT:000125>]",
    },
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, registry.tasks[task_id].bundled, bundled=True)
    assert sample_outputs(samples) == BUNDLED[task_split]


def test_no_test_split(registry):
    for task_id in TASKS:
        assert set(registry.tasks[task_id].manifest["source"]["splits"]) == {"train", "dev"}


TEXT = "Title\nStreptomyces lives in soil.\n"
A1 = "T1\tTitle 0 5\tTitle\nT2\tParagraph 6 30\tStreptomyces lives in soil.\n"
A2 = ("T3\tMicroorganism 6 18\tStreptomyces\nT4\tHabitat 28 32\tsoil\nR1\tLives_In Microorganism:T3 Location:T4\n"
      "N1\tNCBI_Taxonomy Annotation:T3 Referent:1883\nN2\tOntoBiotope Annotation:T4 Referent:OBT:000427\n")


def _doc(folder, a2=A2):
    write_file(folder, "BB-kb+ner-90200001.txt", TEXT)
    write_file(folder, "BB-kb+ner-90200001.a1", A1)
    write_file(folder, "BB-kb+ner-90200001.a2", a2)


def test_other_subtask_archives_are_not_read(registry, tmp_path):
    _doc(tmp_path / "BioNLP-OST-2019_BB-kb+ner_dev")
    for other in ("BioNLP-OST-2019_BB-norm+ner_dev", "BioNLP-OST-2019_BB-rel+ner_dev", "BioNLP-OST-2019_BB-kb_dev"):
        _doc(tmp_path / other)
    assert_split_builds(registry, "bionlp_st_2019_bb.ned", "dev", tmp_path, records=1, outputs={
        "BB-kb+ner-90200001": "[Streptomyces <NCBI_Taxonomy/1883>] [soil <OntoBiotope/OBT:000427>]"})
    assert_split_builds(registry, "bionlp_st_2019_bb.ner", "dev", tmp_path, records=1, outputs={
        "BB-kb+ner-90200001": "[Streptomyces <Microorganism>] [soil <Habitat>]"})


def test_bad_normalization_line_names_file_and_line(registry, tmp_path):
    _doc(tmp_path / "BioNLP-OST-2019_BB-kb+ner_train", A2.replace("Referent:1883", "1883"))
    with pytest.raises(SourceError, match=r"BB-kb\+ner-90200001.a2:4"):
        task_samples(registry, "bionlp_st_2019_bb.ned", "train", tmp_path)
