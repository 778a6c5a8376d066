from __future__ import annotations

import importlib
import re
from pathlib import Path

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_gnormplus"
TASKS = ("gnormplus.ner", "gnormplus.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
CORPUS = SAMPLES / "GNormPlusCorpus"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def documents(*names: str) -> dict[str, int]:
    """Document id -> number of annotations, from the XML text (no core reader)."""
    out = {}
    for name in names:
        for d in (CORPUS / name).read_text().split("<document>")[1:]:
            out[re.search(r"<id>(.*?)</id>", d).group(1)] = d.count("<annotation ")
    return out


def test_training_set_is_bc2gn_training_plus_nlm_iat(registry):
    docs = documents("BC2GNtrain.BioC.xml", "NLMIAT.BioC.xml")
    for task in TASKS:
        stats = SplitStats(task, "train")
        samples = task_samples(registry, task, "train", SAMPLES, stats=stats)
        assert sorted(sample_outputs(samples)) == sorted(docs) and stats.records == len(docs)


def test_test_abstract_without_mentions_is_dropped(registry):
    docs = documents("BC2GNtest.BioC.xml")
    assert docs == {"90500021": 2, "90500022": 0}
    assert list(sample_outputs(task_samples(registry, "gnormplus.ner", "test", SAMPLES))) == ["90500021"]


def test_types_and_mentions_with_disconnected_passage_offsets(registry):
    # the abstract's passage offset (60) is not len(title) + 1 (58): the text is title + " " + abstract
    assert "<offset>60</offset>" in (CORPUS / "BC2GNtrain.BioC.xml").read_text()
    diagnostics = Diagnostics()
    out = sample_outputs(task_samples(registry, "gnormplus.ner", "train", SAMPLES, diagnostics=diagnostics))
    assert out["90500001"] == (
        "[Ptpn11 <Gene>] [SH2 domain <DomainMotif>] [tyrosine phosphatases <FamilyName>] [Ptpn11 <Gene>] "
        "[Ptpn6 <Gene>] [protein tyrosine phosphatase family <FamilyName>] [SH2 domain <DomainMotif>] [PTPN11 <Gene>]")
    # the one annotation a character off (NLM IAT) is kept with its annotated text, and counted
    assert out["90500011"] == "[Hepcidin <Gene>] [HAMP <Gene>]"
    assert diagnostics.as_dict()["offset_mismatch"]["count"] == 1


def test_ned_ids_without_species_and_one_bracket_per_gene(registry):
    assert "19247(Tax:10090)" in (CORPUS / "BC2GNtrain.BioC.xml").read_text()
    out = sample_outputs(task_samples(registry, "gnormplus.ned", "train", SAMPLES))
    assert out["90500001"] == ("[Ptpn11 <NCBIGene/19247>] [Ptpn11 <NCBIGene/19247>] [Ptpn6 <NCBIGene/15170>] "
                               "[PTPN11 <NCBIGene/5781>]")
    assert out["90500002"].startswith("[Interleukin 1 alpha and beta <NCBIGene/3552>] "
                                      "[Interleukin 1 alpha and beta <NCBIGene/3553>]")
