"""Tests of the BioInfer plugin: conformance, the bundled samples (their outputs pinned byte for byte
since the reader moved into the core as ppi_xml), and the real training file (counts, every sample
checked against an independent parse, the outputs pinned). The reader's own tests are
tests/readers/test_ppi_xml.py of the core."""

from __future__ import annotations

import hashlib
import importlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_bioinfer"
TASKS = ("bioinfer.ner", "bioinfer.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


# -- bundled samples ------------------------------------------------------------

BUNDLED = {
    "bioinfer.ner:train": {
        "BioInfer.d0.s0": "[Gelsolin <Individual_protein>] [actin <Individual_protein>] [actin <Individual_protein>]",
        "BioInfer.d0.s1": "[alpha tubulin <Individual_protein>] [beta tubulin <Individual_protein>] "
                          "[MARK&PAR-1 kinase family <Protein_family_or_group>]",
        "BioInfer.d1.s0": "",  # no entity: kept, as in MedINST's 894 training samples
        "BioInfer.d1.s1": "[cyclin D1 <Gene>]",
    },
    "bioinfer.ner:test": {
        "BioInfer.d10.s0": "[Profilin-like protein X <Individual_protein>] [PLX <Individual_protein>] "
                           "[Arp2/3 complex <Protein_complex>]",
        "BioInfer.d10.s1": "[RNA-binding proteins <Protein_family_or_group>] [hsp70 <Gene/protein/RNA>] "
                           "[promoter elements <DNA_family_or_group>]",
    },
    "bioinfer.re:train": {
        # two interactions of Gelsolin with two mentions reading "actin": one bracket
        "BioInfer.d0.s0": "[<Gelsolin> <PPI> <actin>]",
        "BioInfer.d0.s1": "[<alpha tubulin> <PPI> <MARK&PAR-1 kinase family>] "
                          "[<beta tubulin> <PPI> <MARK&PAR-1 kinase family>]",
    },
    "bioinfer.re:test": {
        "BioInfer.d10.s0": "[<Profilin-like protein X> <PPI> <Arp2/3 complex>] [<PLX> <PPI> <Arp2/3 complex>]",
    },
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, SAMPLES)
    assert {s["id"].split(":", 2)[2]: s["output"] for s in samples} == BUNDLED[task_split]
    for s in samples:
        assert s["input"] in (SAMPLES / f"BioInfer-{split}.xml").read_text(encoding="utf-8").replace("&amp;", "&") \
            .replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")


def test_bundled_train_file_has_cr_line_ends_like_the_real_file():
    data = (SAMPLES / "BioInfer-train.xml").read_bytes()
    assert b"\r" in data and b"\n" not in data


def test_manifests_have_no_dev_split(registry):
    for task_id in TASKS:
        assert set(registry.tasks[task_id].manifest["source"]["splits"]) == {"train", "test"}


# -- the test file in the layout of its repository -----------------------------------

# Written for the test like csv_output/BioInfer-test.xml of metalrt/ppi-dataset: CR line ends, the XML
# declaration and the root on one line, documents of set "test", two overlapping mentions of which one is
# discontinuous ("GP" + "IIIa" in "GPIIb-IIIa"), and a sentence whose mentions do not interact.
TEST_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><corpus source="BioInfer">\r'
    '  <document id="BioInfer.d900" origId="91000001" set="test">\r'
    '    <sentence charOffset="0-48" id="BioInfer.d900.s0" origId="5001" '
    'text="Direct binding of GPIIb-IIIa to talin was shown.">\r'
    '      <entity charOffset="18-23" id="BioInfer.d900.s0.e0" origId="e.5001.0" text="GPIIb" type="Individual_protein" />\r'
    '      <entity charOffset="18-20,24-28" id="BioInfer.d900.s0.e1" origId="e.5001.1" text="GP IIIa" '
    'type="Individual_protein" />\r'
    '      <entity charOffset="32-37" id="BioInfer.d900.s0.e2" origId="e.5001.2" text="talin" type="Individual_protein" />\r'
    '      <interaction e1="BioInfer.d900.s0.e0" e2="BioInfer.d900.s0.e2" id="BioInfer.d900.s0.i0" type="PPI" />\r'
    '      <interaction e1="BioInfer.d900.s0.e1" e2="BioInfer.d900.s0.e2" id="BioInfer.d900.s0.i1" type="PPI" />\r'
    '    </sentence>\r'
    '    <sentence charOffset="49-80" id="BioInfer.d900.s1" origId="5002" text="Actin and myosin were measured.">\r'
    '      <entity charOffset="0-5" id="BioInfer.d900.s1.e0" origId="e.5002.0" text="Actin" type="Individual_protein" />\r'
    '      <entity charOffset="10-16" id="BioInfer.d900.s1.e1" origId="e.5002.1" text="myosin" type="Gene/protein/RNA" />\r'
    '    </sentence>\r'
    '  </document>\r'
    '</corpus>'
)


