from __future__ import annotations

import gzip
import importlib
import re
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_nlm_chem"
TASKS = ("nlm_chem.ner", "nlm_chem.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
TRAIN = SAMPLES / "BC7T2-NLMChem-corpus-train.BioC.xml"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_article_without_chemicals_is_dropped(registry):
    for task in TASKS:
        stats = SplitStats(task, "dev")
        samples = task_samples(registry, task, "dev", SAMPLES, stats=stats)
        assert list(sample_outputs(samples)) == ["PMC9000012"] and stats.records == 2


def test_passages_sit_at_their_offsets_and_indexing_terms_are_not_mentions(registry):
    [article, _] = task_samples(registry, "nlm_chem.ner", "train", SAMPLES)
    # the file leaves ten characters between the abstract and the first paragraph
    assert "potassium ions." + " " * 11 + "Rats received" in article["input"]
    # two MeSH_Indexing_Chemical annotations (no location) in a passage without text: not mentions
    assert TRAIN.read_text().count("MeSH_Indexing_Chemical") == 2
    assert article["output"].count("<Chemical>") == 12


def test_ned_discontinuous_mention_and_unlinked_mentions(registry):
    out = sample_outputs(task_samples(registry, "nlm_chem.ned", "train", SAMPLES))
    # "sodium ... ions" names two chemicals: one bracket per MeSH id
    assert "[sodium ions <MESH/D012964>] [sodium ions <MESH/D011188>]" in out["PMC9000001"]
    # X-17 is annotated '-': a chemical without a MeSH concept, in NER only
    assert out["PMC9000002"] == "[Phosphoinositide <MESH/D010716>] [Inositol phosphates <MESH/D007295>]"


def test_independent_mention_count(registry):
    # every annotation with a location is a mention: counted from the XML text
    xml = TRAIN.read_text()
    per_doc = [len(re.findall(r"<location ", d)) - len(re.findall(r"<location [^>]*/><location ", d))
               for d in xml.split("<document>")[1:]]
    samples = task_samples(registry, "nlm_chem.ner", "train", SAMPLES)
    assert [s["output"].count("<Chemical>") for s in samples] == per_doc


def test_gzip_compressed_file(registry, tmp_path):
    (tmp_path / "BC7T2-NLMChem-corpus-train.BioC.xml.gz").write_bytes(gzip.compress(TRAIN.read_bytes()))
    for task in TASKS:
        assert task_samples(registry, task, "train", tmp_path) == task_samples(registry, task, "train", SAMPLES)


def test_malformed_xml_names_file_and_line(registry, tmp_path):
    write_file(tmp_path, "BC7T2-NLMChem-corpus-test.BioC.xml",
               '<?xml version="1.0"?>\n<collection>\n<document><id>1</id>\n<passage></document>\n</collection>\n')
    with pytest.raises(SourceError, match=r"BC7T2-NLMChem-corpus-test.BioC.xml:4: malformed XML"):
        task_samples(registry, "nlm_chem.ner", "test", tmp_path)
