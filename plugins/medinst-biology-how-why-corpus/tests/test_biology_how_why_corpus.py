from __future__ import annotations

import re
import shutil

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_biology_how_why_corpus"
TASK = "biology_how_why_corpus.qa"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def pairs(path):
    """(question, justification) per answer, by regular expressions instead of an XML parser."""
    out = []
    for block in re.findall(r"<question>.*?</question>", path.read_text("utf-8"), re.S):
        text = re.search(r"<text>(.*?)</text>", block, re.S).group(1).strip()
        for just in re.findall(r"<justification>(.*?)</justification>", block, re.S):
            out.append((text, " ".join(line_.strip() for line_ in just.replace("&amp;", "&").split("\n"))))
    return out


def test_bundled_one_sample_per_answer(registry):
    folder = registry.tasks[TASK].bundled
    want = [p for name in sorted((folder / "BiologyHowWhyCorpus").glob("*.xml")) for p in pairs(name)]
    got = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [(s["input"], s["output"]) for s in got] == [(f"Question: {q}", a) for q, a in want]
    # two answers of the first question, one of the second (files sorted: How before Why); a question without
    # answers gives none
    assert [s["id"].rsplit(":", 1)[1] for s in got] == ["0_0", "0_1", "1_0", "2_0"]
    assert got[1]["output"].startswith("An enzyme binds its substrate at the active site and strains its bonds & orients")


def test_tar_layout_and_other_xml_files(registry, tmp_path):
    shutil.copytree(registry.tasks[TASK].bundled / "BiologyHowWhyCorpus", tmp_path / "data" / "BiologyHowWhyCorpus")
    (tmp_path / "data" / "other.xml").write_text("<x/>", "utf-8")
    assert len(task_samples(registry, TASK, "train", tmp_path)) == 4


def test_answer_without_justification_names_line(registry, tmp_path):
    (tmp_path / "BiologyHowWhyCorpus").mkdir()
    (tmp_path / "BiologyHowWhyCorpus" / "how.xml").write_text(
        "<collection>\n<question>\n<text>How?</text>\n<answer><docid>1</docid></answer>\n</question>\n</collection>", "utf-8")
    got = task_samples(registry, TASK, "train", tmp_path)
    assert got == []  # an answer without a passage has no output: dropped
    (tmp_path / "BiologyHowWhyCorpus" / "how.xml").write_text("<collection>\n<question>\n<text>How?</question>", "utf-8")
    with pytest.raises(SourceError, match=r"how\.xml:3: malformed XML"):
        task_samples(registry, TASK, "train", tmp_path)