def test_test_file_in_the_repository_layout(registry, tmp_path):
    """csv_output/ of metalrt/ppi-dataset holds the five PPI corpora as XML and CSV files (and merged
    and wop_ CSVs); the test split reads BioInfer-test.xml only."""
    folder = tmp_path / "ppi-dataset" / "csv_output"
    folder.mkdir(parents=True)
    for corpus_name in ("AIMed", "HPRD50", "IEPA", "LLL"):
        for split in ("train", "test"):
            (folder / f"{corpus_name}-{split}.xml").write_text("<corpus/>", encoding="utf-8")
    for name in ("BioInfer-test.csv", "wop_BioInfer-test.csv", "merged-test.csv"):
        (folder / name).write_text("not,read\n", encoding="utf-8")
    (folder / "BioInfer-test.xml").write_bytes(TEST_XML.encode("utf-8"))
    ner = {s["id"]: s["output"] for s in task_samples(registry, "bioinfer.ner", "test", tmp_path)}
    assert ner == {
        "bioinfer.ner:test:BioInfer.d900.s0": "[GPIIb <Individual_protein>] [GP IIIa <Individual_protein>] "
                                              "[talin <Individual_protein>]",
        "bioinfer.ner:test:BioInfer.d900.s1": "[Actin <Individual_protein>] [myosin <Gene/protein/RNA>]",
    }
    re_samples = {s["id"]: s["output"] for s in task_samples(registry, "bioinfer.re", "test", tmp_path)}
    assert re_samples == {
        "bioinfer.re:test:BioInfer.d900.s0": "[<GPIIb> <PPI> <talin>] [<GP IIIa> <PPI> <talin>]",
    }


# -- the real training file -------------------------------------------------------


@pytest.fixture
def real_train(medinst_real_data) -> Path:
    path = medinst_real_data / "BioInfer" / "BioInfer-train.xml"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


def test_real_counts(registry, real_train):
    data = real_train.read_bytes()
    sentences = re.findall(rb"<sentence .*?</sentence>", data, re.S)
    assert len(sentences) == data.count(b"<sentence ") == 894
    with_interactions = sum(b"<interaction " in s for s in sentences)
    assert with_interactions == 642
    folder = real_train.parent
    ner = task_samples(registry, "bioinfer.ner", "train", folder)
    rel = task_samples(registry, "bioinfer.re", "train", folder)
    assert len(ner) == len(sentences) == registry.tasks["bioinfer.ner"].manifest["medinst"]["counts"]["train"]
    assert len(rel) == with_interactions == registry.tasks["bioinfer.re"].manifest["medinst"]["counts"]["train"]
    assert sum(s["output"] == "" for s in ner) == sum(b"<entity " not in s for s in sentences) == 1


def test_real_samples_match_an_independent_parse(registry, real_train):
    """Every sample against the XML as ElementTree reads it (end-exclusive offsets)."""
    folder = real_train.parent
    ner = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "bioinfer.ner", "train", folder)}
    rel = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "bioinfer.re", "train", folder)}
    discontinuous = 0
    for sentence in ET.parse(real_train).getroot().iter("sentence"):
        sid, text = sentence.get("id"), sentence.get("text")
        assert ner[sid]["input"] == text
        mentions = {}
        rows = []
        for e in sentence.iter("entity"):
            pieces = [tuple(map(int, p.split("-"))) for p in e.get("charOffset").split(",")]
            discontinuous += len(pieces) > 1
            assert " ".join(text[a:b] for a, b in pieces) == e.get("text")
            mentions[e.get("id")] = e.get("text")
            rows.append((pieces[0][0], max(b for _, b in pieces), e.get("type"), e.get("id"), e.get("text")))
        assert ner[sid]["output"] == " ".join(f"[{m} <{t}>]" for _, _, t, _, m in sorted(rows))
        pairs = [f"[<{mentions[i.get('e1')]}> <{i.get('type')}> <{mentions[i.get('e2')]}>]"
                 for i in sentence.iter("interaction")]
        if pairs:
            wanted = list(dict.fromkeys(p.lower() for p in pairs))  # brackets that read the same are written once
            got = re.findall(r"\[<.*?> <PPI> <.*?>\]", rel[sid]["output"])
            assert Counter(g.lower() for g in got) == Counter(wanted), sid
        else:
            assert sid not in rel
    assert discontinuous == 106  # charOffset values with a comma in the file


# -- outputs pinned: the same bytes as before the reader moved into the core --------------

# sha256 of every .jsonl that `medinst build bioinfer` wrote with the plugin's own bioinfer_xml reader
# (before the unified PPI XML reader became the core's ppi_xml); the core reader must give the same bytes.
BUNDLED_SHA256 = {
    "bioinfer.ner/train.jsonl": "689336b9641afa4c9e54b929a6f46efe922c4ffc535216b60c2d3c3dc856feaf",
    "bioinfer.ner/test.jsonl": "426aca3732896ee524a52264f01ffbdd87d715868c5c3fa925ccc39f98158608",
    "bioinfer.re/train.jsonl": "f4364fce03d32f588c9d41137c200ff517aa3d8fb57e03e485977cad2cf77710",
    "bioinfer.re/test.jsonl": "cf8039b5a02c749be00c1125a753fc43ab768147006e4c5083c8890d9d9fe9f0",
}
REAL_TRAIN_SHA256 = {
    "bioinfer.ner/train.jsonl": "01dcec84a5e33f237efa5241c1c98e796c452549ec24d356aa43091f60d05053",
    "bioinfer.re/train.jsonl": "901ae3771ae5be4f26f252188bd2ea659be755911864996e4d0fd29db1e0cfc3",
}


def _digests(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in out.rglob("*.jsonl")}


def _build(out: Path, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "medinst_core", "build", *TASKS, "--out", str(out), *args],
                          capture_output=True, text=True, env={"MEDINST_LOAD_PLUGINS": "bioinfer", "PATH": ""})
    assert done.returncode == 0, done.stderr


def test_bundled_outputs_are_byte_identical_to_the_plugin_reader(tmp_path):
    _build(tmp_path, "--bundled")
    assert _digests(tmp_path) == BUNDLED_SHA256


def test_real_outputs_are_byte_identical_to_the_plugin_reader(tmp_path, real_train):
    _build(tmp_path / "out", "--data-dir", str(real_train.parent), "--split", "train")
    assert _digests(tmp_path / "out") == REAL_TRAIN_SHA256
