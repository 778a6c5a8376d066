from __future__ import annotations

import hashlib
import random
import xml.etree.ElementTree as ET
from collections import Counter
from itertools import combinations
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from medinst_manconcorpus.reader import read_manconcorpus

from medinst_core.plugin_api import Diagnostics, SourceError, SourceFiles
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_manconcorpus"
TASK = "manconcorpus.te"
FILE = "ManConCorpus.xml"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def read(path: Path, neutral_pairs=1000) -> list:
    files = SourceFiles(path.parent, {"data": (path,)})
    return list(read_manconcorpus(files, {"neutral_pairs": neutral_pairs}, Diagnostics()))


def claims_by_etree(path: Path) -> list[tuple[str, str, str]]:
    """(text, question, assertion) of every CLAIM, read with ElementTree."""
    return [(" ".join("".join(c.itertext()).split()), " ".join(c.get("QUESTION").split()), c.get("ASSERTION"))
            for c in ET.parse(path).getroot().iter("CLAIM")]


def write_corpus(path: Path, groups: list[list[tuple[str, str]]]) -> None:
    """groups: per question, a list of (assertion, text)."""
    parts = ["<?xml version='1.0' encoding='UTF-8'?>\n<CORPUS>"]
    for q, claims in enumerate(groups):
        parts.append(f'<REVIEW REVIEW_PMID="{q}" REVIEW_TITLE="review {q}">')
        for n, (assertion, text) in enumerate(claims):
            parts.append(f'<CLAIM ASSERTION="{assertion}" PMID="{q}{n}" QUESTION={quoteattr(f"question {q}?")} '
                         f'TYPE="CAUS">{escape(text)}</CLAIM>')
        parts.append("</REVIEW>")
    parts.append("</CORPUS>")
    path.write_text("".join(parts), encoding="utf-8")


def test_bundled_pairs(registry):
    folder = registry.tasks[TASK].bundled
    claims = claims_by_etree(folder / FILE)
    got = task_samples(registry, TASK, "test", folder, bundled=True)
    want = []
    for (i, a), (j, b) in combinations(enumerate(claims), 2):
        label = "Neutral" if a[1] != b[1] else ("Supports" if a[2] == b[2] else "Refutes")
        want.append((f"{i}_{j}", f"Claim 1: {a[0]}\nClaim 2: {b[0]}", label))
    # fewer than 1,000 cross-question pairs: every pair is kept, in (i, j) order
    assert [(s["id"].rsplit(":", 1)[1], s["input"], s["output"]) for s in got] == want
    assert Counter(s["output"] for s in got) == {"Refutes": 5, "Supports": 2, "Neutral": 21}
    # character references and escaped characters are decoded; a line break in a claim becomes a space
    assert "magnesium & placebo groups" in got[0]["input"]
    by_id = {s["id"].rsplit(":", 1)[1]: s for s in got}
    assert by_id["3_4"]["input"].endswith("Claim 2: Omega-3 fatty acids given for 5 days before surgery had no effect "
                                          "on arrhythmia after bypass grafting.")
    assert by_id["3_4"]["output"] == "Supports"  # NO / NO under one question
    # two spellings of one question (a doubled space) are the same question
    assert got[-1]["id"].endswith(":6_7") and got[-1]["output"] == "Refutes"


# 24 questions, 259 claims, YS counts chosen so that the within-question pairs are
# 728 opposite-assertion and 1,047 same-assertion pairs: the published shape of the corpus
SIZES = [20, 15, 6, 4, 8, 2, 15, 5, 9, 12, 23, 4, 11, 12, 8, 2, 4, 16, 13, 5, 27, 8, 14, 16]
YES = [13, 13, 5, 3, 2, 0, 4, 2, 6, 9, 12, 0, 3, 12, 4, 2, 3, 3, 11, 2, 10, 6, 2, 12]


