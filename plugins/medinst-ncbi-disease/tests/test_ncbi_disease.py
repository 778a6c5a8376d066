from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, FileIndex
from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    resolve_split,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_ncbi_disease"
TASKS = ("ncbi_disease.ner", "ncbi_disease.ned")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


# -- independent counts, straight from the files ---------------------------


def conll_sentences(path: Path) -> list[list[tuple[str, str]]]:
    sentences, current = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            token, tag = line.split("\t")
            current.append((token, tag))
        elif current:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def pubtator_mentions(path: Path) -> dict[str, list[list[str]]]:
    """PMID -> its mention lines (first copy of a document only)."""
    docs: dict[str, list[list[str]]] = {}
    seen_titles: set[str] = set()
    skip = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if "|t|" in line[:20]:
            pmid = line.split("|")[0]
            skip = pmid in seen_titles
            seen_titles.add(pmid)
            if not skip:
                docs[pmid] = []
        elif line.count("\t") >= 5 and not skip:
            cols = line.split("\t")
            docs[cols[0]].append(cols)
    return docs


# -- bundled samples ---------------------------------------------------------


def test_bundled_duplicate_document_is_used_once(registry):
    text = (SAMPLES / "NCBItrainset_corpus.txt").read_text()
    assert text.count("90000011|t|") == 2  # the sample repeats a document, as the real training file does
    samples = task_samples(registry, "ncbi_disease.ned", "train", SAMPLES)
    assert [s["id"] for s in samples] == ["ncbi_disease.ned:train:90000011", "ncbi_disease.ned:train:90000012"]


def test_bundled_document_without_mentions_is_dropped(registry):
    samples = task_samples(registry, "ncbi_disease.ned", "dev", SAMPLES)
    assert [s["id"] for s in samples] == ["ncbi_disease.ned:dev:90000013"]


def test_bundled_ned_identifier_forms(registry):
    train = sample_outputs(task_samples(registry, "ncbi_disease.ned", "train", SAMPLES))
    # alternatives (|) and combinations (+) give one bracket per concept; OMIM ids keep their database
    assert "[breast or ovarian cancer <MESH/D001943>] [breast or ovarian cancer <MESH/D010051>]" in train["90000011"]
    assert (
        "[autosomal dominant inflammatory disorder <MESH/D030342>] "
        "[autosomal dominant inflammatory disorder <MESH/D007249>]" in train["90000012"]
    )
    assert train["90000012"].startswith("[familial cold urticaria <OMIM/120100>] [Familial cold urticaria <OMIM/120100>]")


def test_bundled_bio_tags_are_untyped(registry):
    [first, *_] = task_samples(registry, "ncbi_disease.ner", "test", SAMPLES)
    assert first["input"] == "Ataxia - telangiectasia ( A - T ) combines cerebellar degeneration with immunodeficiency ."
    assert first["output"].startswith("Ataxia [B] - [I] telangiectasia [I] ( [O] A [B] - [I] T [I] ) [O]")
    assert "B-Disease" not in first["output"]


# -- the test split in the official layouts ------------------------------------

# Written for the test in the format of NCBItestset_corpus.txt: identifier columns with stray white space
# (as the real training file has), an OMIM id, a composite mention, no newline after the last line.
TEST_PUBTATOR = (
    "91000001|t|Hereditary deficiency of the sixth component of complement in two sisters.\n"
    "91000001|a|Both sisters lacked C6 and had meningococcal infections; breast and ovarian cancer occurred in "
    "their mother.\n"
    "91000001\t0\t58\tHereditary deficiency of the sixth component of complement\tSpecificDisease\tOMIM:612446 \n"
    "91000001\t106\t130\tmeningococcal infections\tDiseaseClass\t D008589\n"
    "91000001\t132\t157\tbreast and ovarian cancer\tCompositeMention\tD001943|D010051"
)
TEST_IOB = "Both\tO\nsisters\tO\nlacked\tO\nC6\tO\n.\tO\n\nmeningococcal\tB-Disease\ninfections\tI-Disease\n"


@pytest.mark.parametrize("layout", ["NCBItestset_corpus.txt", "NCBI-disease/original-data/test/NCBItestset_corpus.txt"])
def test_test_split_in_the_official_layouts(registry, tmp_path, layout):
    """NED: the file of NCBItestset_corpus.zip (unpacked where it is) or the openbiocorpora copy; NER: test.tsv
    of a clone of MTL-Bioinformatics-2016, next to the other corpora's folders of data/."""
    (tmp_path / layout).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / layout).write_text(TEST_PUBTATOR, encoding="ascii")
    (tmp_path / "NCBItestset_corpus.zip").write_bytes(b"PK")  # the archive itself is not read
    data = tmp_path / "MTL-Bioinformatics-2016" / "data"
    for corpus in ("NCBI-disease-IOB", "BC5CDR-IOB"):
        (data / corpus).mkdir(parents=True)
        for name in ("train.tsv", "devel.tsv"):
            (data / corpus / name).write_text("Other\tO\n", encoding="ascii")
    (data / "NCBI-disease-IOB" / "test.tsv").write_text(TEST_IOB, encoding="ascii")
    (data / "BC5CDR-IOB" / "test.tsv").write_text("Cisplatin\tB-Chemical\n", encoding="ascii")

    diagnostics = Diagnostics()
    ned = sample_outputs(task_samples(registry, "ncbi_disease.ned", "test", tmp_path, diagnostics=diagnostics))
    assert ned == {
        "91000001": "[Hereditary deficiency of the sixth component of complement <OMIM/612446>] "
                    "[meningococcal infections <MESH/D008589>] "
                    "[breast and ovarian cancer <MESH/D001943>] [breast and ovarian cancer <MESH/D010051>]"
    }
    assert diagnostics.as_dict() == {}
    ner = task_samples(registry, "ncbi_disease.ner", "test", tmp_path)
    assert [(s["input"], s["output"]) for s in ner] == [
        ("Both sisters lacked C6 .", "Both [O] sisters [O] lacked [O] C6 [O] . [O]"),
        ("meningococcal infections", "meningococcal [B] infections [I]"),
    ]


