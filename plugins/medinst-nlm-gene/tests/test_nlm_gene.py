from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, MissingFilesError
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_nlm_gene"
TASKS = ("nlm_gene.ner", "nlm_gene.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
CORPUS = SAMPLES / "Corpus"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def listed(name: str) -> list[str]:
    return (CORPUS / name).read_text().split()


def test_splits_are_the_listed_pmids(registry):
    # five documents in FINAL/, four of them listed; every listed abstract has genes
    assert len(list((CORPUS / "FINAL").glob("*.BioC.XML"))) == 5
    for task in TASKS:
        for split, name in (("train", "Pmidlist.Train.txt"), ("test", "Pmidlist.Test.txt")):
            stats = SplitStats(task, split)
            samples = task_samples(registry, task, split, SAMPLES, stats=stats)
            assert sorted(sample_outputs(samples)) == sorted(listed(name)) and stats.records == len(listed(name))


def test_ned_identifier_codes_and_separators(registry):
    out = sample_outputs(task_samples(registry, "nlm_gene.ned", "train", SAMPLES))
    # two genes joined by ',' or ';': one bracket each
    assert "[keratin 8 and keratin 18 <NCBIGene/16691>] [keratin 8 and keratin 18 <NCBIGene/16668>]" in out["90200001"]
    assert "[IFNGR1;IFNGR2 <NCBIGene/3459>] [IFNGR1;IFNGR2 <NCBIGene/3460>]" in out["90200002"]
    # '-' (a domain) and '-1' (no gene) are not links; '-222,<id>' keeps its id
    assert "BRCT" not in out["90200001"] and "cytokines" not in out["90200002"]
    assert out["90200003"] == "[CDK family <NCBIGene/852457>] [CDC28 <NCBIGene/852457>]"


def test_ner_keeps_every_annotated_type(registry):
    out = sample_outputs(task_samples(registry, "nlm_gene.ner", "train", SAMPLES))
    assert "[BRCT domain <Domain>]" in out["90200001"] and out["90200002"].endswith("[cytokines <Other>]")


def test_annotation_text_differing_from_the_text_is_a_warning(registry):
    diagnostics = Diagnostics()
    out = sample_outputs(task_samples(registry, "nlm_gene.ned", "test", SAMPLES, diagnostics=diagnostics))
    assert out == {"90200004": "[TNF-alpha <NCBIGene/7124>] [IL 6 <NCBIGene/3569>]"}
    assert diagnostics.as_dict()["offset_mismatch"]["count"] == 1


def test_zenodo_archive_layout(registry, tmp_path):
    # NLM-Gene-Corpus.zip unpacked into a folder of its own; a README and other folders are not read
    root = tmp_path / "NLM-Gene-Corpus"
    shutil.copytree(CORPUS, root / "Corpus")
    write_file(root, "README.txt", "NLM-Gene corpus\n")
    for task in TASKS:
        for split in ("train", "test"):
            assert task_samples(registry, task, split, tmp_path) == task_samples(registry, task, split, SAMPLES)


def test_missing_pmid_list_names_it(registry, tmp_path):
    shutil.copytree(CORPUS / "FINAL", tmp_path / "FINAL")
    with pytest.raises(MissingFilesError, match="ids: Pmidlist.Test.txt"):
        task_samples(registry, "nlm_gene.ned", "test", tmp_path)


def test_lowercase_xml_suffix_and_listed_file_missing(registry, tmp_path):
    folder = tmp_path / "FINAL"
    folder.mkdir()
    for path in (CORPUS / "FINAL").iterdir():
        (folder / path.name.replace(".XML", ".xml")).write_bytes(path.read_bytes())
    write_file(tmp_path, "Pmidlist.Test.txt", "90200004\n90299999\n")
    diagnostics = Diagnostics()
    samples = task_samples(registry, "nlm_gene.ner", "test", tmp_path, diagnostics=diagnostics)
    assert list(sample_outputs(samples)) == ["90200004"]
    assert "'90299999'" in diagnostics.as_dict()["select.unmatched_ids"]["examples"][0]


def test_bundled_annotations_match_the_text_outside_the_one_quirk():
    # the samples are consistent BioC: each annotation's text is the text at its offsets, but for one
    for path in (CORPUS / "FINAL").glob("*.BioC.XML"):
        xml = path.read_text()
        passages = re.findall(r"<offset>(\d+)</offset><text>(.*?)</text>(.*?)</passage>", xml)
        for offset, text, anns in passages:
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
            for start, length, shown in re.findall(r'offset="(\d+)" length="(\d+)"/><text>(.*?)</text>', anns):
                s = int(start) - int(offset)
                assert text[s : s + int(length)] == shown or (path.stem.startswith("90200004") and shown == "TNF-alpha")