def test_corpus_of_the_published_shape_gives_2775(registry, tmp_path):
    groups = [[("YS" if n < y else "NO", f"Claim {q}.{n} about outcome {q}.") for n in range(size)]
              for q, (size, y) in enumerate(zip(SIZES, YES))]
    write_corpus(tmp_path / FILE, groups)
    assert sum(SIZES) == 259 and len(SIZES) == 24
    got = task_samples(registry, TASK, "test", tmp_path)
    assert len(got) == 2775  # MedINST's count
    assert Counter(s["output"] for s in got) == {"Refutes": 728, "Supports": 1047, "Neutral": 1000}


def test_file_as_the_authors_distribute_it(registry, tmp_path):
    """The Sheffield file: one line, no XML declaration, character references in attributes, reviews whose
    claims repeat a sentence (259 claims over 255 distinct sentences); an encoding declaration and CRLF work too."""
    question_1 = "In patients with hypertension, does drug X, compared to placebo, reduce blood pressure"
    question_2 = "In women with pre-eclampsia, is polymorphism Y associated with pre-eclampsia"
    xml = (
        '<CORPUS><REVIEW REVIEW_PMID="1" REVIEW_TITLE="hyper_Drug X &#8212; a meta-analysis">'
        f'<CLAIM ASSERTION="YS" PMID="11" QUESTION="{question_1}" TYPE="CAUS">Drug X lowered systolic pressure by 9 mm Hg.</CLAIM>'
        f'<CLAIM ASSERTION="NO" PMID="12" QUESTION="{question_1}" TYPE="EVAL">Drug X had no effect on pressure &lt;24 h.</CLAIM>'
        f'<CLAIM ASSERTION="YS" PMID="13" QUESTION="{question_1}" TYPE="CAUS">Drug X lowered systolic pressure by 9 mm Hg.</CLAIM>'
        '</REVIEW><REVIEW REVIEW_PMID="2" REVIEW_TITLE="hyper_Polymorphism Y and pre-eclampsia">'
        f'<CLAIM ASSERTION="NO" PMID="21" QUESTION="{question_2}" TYPE="CAUS">Drug X lowered systolic pressure by 9 mm Hg.</CLAIM>'
        f'<CLAIM ASSERTION="YS" PMID="22" QUESTION="{question_2}" TYPE="EVAL">Allele Y doubled the risk (OR 2.1).</CLAIM>'
        '</REVIEW></CORPUS>'
    )
    want = [("0_1", "Refutes"), ("0_2", "Supports"), ("0_3", "Neutral"), ("0_4", "Neutral"), ("1_2", "Refutes"),
            ("1_3", "Neutral"), ("1_4", "Neutral"), ("2_3", "Neutral"), ("2_4", "Neutral"), ("3_4", "Refutes")]
    variants = {
        "plain": xml.encode("utf-8"),
        "latin-1": ('<?xml version="1.0" encoding="ISO-8859-1"?>\r\n' + xml.replace("</REVIEW>", "</REVIEW>\r\n")
                    .replace("9 mm Hg", "9 mm Hg (\u00b1 2)")).encode("latin-1"),
    }
    for name, data in variants.items():
        folder = tmp_path / name / "ManConCorpus"
        folder.mkdir(parents=True)
        (folder / FILE).write_bytes(data)
        got = task_samples(registry, TASK, "test", tmp_path / name)
        assert [(s["id"].rsplit(":", 1)[1], s["output"]) for s in got] == want, name
        repeated = "Drug X lowered systolic pressure by 9 mm Hg" + (" (\u00b1 2)." if name == "latin-1" else ".")
        assert got[1]["input"] == f"Claim 1: {repeated}\nClaim 2: {repeated}"  # the same sentence twice
        assert "pressure <24 h." in got[0]["input"]


