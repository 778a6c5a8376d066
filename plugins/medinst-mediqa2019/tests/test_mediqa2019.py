from __future__ import annotations

import re
import shutil
from collections import Counter

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, require_path, task_samples

PLUGIN = "medinst_mediqa2019"
RQE = "mediqa2019.rqe"
QA = "mediqa2019.qa"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (RQE, QA)


registry = plugin_registry_fixture(PLUGIN)

PAIR = re.compile(r'<pair pid="([^"]+)"[^>]*?value="(true|false)"[^>]*>\s*<chq>(.*?)</chq>\s*<faq>(.*?)</faq>', re.S)
ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&apos;": "'", "&quot;": '"'}


def unescape(text: str) -> str:
    return re.sub("|".join(ENTITIES), lambda m: ENTITIES[m.group(0)], text)


def pairs(path):
    """(pid, value, chq, faq) of an RQE file, read with a regular expression instead of an XML parser."""
    return [(pid, v, unescape(c).strip(), unescape(f).strip()) for pid, v, c, f in PAIR.findall(path.read_text("utf-8"))]


def questions(path):
    """(QID, question text, text of the ReferenceRank 1 answer) per question, by regular expressions."""
    out = []
    for block in re.findall(r"<Question QID=.*?</Question>", path.read_text("utf-8"), re.S):
        qid = re.search(r'QID="([^"]+)"', block).group(1)
        text = re.search(r"<QuestionText>(.*?)</QuestionText>", block, re.S).group(1)
        best = re.search(r'ReferenceRank="1"[^>]*>.*?<AnswerText>(.*?)</AnswerText>', block, re.S).group(1)
        out.append((qid, unescape(text).strip(), unescape(best).strip()))
    return out


RQE_FILES = {"train": "MEDIQA2019-Task2-RQE-TrainingSet-AMIA2016.xml", "dev": "MEDIQA2019-Task2-RQE-ValidationSet-AMIA2016.xml",
             "test": "MEDIQA2019-Task2-RQE-TestSet-wLabels.xml"}
QA_FILES = {"train": ["MEDIQA2019-Task3-QA-TrainingSet1-LiveQAMed.xml", "MEDIQA2019-Task3-QA-TrainingSet2-Alexa.xml"],
            "dev": ["MEDIQA2019-Task3-QA-ValidationSet.xml"], "test": ["MEDIQA2019-Task3-QA-TestSet-wLabels.xml"]}
LABELS = {"true": "Supports", "false": "Neutral"}


def check_rqe(registry, folder, split, path, **kw):
    got = task_samples(registry, RQE, split, folder, **kw)
    want = pairs(path)
    assert len(got) == len(want)
    for sample, (pid, value, chq, faq) in zip(got, want):
        assert sample["id"] == f"{RQE}:{split}:{pid}"
        assert sample["input"] == f"Consumer question: {chq}\nFAQ: {faq}"
        assert sample["output"] == LABELS[value]
    return got


def check_qa(registry, folder, split, paths, **kw):
    got = task_samples(registry, QA, split, folder, **kw)
    want = [q for p in paths for q in questions(p)]
    assert len(got) == len(want)
    for sample, (_qid, text, best) in zip(got, want):
        assert sample["input"] == f"Question: {text}"
        assert sample["output"] == best
    return got


def test_bundled_rqe(registry):
    folder = registry.tasks[RQE].bundled
    train = check_rqe(registry, folder, "train", folder / "MEDIQA_Task2_RQE" / RQE_FILES["train"], bundled=True)
    # the padding newlines and spaces are stripped, the XML entities decoded
    assert train[2]["input"] == ("Consumer question: Can I take ibuprofen & paracetamol together for a toothache <3 days>?\n"
                                 "FAQ: Is it safe to combine ibuprofen and paracetamol?")
    # the validation file has no type attribute and ends in a space
    assert [s["output"] for s in check_rqe(registry, folder, "dev", folder / "MEDIQA_Task2_RQE" / RQE_FILES["dev"],
                                           bundled=True)] == ["Neutral", "Supports"]
    # the labelled test file is read; TestSet.xml (no labels) beside it is not
    assert len(check_rqe(registry, folder, "test", folder / "MEDIQA_Task2_RQE" / RQE_FILES["test"], bundled=True)) == 3


