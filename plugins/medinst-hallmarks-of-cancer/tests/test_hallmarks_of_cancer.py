from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from medinst_hallmarks_of_cancer.reader import (
    BLOCK_SHORT,
    LABEL_COUNT,
    arrange_blocks,
    parse_group,
    read_hallmarks_of_cancer,
)

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_hallmarks_of_cancer"
TASK = "hallmarks_of_cancer.txtclass"
ROLES = {"text": ["*allmarks*/text/*.txt"], "labels": ["*allmarks*/labels/*.txt"]}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def corpus(tmp_path: Path, docs: dict[str, tuple[str, str]]) -> Path:
    root = tmp_path / "Hallmarks-of-Cancer"
    (root / "text").mkdir(parents=True)
    (root / "labels").mkdir()
    for pmid, (text, labels) in docs.items():
        (root / "text" / f"{pmid}.txt").write_bytes(text.encode())
        (root / "labels" / f"{pmid}.txt").write_bytes(labels.encode())
    return tmp_path


def read(folder: Path, options=None, diagnostics=None):
    files = FileIndex(folder).resolve(ROLES, what="test")
    return list(read_hallmarks_of_cancer(files, options or {}, diagnostics))


# -- label groups --------------------------------------------------------------


@pytest.mark.parametrize(
    "group, top, full",
    [
        ("", (), ()),
        ("  ", (), ()),
        ("NULL", (), ()),
        ("NULL AND Resisting cell death", ("resisting cell death",), ("resisting cell death",)),
        (
            "Sustaining proliferative signaling--Receptors ANDSustaining proliferative signaling--Growth factors",
            ("sustaining proliferative signaling",),
            ("sustaining proliferative signaling--receptors", "sustaining proliferative signaling--growth factors"),
        ),
        (
            " Inducing angiogenesis AND Activating invasion and metastasis--Invasion AND Inducing angiogenesis ",
            ("inducing angiogenesis", "activating invasion and metastasis"),
            ("inducing angiogenesis", "activating invasion and metastasis--invasion"),
        ),
        (
            "Genomic instability and mutation--DNA damage--Adducts",
            ("genomic instability and mutation",),
            ("genomic instability and mutation--dna damage--adducts",),
        ),
    ],
)
def test_label_groups(group, top, full):
    assert parse_group(group) == top
    assert parse_group(group, hierarchy="full") == full


def test_case_kept_on_request():
    assert parse_group("Cellular energetics--Warburg effect", lowercase=False) == ("Cellular energetics",)


# -- bundled samples -------------------------------------------------------------


def test_bundled_samples(registry):
    built = task_samples(registry, TASK, "train", registry.tasks[TASK].bundled, bundled=True)
    outputs = {s["id"].split(":")[-1]: s["output"] for s in built}
    inputs = {s["id"].split(":")[-1]: s["input"] for s in built}
    assert len(built) == 11  # every sentence of the four documents, in train (the blocks are larger than the sample)
    assert outputs["90000011_1"] == "evading growth suppressors, sustaining proliferative signaling"
    assert outputs["90000011_2"] == "none"  # an empty group
    assert outputs["90000033_0"] == "none"  # NULL
    assert outputs["90000022_1"] == "inducing angiogenesis, activating invasion and metastasis"
    assert outputs["90000044_3"] == "genomic instability and mutation"  # two sub-labels of one hallmark
    # the CRLF document: no carriage return left in text or labels
    assert inputs["90000022_0"].endswith("resistant cells .")
    assert outputs["90000022_0"] == "resisting cell death"


