from __future__ import annotations

import importlib
import re
import shutil
from pathlib import Path

import pytest
from medinst_bc5cdr.reader import read_cdr

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError, SourceFiles
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_bc5cdr"
TASKS = ("bc5cdr.ner", "bc5cdr.ned", "bc5cdr.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
CDR = SAMPLES / "CDR_Data" / "CDR.Corpus.v010516"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def only(tmp_path: Path, *files: Path) -> Path:
    """A data folder holding copies of just these files."""
    folder = tmp_path / "data"
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        shutil.copy(f, folder / f.name)
    return folder


# -- independent readings of the PubTator files --------------------------------


def pubtator_docs(path: Path) -> dict[str, dict]:
    docs: dict[str, dict] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if "|t|" in line[:20]:
            pmid, _, title = line.split("|", 2)
            docs[pmid] = {"title": title, "mentions": [], "cid": []}
        elif "\t" in line:
            cols = line.split("\t")
            if cols[1] == "CID":
                docs[cols[0]]["cid"].append((cols[2], cols[3]))
            elif len(cols) >= 6:
                docs[cols[0]]["mentions"].append((int(cols[1]), int(cols[2]), cols[3], cols[4], cols[5]))
    return docs


def first_mention(doc: dict, concept: str) -> str:
    for _start, _end, text, _, ids in sorted(doc["mentions"], key=lambda m: (m[0], m[1])):
        if concept in ids.split("|"):
            return text
    raise AssertionError(f"no mention of {concept}")


# -- bundled samples --------------------------------------------------------


@pytest.mark.parametrize("task_id", ["bc5cdr.ned", "bc5cdr.re"])
@pytest.mark.parametrize("split, name", [("train", "Training"), ("dev", "Development"), ("test", "Test")])
def test_bioc_xml_gives_the_same_samples_as_pubtator(registry, tmp_path, task_id, split, name):
    from_pubtator = task_samples(registry, task_id, split, only(tmp_path / "p", CDR / f"CDR_{name}Set.PubTator.txt"))
    from_bioc = task_samples(registry, task_id, split, only(tmp_path / "b", CDR / f"CDR_{name}Set.BioC.xml"))
    assert from_pubtator and from_bioc == from_pubtator


def test_pubtator_is_preferred_when_both_forms_are_present(registry, tmp_path):
    files = FileIndex(SAMPLES).resolve({"data": ["CDR_TrainingSet.PubTator.txt", "CDR_TrainingSet.BioC.xml"]}, what="t")
    assert len(files.all("data")) == 2
    [first, *_] = read_cdr(files, {"pubtator": {"db_name": "MESH"}, "bioc_xml": {}}, None)
    assert first.source.endswith("CDR_TrainingSet.PubTator.txt:1")


def test_reader_names_the_expected_files(tmp_path):
    (tmp_path / "CDR_TrainingSet.txt").write_text("x")
    files = SourceFiles(tmp_path, {"data": (tmp_path / "CDR_TrainingSet.txt",)})
    with pytest.raises(SourceError, match=r"CDR_<Split>Set\.PubTator\.txt or CDR_<Split>Set\.BioC\.xml.*CDR_TrainingSet\.txt"):
        list(read_cdr(files, {}, None))


def test_bundled_composite_mention_and_unlinked_mention(registry):
    samples = {s["id"]: s["output"] for s in task_samples(registry, "bc5cdr.ned", "train", SAMPLES)}
    out = samples["bc5cdr.ned:train:90001002"]
    # D007674|D056486 (a composite mention): one bracket per concept; "focal necrosis" (-1) has none
    assert "[renal and hepatic injury <MESH/D007674>] [renal and hepatic injury <MESH/D056486>]" in out
    assert "focal necrosis" not in out


def test_bundled_relations_use_first_mentions(registry):
    samples = {s["id"]: s["output"] for s in task_samples(registry, "bc5cdr.re", "train", SAMPLES)}
    assert samples["bc5cdr.re:train:90001001"] == (
        "[<Haloperidol> <CID> <tardive dyskinesia>] [<Haloperidol> <CID> <orofacial dyskinesia>]"
    )
    # a document without CID lines gives no relation sample
    assert [s["id"] for s in task_samples(registry, "bc5cdr.re", "dev", SAMPLES)] == ["bc5cdr.re:dev:90001003"]


# -- the test split in the official layouts ---------------------------------------

# Written for the test in the format of CDR_TestSet.PubTator.txt: a composite mention with its 7th column,
# CID lines, an abstract without any CID line, and one mention whose offsets are one character off.
TEST_PUBTATOR = """91001001|t|Lithium-induced polyuria and hypothyroidism.
91001001|a|Polyuria developed after lithium; renal and thyroid dysfunction followed.
91001001\t0\t7\tLithium\tChemical\tD008094
91001001\t16\t24\tpolyuria\tDisease\tD011141
91001001\t29\t43\thypothyroidism\tDisease\tD007037
91001001\t45\t53\tPolyuria\tDisease\tD011141
91001001\t70\t77\tlithium\tChemical\tD008094
91001001\t79\t108\trenal and thyroid dysfunction\tDisease\tD007674|D013959\trenal dysfunction|thyroid dysfunction
91001001\tCID\tD008094\tD011141
91001001\tCID\tD008094\tD007037

91001002|t|Serum levels of caffeine in healthy adults.
91001002|a|No adverse event was recorded.
91001002\t15\t23\tcaffeine\tChemical\tD002110

"""


def test_test_split_in_the_official_layouts(registry, tmp_path):
    """CDR_Data.zip unpacked (the corpus folder next to the baseline systems' runs on the test set, which
    must not be read) and a clone of MTL-Bioinformatics-2016 (BC5CDR-IOB next to its chemical-only and
    disease-only versions).  A mention whose offsets do not fit its text is kept, with a warning."""
    cdr = tmp_path / "CDR_Data"
    (cdr / "CDR.Corpus.v010516").mkdir(parents=True)
    (cdr / "CDR.Corpus.v010516" / "CDR_TestSet.PubTator.txt").write_text(TEST_PUBTATOR, encoding="utf-8")
    for run in ("DNorm.TestSet/TestSet.DNorm.PubTator.txt", "tmChem.TestSet/TestSet.tmChem.PubTator.txt"):
        (cdr / run).parent.mkdir()
        (cdr / run).write_text("1|t|x\n", encoding="utf-8")
    data = tmp_path / "MTL-Bioinformatics-2016" / "data"
    for corpus in ("BC5CDR-IOB", "BC5CDR-chem-IOB", "BC5CDR-disease-IOB"):
        (data / corpus).mkdir(parents=True)
        (data / corpus / "test.tsv").write_text("Other\tO\n", encoding="utf-8")
    (data / "BC5CDR-IOB" / "test.tsv").write_text(
        "Lithium\tB-Chemical\n-\tO\ninduced\tO\npolyuria\tB-Disease\n.\tO\n", encoding="utf-8"
    )

    diagnostics = Diagnostics()
    ned = task_samples(registry, "bc5cdr.ned", "test", tmp_path, diagnostics=diagnostics)
    assert {s["id"]: s["output"] for s in ned} == {
        "bc5cdr.ned:test:91001001": "[Lithium <MESH/D008094>] [polyuria <MESH/D011141>] [hypothyroidism <MESH/D007037>] "
                                    "[Polyuria <MESH/D011141>] [lithium <MESH/D008094>] "
                                    "[renal and thyroid dysfunction <MESH/D007674>] "
                                    "[renal and thyroid dysfunction <MESH/D013959>]",
        "bc5cdr.ned:test:91001002": "[caffeine <MESH/D002110>]",
    }
    warnings = diagnostics.as_dict()
    assert warnings["offset_mismatch"]["count"] == 1 and "91001002" in warnings["offset_mismatch"]["examples"][0]
    re_samples = task_samples(registry, "bc5cdr.re", "test", tmp_path)
    assert {s["id"]: s["output"] for s in re_samples} == {
        "bc5cdr.re:test:91001001": "[<Lithium> <CID> <polyuria>] [<Lithium> <CID> <hypothyroidism>]",
    }
    [ner] = task_samples(registry, "bc5cdr.ner", "test", tmp_path)
    assert ner["output"] == "Lithium [B] - [O] induced [O] polyuria [B] . [O]"


# -- real files ------------------------------------------------------------------


def cdr_dir(real: Path) -> Path:
    folder = real / "BC5CDR"
    if not (folder / "CDR_DevelopmentSet.PubTator.txt").is_file():
        pytest.skip(f"BC5CDR files not present under {real}")
    return folder


def test_real_ner_counts(registry, medinst_real_data):
    folder = medinst_real_data / "IOB" / "BC5CDR-IOB"
    if not folder.is_dir():
        pytest.skip("BC5CDR-IOB not present")
    counts = registry.tasks["bc5cdr.ner"].manifest["medinst"]["counts"]
    for split, name in (("train", "train.tsv"), ("dev", "devel.tsv")):
        blocks = [b for b in re.split(r"\n\s*\n", (folder / name).read_text()) if b.strip()]
        samples = task_samples(registry, "bc5cdr.ner", split, folder.parent)
        assert len(samples) == len(blocks) == counts[split]
        # first sentence, word by word against the file
        rows = [line.split("\t") for line in blocks[0].splitlines()]
        assert samples[0]["output"] == " ".join(f"{tok} [{tag[0]}]" for tok, tag in rows)


def test_real_ned_and_re_counts(registry, medinst_real_data):
    folder = cdr_dir(medinst_real_data)
    docs = pubtator_docs(folder / "CDR_DevelopmentSet.PubTator.txt")
    for task_id in ("bc5cdr.ned", "bc5cdr.re"):
        diagnostics = Diagnostics()
        samples = task_samples(registry, task_id, "dev", folder, diagnostics=diagnostics)
        assert len(samples) == len(docs) == registry.tasks[task_id].manifest["medinst"]["counts"]["dev"] == 500
        assert diagnostics.as_dict() == {}  # no offset mismatch in the development file


def test_real_re_brackets_against_cid_lines(registry, medinst_real_data):
    folder = cdr_dir(medinst_real_data)
    docs = pubtator_docs(folder / "CDR_DevelopmentSet.PubTator.txt")
    samples = {s["id"].rsplit(":", 1)[1]: s["output"] for s in task_samples(registry, "bc5cdr.re", "dev", folder)}
    for pmid, doc in docs.items():
        expected = {f"[<{first_mention(doc, c)}> <CID> <{first_mention(doc, d)}>]" for c, d in doc["cid"]}
        found = set(re.findall(r"\[<[^\]]*?> <CID> <.*?>\](?= \[|$)", samples[pmid]))
        # pairs whose first mentions have the same (case-insensitive) names are written once
        assert found <= expected and len(found) >= len({x.lower() for x in expected}), pmid
    assert samples["6794356"] == (
        "[<lithium carbonate> <CID> <neurologic depression>] [<lithium carbonate> <CID> <cyanosis>] "
        "[<lithium carbonate> <CID> <cardiac arrhythmia>]"
    )


def test_real_ned_spot_check(registry, medinst_real_data):
    folder = cdr_dir(medinst_real_data)
    samples = {s["id"].rsplit(":", 1)[1]: s["output"] for s in task_samples(registry, "bc5cdr.ned", "dev", folder)}
    # 3115150  1584 1626  cardiovascular, and respiratory depression  Disease  D002318|D012131  (composite)
    assert (
        "[cardiovascular, and respiratory depression <MESH/D002318>] "
        "[cardiovascular, and respiratory depression <MESH/D012131>]" in samples["3115150"]
    )
    # 15579441  tubulointerstitial injury  Disease  -1: not linked, so not listed
    assert "tubulointerstitial injury" not in samples["15579441"]
    assert samples["6794356"].startswith("[Tricuspid valve regurgitation <MESH/D014262>] [lithium carbonate <MESH/D016651>]")


def test_real_bioc_xml_equals_pubtator(registry, medinst_real_data, tmp_path):
    folder = cdr_dir(medinst_real_data)
    for task_id in ("bc5cdr.ned", "bc5cdr.re"):
        pub = task_samples(registry, task_id, "dev", only(tmp_path / "p", folder / "CDR_DevelopmentSet.PubTator.txt"))
        xml = task_samples(registry, task_id, "dev", only(tmp_path / "x", folder / "CDR_DevelopmentSet.BioC.xml"))
        assert xml == pub