# -- real files ----------------------------------------------------------------


def iob_dir(real: Path) -> Path:
    folder = real / "IOB" / "NCBI-disease-IOB"
    if not folder.is_dir():
        pytest.skip(f"NCBI-disease-IOB not present under {real}")
    return folder


def pubtator_dir(real: Path) -> Path:
    folder = real / "NCBI-disease"
    if not (folder / "original-data").is_dir():
        pytest.skip(f"NCBI-disease PubTator files not present under {real}")
    return folder


def test_real_ner_counts_and_tags(registry, medinst_real_data):
    folder = iob_dir(medinst_real_data)
    task = registry.tasks["ncbi_disease.ner"]
    for split, name in (("train", "train.tsv"), ("dev", "devel.tsv")):
        sentences = conll_sentences(folder / name)
        samples = task_samples(registry, "ncbi_disease.ner", split, folder.parent)
        assert len(samples) == len(sentences)
        for sample, sentence in zip(samples[:200], sentences):
            assert sample["input"] == " ".join(tok for tok, _ in sentence)
            assert sample["output"] == " ".join(f"{tok} [{tag[0]}]" for tok, tag in sentence)
    # dev reproduces MedINST; train has 8 sentences fewer than published, which the manifest explains
    assert len(conll_sentences(folder / "devel.tsv")) == task.manifest["medinst"]["counts"]["dev"] == 923
    assert len(conll_sentences(folder / "train.tsv")) == 5424
    assert "5,424" in task.manifest["medinst"]["note"]


def test_real_ned_counts(registry, medinst_real_data):
    folder = pubtator_dir(medinst_real_data)
    counts = registry.tasks["ncbi_disease.ned"].manifest["medinst"]["counts"]
    warnings = {}
    for split, path in (
        ("train", folder / "original-data/train/NCBItrainset_corpus.txt"),
        ("dev", folder / "original-data/devel/NCBIdevelopset_corpus.txt"),
    ):
        with_mentions = [pmid for pmid, mentions in pubtator_mentions(path).items() if mentions]
        diagnostics = Diagnostics()
        samples = task_samples(registry, "ncbi_disease.ned", split, folder, diagnostics=diagnostics)
        assert len(samples) == len(with_mentions) == counts[split]
        assert [s["id"].rsplit(":", 1)[1] for s in samples] == with_mentions
        warnings[split] = diagnostics.as_dict()
    # one training mention (10923035) has its quotes blanked out in the annotation: kept, with a warning
    assert warnings["train"]["offset_mismatch"]["count"] == 1
    assert "10923035" in warnings["train"]["offset_mismatch"]["examples"][0]
    assert warnings["dev"] == {}


def test_real_ned_brackets_match_mention_lines(registry, medinst_real_data):
    folder = pubtator_dir(medinst_real_data)
    path = folder / "original-data/devel/NCBIdevelopset_corpus.txt"
    docs = pubtator_mentions(path)
    samples = sample_outputs(task_samples(registry, "ncbi_disease.ned", "dev", folder))
    for pmid, mentions in docs.items():
        expected = 0
        for cols in mentions:
            ids = {i for alt in cols[5].split("|") for i in alt.split("+")}
            expected += len(ids)
        assert samples[pmid].count("] [") + 1 == expected, pmid


def test_real_ned_spot_checks(registry, medinst_real_data):
    folder = pubtator_dir(medinst_real_data)
    samples = {s["id"].rsplit(":", 1)[1]: s for s in task_samples(registry, "ncbi_disease.ned", "train", folder)}
    # 10192393: "colon and some other cancers" CompositeMention D003110|D009369
    out = samples["10192393"]["output"]
    assert "[colon and some other cancers <MESH/D003110>] [colon and some other cancers <MESH/D009369>]" in out
    # 100562: "Familial deficiency of the seventh component of complement" OMIM:610102 at 0-58
    assert samples["100562"]["output"].startswith(
        "[Familial deficiency of the seventh component of complement <OMIM/610102>]"
    )
    assert samples["100562"]["input"].startswith("Familial deficiency of the seventh component of complement")
    # 8528200 is in the training file twice and becomes one sample
    assert sum(1 for k in samples if k == "8528200") == 1


def test_real_builds_from_the_data_root(registry, medinst_real_data):
    pubtator_dir(medinst_real_data)
    iob_dir(medinst_real_data)
    index = FileIndex(medinst_real_data)
    for task_id in TASKS:
        files = resolve_split(registry.tasks[task_id], "dev", index, bundled=False)
        assert len(files.all("data")) == 1