def test_archive_made_on_a_mac(registry, tmp_path):
    """The repository's master.zip re-packed on macOS: __MACOSX/ and ._<PMID>.txt companions (binary
    AppleDouble data) sit beside the real files and are not read; CRLF files and a README are fine."""
    folder = corpus(tmp_path, {
        "11000001": ("First sentence .\r\nSecond sentence .\r\n",
                     "<Inducing angiogenesis<NULL"),
        "11000002": ("Only sentence .\n", "<Sustaining proliferative signaling--Receptors AND Resisting cell death"),
    })
    root = folder / "Hallmarks-of-Cancer"
    (root / "README.md").write_text("# Hallmarks of Cancer\n")
    junk = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        \xff\xfe"
    for sub in ("text", "labels"):
        (root / sub / "._11000001.txt").write_bytes(junk)
        mac = folder / "__MACOSX" / "Hallmarks-of-Cancer" / sub
        mac.mkdir(parents=True)
        (mac / "._11000002.txt").write_bytes(junk)
    got = task_samples(registry, TASK, "train", folder)
    assert sorted((s["id"].rsplit(":", 1)[1], s["input"], s["output"]) for s in got) == [
        ("11000001_0", "First sentence .", "inducing angiogenesis"),
        ("11000001_1", "Second sentence .", "none"),
        ("11000002_0", "Only sentence .", "sustaining proliferative signaling, resisting cell death"),
    ]


# -- errors and warnings -----------------------------------------------------------


def test_missing_labels_file_is_named(tmp_path):
    folder = corpus(tmp_path, {"1": ("A .\n", "<NULL")})
    (folder / "Hallmarks-of-Cancer" / "text" / "2.txt").write_text("B .\n")
    with pytest.raises(SourceError, match=r"document 2 has no labels file \(expected labels/2.txt\)"):
        read(folder)


def test_text_before_the_first_group_is_an_error(tmp_path):
    folder = corpus(tmp_path, {"7": ("A .\n", "Resisting cell death<NULL")})
    with pytest.raises(SourceError, match="starting with '<'") as info:
        read(folder)
    assert str(info.value).startswith(str(folder / "Hallmarks-of-Cancer" / "labels" / "7.txt") + ":1:")


def test_invalid_utf8_names_the_line(tmp_path):
    folder = corpus(tmp_path, {"7": ("A .\nB .\n", "<<")})
    (folder / "Hallmarks-of-Cancer" / "text" / "7.txt").write_bytes(b"A .\nB \xff .\n")
    with pytest.raises(SourceError, match="not valid UTF-8") as info:
        read(folder)
    assert ":2:" in str(info.value)


def test_more_sentences_than_groups_warns_and_keeps_the_labelled_ones(tmp_path):
    folder = corpus(tmp_path, {"5": ("One .\nTwo .\nThree .\n", "<Resisting cell death<")})
    diagnostics = Diagnostics()
    records = read(folder, diagnostics=diagnostics)
    assert [(r.id, r.text, r.labels) for r in records] == [
        ("5_0", "One .", ("resisting cell death",)),
        ("5_1", "Two .", ()),
    ]
    assert diagnostics.counts[LABEL_COUNT] == 1


# -- document order and blocks -------------------------------------------------------


def test_orders(tmp_path):
    folder = corpus(tmp_path, {p: ("A .\n", "<") for p in ("10", "9", "200")})
    assert [r.document_id for r in read(folder, {"order": "pmid"})] == ["9", "10", "200"]
    # sha256 hex digests: 9 -> 19581e..., 200 -> 27badc..., 10 -> 4a44dc...
    assert [r.document_id for r in read(folder)] == ["9", "200", "10"]


def test_blocks_hold_whole_documents(tmp_path):
    sizes = {"1": 3, "2": 4, "3": 2, "4": 5, "5": 2, "6": 3}
    folder = corpus(tmp_path, {p: ("s .\n" * n, "<" * n) for p, n in sizes.items()})
    diagnostics = Diagnostics()
    records = read(folder, {"order": "pmid", "blocks": [7, 4]}, diagnostics)
    docs = [r.document_id for r in records]
    assert not diagnostics
    first, second, rest = set(docs[:7]), set(docs[7:11]), set(docs[11:])
    assert not (first & second or second & rest or first & rest)
    # in PMID order: 1 (3) + 2 (4) = 7; then 3 (2) + 5 (2) = 4, skipping 4 (5 sentences)
    assert (first, second, rest) == ({"1", "2"}, {"3", "5"}, {"4", "6"})


