"""Tests of the miRNA corpus plugin: conformance and the bundled samples (end-inclusive offsets, typed pairs,
MeSH indexing terms in a sentence without text). No copy of the real files was available."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError, core_reader
from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_mirna"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"

NER = {
    "train": {
        "miRNA-corp.d0": "[Down-regulation <Relation_Trigger>] [miR-21 <Specific_miRNAs>] [glioma <Diseases>] "
                         "[PTEN <Genes/Proteins>] [mice <Species>] [microRNAs <Non-Specific_miRNAs>]",
        "miRNA-corp.d1": "[miR-155 <Specific_miRNAs>] [miR-146a <Specific_miRNAs>] [TRAF6 <Genes/Proteins>] "
                         "[IRAK1 <Genes/Proteins>]",
    },
    "test": {"miRNA-corp.d50": "[Let-7 <Specific_miRNAs>] [suppresses <Relation_Trigger>] [RAS <Genes/Proteins>] "
                               "[lung cancer <Diseases>]"},
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("mirna.ner", "mirna.ned")


registry = plugin_registry_fixture(PLUGIN)


@pytest.mark.parametrize("split", sorted(NER))
def test_bundled_mentions(registry, split):
    """End-inclusive charOffset ("0-5" is miR-21's six characters); the MeSH indexing term is left out."""
    assert sample_outputs(task_samples(registry, "mirna.ner", split, SAMPLES, bundled=True)) == NER[split]


def test_text_is_every_sentence_with_text(registry):
    [d0] = [s for s in task_samples(registry, "mirna.ner", "train", SAMPLES, bundled=True) if s["id"].endswith("d0")]
    assert d0["input"] == ("Down-regulation of miR-21 in glioma cells increases PTEN in mice. "
                           "Several microRNAs were measured. Serum samples were stored at -80 C.")


def test_ned_writes_each_mention_with_its_corpus_id(registry):
    ned = sample_outputs(task_samples(registry, "mirna.ned", "test", SAMPLES, bundled=True))
    assert ned == {"miRNA-corp.d50": "[Let-7 <miRNA-corpus/miRNA-corp.d50.s0.e0>] "
                                     "[suppresses <miRNA-corpus/miRNA-corp.d50.s0.e1>] "
                                     "[RAS <miRNA-corpus/miRNA-corp.d50.s0.e2>] "
                                     "[lung cancer <miRNA-corpus/miRNA-corp.d50.s0.e3>]"}


def test_end_exclusive_reading_would_fail(registry):
    """The offsets are end-inclusive: read as end-exclusive, the first mention is one character short."""
    files = FileIndex(SAMPLES).resolve({"data": ["miRNA-Test-Corpus.xml"]}, what="test")
    options = {**registry.tasks["mirna.ner"].manifest["source"]["options"], "offset_end": "exclusive",
               "offset_check": "error"}
    with pytest.raises(SourceError, match="annotated as 'Let-7' but the text .* is 'Let-'"):
        list(core_reader("ppi_xml")(files, options, Diagnostics()))


def test_the_manifest_counts_mismatches_instead_of_stopping(registry):
    """The real files could not be checked here (a repaired copy circulates as miRNA_train_fixed.xml), so the
    manifests count a mention that does not fit its offsets as a warning; the bundled files have none."""
    options = registry.tasks["mirna.ner"].manifest["source"]["options"]
    assert options["offset_check"] == "warn"
    files = FileIndex(SAMPLES).resolve({"data": ["miRNA-Train-Corpus.xml"]}, what="test")
    diagnostics = Diagnostics()
    list(core_reader("ppi_xml")(files, options, diagnostics))
    assert not diagnostics.counts.get("offset_mismatch")
