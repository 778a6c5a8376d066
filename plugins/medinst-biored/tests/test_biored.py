from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_biored"
TASKS = ("biored.ner", "biored.ned", "biored.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def pubtator_docs(path: Path) -> dict[str, dict]:
    """An independent reading: PMID -> mentions and relation lines."""
    docs: dict[str, dict] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if "|t|" in line[:20]:
                docs[line.split("|")[0]] = {"mentions": [], "relations": []}
            elif "\t" in line:
                cols = line.split("\t")
                key = "mentions" if cols[1].isdigit() else "relations"
                docs[cols[0]][key].append(cols)
    return docs


# -- bundled samples -----------------------------------------------------------


def test_bundled_files_have_crlf_line_ends():
    raw = (SAMPLES / "BioRED" / "Train.PubTator").read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n")


def test_bundled_no_carriage_returns_leak(registry):
    for task_id in TASKS:
        for sample in task_samples(registry, task_id, "train", SAMPLES):
            assert "\r" not in sample["input"] and "\r" not in sample["output"]


def test_bundled_identifier_forms(registry):
    out = sample_outputs(task_samples(registry, "biored.ned", "train", SAMPLES))["90002001"]
    # comma-joined concept ids give one bracket each; variants keep rs numbers and tmVar ids as written
    assert (
        "[basal and squamous cell carcinoma <MESH/D002280>] [basal and squamous cell carcinoma <MESH/D002294>]" in out
    )
    assert "[R402Q <rs1126809>]" in out and "[c.1217C>T <c|SUB|C|1217|T>]" in out
    # a cell line id written with a leading space
    out2 = sample_outputs(task_samples(registry, "biored.ned", "train", SAMPLES))["90002002"]
    assert "[HepG2 <Cellosaurus/CVCL_0027>]" in out2


def test_bundled_relations(registry):
    samples = {s["id"]: s["output"] for s in task_samples(registry, "biored.re", "train", SAMPLES)}
    # concepts are named by their first mention; a variant concept (rs id) is matched too
    assert samples["biored.re:train:90002001"] == (
        "[<R402Q> <Positive_Correlation> <melanoma>] [<TYR> <Association> <melanoma>]"
    )
    # the development sample without relations is dropped
    assert [s["id"] for s in task_samples(registry, "biored.re", "dev", SAMPLES)] == ["biored.re:dev:90002003"]


# -- real files ----------------------------------------------------------------


def biored_dir(real: Path) -> Path:
    folder = real / "BioRED"
    if not (folder / "Train.PubTator").is_file():
        pytest.skip(f"BioRED files not present under {real}")
    return folder


def test_real_counts(registry, medinst_real_data):
    folder = biored_dir(medinst_real_data)
    for split, name in (("train", "Train.PubTator"), ("dev", "Dev.PubTator")):
        docs = pubtator_docs(folder / name)
        for task_id in ("biored.ner", "biored.ned"):
            samples = task_samples(registry, task_id, split, folder)
            assert len(samples) == len(docs) == registry.tasks[task_id].manifest["medinst"]["counts"][split]
        with_relations = [pmid for pmid, doc in docs.items() if doc["relations"]]
        samples = task_samples(registry, "biored.re", split, folder)
        assert [s["id"].rsplit(":", 1)[1] for s in samples] == with_relations
    published = registry.tasks["biored.re"].manifest["medinst"]
    assert len(pubtator_docs(folder / "Train.PubTator")) == 400
    assert published["counts"]["train"] == 395
    # dev: 98 abstracts have relations, MedINST publishes 97 (explained in the manifest)
    assert published["counts"]["dev"] == 97 and "98" in published["note"]


def test_real_ner_one_bracket_per_mention_line(registry, medinst_real_data):
    folder = biored_dir(medinst_real_data)
    docs = pubtator_docs(folder / "Dev.PubTator")
    for sample in task_samples(registry, "biored.ner", "dev", folder):
        mentions = docs[sample["id"].rsplit(":", 1)[1]]["mentions"]
        brackets = re.findall(r"\[(.*?) <(\w+)>\]", sample["output"])
        ordered = sorted(mentions, key=lambda c: (int(c[1]), int(c[2]), c[4]))
        assert brackets == [(c[3], c[4]) for c in ordered]


def test_real_relation_spot_check(registry, medinst_real_data):
    folder = biored_dir(medinst_real_data)
    samples = {s["id"].rsplit(":", 1)[1]: s for s in task_samples(registry, "biored.re", "train", folder)}
    # 10491763: Association 3175 D003924; Positive_Correlation D005947 3630; Association D005947 D003924
    out = samples["10491763"]["output"]
    assert "[<Hepatocyte nuclear factor-6> <Association> <type II diabetes>]" in out
    assert "[<glucose> <Positive_Correlation> <insulin>]" in out
    assert "[<glucose> <Association> <type II diabetes>]" in out
    docs = pubtator_docs(folder / "Train.PubTator")
    for pmid, sample in samples.items():
        # never more brackets than relation lines (pairs named alike are written once)
        assert 1 <= len(re.findall(r"\] \[", sample["output"])) + 1 <= len(docs[pmid]["relations"])