def test_bundled_qa(registry):
    folder = registry.tasks[QA].bundled / "MEDIQA_Task3_QA"
    root = registry.tasks[QA].bundled
    train = check_qa(registry, root, "train", [folder / n for n in QA_FILES["train"]], bundled=True)
    # the V2 revision beside the training files is not read; QIDs repeat across the two files, so ids are the
    # question's position in the split and the position of its reference answer
    assert [s["id"] for s in train] == [f"{QA}:train:0_1", f"{QA}:train:1_0", f"{QA}:train:2_1"]
    assert "don't stop" in train[0]["output"] and "a revised question" not in " ".join(s["input"] for s in train)
    # the expert's first answer, not CHiQA's first one
    dev = check_qa(registry, root, "dev", [folder / QA_FILES["dev"][0]], bundled=True)
    assert dev[0]["output"].startswith("Gallstones (Treatment)")
    check_qa(registry, root, "test", [folder / QA_FILES["test"][0]], bundled=True)


def test_real_files(registry, medinst_real_data):
    root = require_path(medinst_real_data / "MEDIQA2019")
    rqe = root / "MEDIQA_Task2_RQE"
    train = check_rqe(registry, root, "train", rqe / RQE_FILES["train"])
    dev = check_rqe(registry, root, "dev", rqe / RQE_FILES["dev"])
    assert (len(train), len(dev)) == (8588, 302)  # MedINST's counts
    assert len(re.findall("<pair ", (rqe / RQE_FILES["train"]).read_text("utf-8"))) == 8588
    # the validation labels agree with the separate ground-truth file (1 = true)
    truth = (root / "Eval_Scripts" / "data" / "RQE_validationSet_ground_truth.txt").read_text("utf-8").split()[1:]
    assert [s["output"] for s in dev] == [LABELS["true" if row.split(",")[1] == "1" else "false"] for row in truth]
    assert Counter(s["output"] for s in dev) == {"Neutral": 173, "Supports": 129}
    qa = root / "MEDIQA_Task3_QA"
    qa_train = check_qa(registry, root, "train", [qa / n for n in QA_FILES["train"]])
    qa_dev = check_qa(registry, root, "dev", [qa / QA_FILES["dev"][0]])
    assert (len(qa_train), len(qa_dev)) == (208, 25)  # MedINST: 312 (see the manifest's note) and 25
    assert qa_dev[0]["input"] == "Question: about uveitis. IS THE UVEITIS, AN AUTOIMMUNE DISEASE?"


def test_question_without_reference_answer_gives_no_sample(registry, tmp_path):
    src = registry.tasks[QA].bundled / "MEDIQA_Task3_QA" / QA_FILES["dev"][0]
    text = src.read_text("utf-8")
    start, end = text.index("\t<Question "), text.index("</Question>") + len("</Question>\n")
    # a second question, with no answer ranked first by the reference
    unranked = text[start:end].replace('QID="2"', 'QID="9"').replace('ReferenceRank="1"', 'ReferenceRank="9"')
    (tmp_path / src.name).write_text(text[:end] + unranked + text[end:], "utf-8")
    samples = task_samples(registry, QA, "dev", tmp_path)
    assert len(samples) == len(task_samples(registry, QA, "dev", src.parent.parent)) == 1


def test_malformed_file_names_file_and_line(registry, tmp_path):
    src = registry.tasks[RQE].bundled / "MEDIQA_Task2_RQE" / RQE_FILES["dev"]
    text = src.read_text("utf-8").replace("</faq>\n</pair>\n<pair pid=\"2\"", "</chq>\n</pair>\n<pair pid=\"2\"", 1)
    (tmp_path / src.name).write_text(text, "utf-8")
    with pytest.raises(SourceError, match=r"ValidationSet-AMIA2016\.xml:5: malformed XML: mismatched tag"):
        task_samples(registry, RQE, "dev", tmp_path)


def test_github_archive_layout(registry, tmp_path):
    """master.zip unpacked: MEDIQA2019-master/MEDIQA_Task2_RQE/... with the evaluation scripts beside."""
    src = registry.tasks[RQE].bundled
    shutil.copytree(src, tmp_path / "MEDIQA2019-master")
    assert len(task_samples(registry, RQE, "train", tmp_path)) == 4
    assert len(task_samples(registry, QA, "test", tmp_path)) == 2