def test_short_blocks_warn(tmp_path):
    folder = corpus(tmp_path, {p: ("s .\n" * 3, "<<<") for p in ("1", "2")})
    diagnostics = Diagnostics()
    assert len(read(folder, {"blocks": [100]}, diagnostics)) == 6
    assert diagnostics.counts[BLOCK_SHORT] == 1


@settings(max_examples=80, deadline=None)
@given(
    sizes=st.lists(st.integers(min_value=0, max_value=30), min_size=1, max_size=60),
    fractions=st.tuples(st.floats(0, 1), st.floats(0, 1)),
)
def test_blocks_property(sizes, fractions):
    docs = [(str(i), n) for i, n in enumerate(sizes)]
    total = sum(sizes)
    blocks = [max(1, int(total * fractions[0])), max(1, int(total * fractions[1] * (1 - fractions[0])))]
    diagnostics = Diagnostics()
    groups = arrange_blocks(docs, blocks, diagnostics)
    assert sorted(p for g in groups for p in g) == sorted(p for p, _ in docs)  # every document exactly once
    size_of = dict(docs)
    for group in groups:  # each group keeps the given order
        assert [int(p) for p in group] == sorted(int(p) for p in group)
    for group, block in zip(groups, blocks):
        got = sum(size_of[p] for p in group)
        assert got <= block
        if got < block:
            assert diagnostics.counts[BLOCK_SHORT] >= 1


# -- the real files ----------------------------------------------------------------


def real_folder(medinst_real_data: Path) -> Path:
    folder = medinst_real_data / "HallmarksOfCancer"
    if not (folder / "text").is_dir():
        pytest.skip(f"real Hallmarks of Cancer files not present under {folder}")
    return folder


def test_real_files(registry, medinst_real_data):
    folder = real_folder(medinst_real_data)
    # independent count: non-empty lines of every text file, and the groups of the labels files
    sentences = groups_none = 0
    for path in (folder / "text").glob("*.txt"):
        lines = path.read_text(encoding="utf-8").strip("\n").split("\n")
        sentences += len(lines)
        groups = (folder / "labels" / path.name).read_text(encoding="utf-8").strip().split("<")[1:]
        assert len(groups) == len(lines), path.name
        groups_none += sum(1 for g in groups if g.strip() in ("", "NULL"))
    diagnostics = Diagnostics()
    train = task_samples(registry, TASK, "train", medinst_real_data, diagnostics=diagnostics)
    # this copy holds 60% of the corpus: fewer sentences than the first block, so all of them are train
    assert len(train) == sentences == 10397
    assert diagnostics.counts[BLOCK_SHORT] == 2
    assert task_samples(registry, TASK, "dev", medinst_real_data) == []
    assert sum(1 for s in train if s["output"] == "none") == groups_none
    by_id = {s["id"].rsplit(":", 1)[1]: s for s in train}
    # labels/12450390.txt: the last group is "...Mutation AND ...--DNA damage--Adducts", two sub-labels of one hallmark
    assert by_id["12450390_10"]["output"] == "genomic instability and mutation"
    assert by_id["12450390_10"]["input"].startswith("We conclude from this study")
    assert by_id["12450390_0"]["output"] == "none"
    # labels/11724768.txt: "<Sustaining ...--Receptors ANDSustaining ...--Growth factors ...--Downstream signaling"
    assert by_id["11724768_3"]["output"] == "sustaining proliferative signaling"


def test_real_files_blocks_split_between_documents(medinst_real_data):
    real_folder(medinst_real_data)  # skips the test without the real copy
    # the manifest's rule scaled to this 60% copy: 10,397 sentences split in the published proportions
    blocks = [round(10397 * 12119 / 17464), round(10397 * 1798 / 17464)]
    diagnostics = Diagnostics()
    records = read(medinst_real_data, {"blocks": blocks}, diagnostics)
    assert not diagnostics
    assert len(records) == 10397
    docs = [r.document_id for r in records]
    first, second = set(docs[: blocks[0]]), set(docs[blocks[0] : sum(blocks)])
    rest = set(docs[sum(blocks) :])
    assert not (first & second or second & rest or first & rest)