def test_neutral_pairs_are_the_smallest_digests(tmp_path):
    groups = [[("YS", f"alpha {n}") for n in range(4)], [("NO", f"beta {n}") for n in range(3)], [("YS", "gamma")]]
    write_corpus(tmp_path / FILE, groups)
    texts = [t for g in groups for _, t in g]
    question = [q for q, g in enumerate(groups) for _ in g]
    cross = [(i, j) for i, j in combinations(range(len(texts)), 2) if question[i] != question[j]]

    def digest(i, j):
        a, b = sorted((texts[i], texts[j]))
        return hashlib.sha256(f"{a}\n{b}".encode()).digest()

    smallest = sorted(cross, key=lambda p: digest(*p))[:5]
    records = read(tmp_path / FILE, neutral_pairs=5)
    neutral = [r.id for r in records if r.label == "neutral"]
    assert neutral == [f"{i}_{j}" for i, j in sorted(smallest)]
    assert len([r for r in records if r.label != "neutral"]) == 6 + 3  # C(4,2) + C(3,2)
    assert len(read(tmp_path / FILE, neutral_pairs="all")) == len(cross) + 9
    assert all(r.label != "neutral" for r in read(tmp_path / FILE, neutral_pairs=0))


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10**6))
def test_neutral_choice_does_not_depend_on_claim_order(tmp_path_factory, seed):
    rng = random.Random(seed)
    groups = [[(rng.choice(["YS", "NO"]), f"q{q} claim {n}") for n in range(rng.randint(1, 4))] for q in range(4)]
    folder = tmp_path_factory.mktemp("m")
    write_corpus(folder / "a.xml", groups)
    shuffled = [list(g) for g in groups]
    rng.shuffle(shuffled)
    for g in shuffled:
        rng.shuffle(g)
    write_corpus(folder / "b.xml", shuffled)

    def pairs(path):
        return {(frozenset((r.premise, r.hypothesis)), r.label) for r in read(path, neutral_pairs=3)}

    assert pairs(folder / "a.xml") == pairs(folder / "b.xml")


@pytest.mark.parametrize(
    "claim, line, message",
    [
        ('<CLAIM ASSERTION="MAYBE" QUESTION="q">t</CLAIM>', 3, "ASSERTION must be YS or NO, found 'MAYBE'"),
        ('<CLAIM ASSERTION="YS">t</CLAIM>', 3, "no QUESTION attribute"),
        ('<CLAIM ASSERTION="NO" QUESTION="q">  </CLAIM>', 3, "has no text"),
        ('<CLAIM ASSERTION="NO" QUESTION="q">t</CLAM>', 3, "malformed XML: mismatched tag"),
    ],
)
def test_malformed_claims_are_located(registry, tmp_path, claim, line, message):
    text = f'<CORPUS>\n<REVIEW><CLAIM ASSERTION="YS" QUESTION="q">ok</CLAIM>\n{claim}\n</REVIEW>\n</CORPUS>\n'
    (tmp_path / FILE).write_text(text, encoding="utf-8")
    with pytest.raises(SourceError, match=message) as info:
        task_samples(registry, TASK, "test", tmp_path)
    assert info.value.line == line


def test_entity_declarations_are_refused(registry, tmp_path):
    (tmp_path / FILE).write_text('<?xml version="1.0"?>\n<!DOCTYPE CORPUS [\n<!ENTITY a "aaaaaaaaaa">\n]>\n'
                                 '<CORPUS><CLAIM ASSERTION="YS" QUESTION="q">&a;</CLAIM></CORPUS>\n')
    with pytest.raises(SourceError, match="entity declarations are refused"):
        task_samples(registry, TASK, "test", tmp_path)


def test_file_without_claims(registry, tmp_path):
    (tmp_path / FILE).write_text("<CORPUS><REVIEW/></CORPUS>")
    with pytest.raises(SourceError, match="no CLAIM element"):
        task_samples(registry, TASK, "test", tmp_path)


def test_real_file_if_present(registry, medinst_real_data):
    found = sorted(medinst_real_data.rglob(FILE))
    if not found:
        pytest.skip("ManConCorpus is not among the real files")
    claims = claims_by_etree(found[0])
    got = task_samples(registry, TASK, "test", found[0].parent)
    within = sum(1 for a, b in combinations(claims, 2) if a[1] == b[1])
    assert len(got) == within + 1000 == 2775
