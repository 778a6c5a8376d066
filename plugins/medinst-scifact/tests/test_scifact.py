from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from medinst_scifact.reader import read_scifact

from medinst_core.plugin_api import Diagnostics, SourceError, SourceFiles
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_scifact"
TASK = "scifact.te"
LABELS = {"SUPPORT": "Supports", "CONTRADICT": "Refutes"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write_jsonl(path: Path, rows) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def read(folder: Path, claims: str, **options) -> list:
    files = SourceFiles(folder, {"claims": (folder / claims,), "corpus": (folder / "corpus.jsonl",)})
    return list(read_scifact(files, options, Diagnostics()))


def test_bundled_pairs(registry):
    folder = registry.tasks[TASK].bundled
    corpus = {str(d["doc_id"]): d for d in jsonl(folder / "corpus.jsonl")}
    for split, name in (("train", "claims_train.jsonl"), ("test", "claims_dev.jsonl")):
        want = []
        for claim in jsonl(folder / name):
            if claim["evidence"]:
                for doc in claim["cited_doc_ids"]:
                    sets = claim["evidence"].get(str(doc))
                    if sets:
                        want.append((f"{claim['id']}_{doc}", doc, claim["claim"], LABELS[sets[0]["label"]]))
            else:
                doc = claim["cited_doc_ids"][0]
                want.append((f"{claim['id']}_{doc}", doc, claim["claim"], "Neutral"))
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert len(got) == len(want)
        for sample, (rid, doc, claim, label) in zip(got, want):
            abstract = " ".join(s.strip() for s in corpus[str(doc)]["abstract"] if s.strip())
            assert sample["id"] == f"{TASK}:{split}:{rid}"
            assert sample["input"] == f"Abstract: {abstract}\nClaim: {claim}"
            assert sample["output"] == label
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # claim 5 cites 1003 (no evidence) and 1004 (evidence): only 1004; claim 8 (no evidence): its first cited doc
    assert [s["id"].rsplit(":", 1)[1] for s in train] == ["3_1001", "5_1004", "8_1003", "13_1002"]
    # a blank abstract sentence is dropped, not joined
    assert "placebo. Fracture rates did not differ between groups (rate ratio 1.02).\nClaim" in train[1]["input"]


def test_neutral_modes(registry):
    folder = registry.tasks[TASK].bundled
    ids = {mode: [r.id for r in read(folder, "claims_train.jsonl", neutral=mode)]
           for mode in ("first_cited", "all_cited", "none")}
    assert ids["none"] == ["3_1001", "5_1004", "13_1002"]
    assert ids["all_cited"] == ["3_1001", "5_1003", "5_1004", "8_1003", "8_1005", "13_1002", "13_1001"]
    assert ids["first_cited"] == ["3_1001", "5_1004", "8_1003", "13_1002"]
    titled = read(folder, "claims_dev.jsonl", title=True)
    assert titled[0].premise.startswith("Telomere length in marathon runners Leukocyte telomeres")


def corpus_for(claims: list[dict], sentences: int = 40) -> list[dict]:
    docs = sorted({int(d) for c in claims for d in c["cited_doc_ids"]})
    return [{"doc_id": d, "title": f"T{d}", "abstract": [f"Sentence {i} of {d}." for i in range(sentences)],
             "structured": False} for d in docs]


def test_real_training_claims(registry, medinst_real_data, tmp_path):
    path = medinst_real_data / "SciFact" / "claims_train.jsonl"
    if not path.is_file():
        pytest.skip("SciFact claims not present")
    claims = jsonl(path)
    # corpus.jsonl is not among the real files: a stand-in with every cited document
    (tmp_path / "claims_train.jsonl").write_bytes(path.read_bytes())
    write_jsonl(tmp_path / "corpus.jsonl", corpus_for(claims))
    got = task_samples(registry, TASK, "train", tmp_path)
    with_evidence = [(c["id"], doc, sets[0]["label"]) for c in claims for doc, sets in c["evidence"].items()]
    without = [c for c in claims if not c["evidence"]]
    assert len(with_evidence) == 564 and len(without) == 304
    assert len(got) == len(with_evidence) + len(without) == 868  # MedINST's count
    counts = Counter(s["output"] for s in got)
    assert counts == {"Supports": sum(label == "SUPPORT" for *_, label in with_evidence),
                      "Refutes": sum(label == "CONTRADICT" for *_, label in with_evidence), "Neutral": 304}
    by_id = {s["id"].rsplit(":", 1)[1]: s for s in got}
    first = claims[1]  # {"id": 2, "evidence": {"13734012": [{"sentences": [4], "label": "CONTRADICT"}]}}
    assert by_id[f"{first['id']}_13734012"]["output"] == "Refutes"
    assert by_id[f"{first['id']}_13734012"]["input"].endswith("\nClaim: " + first["claim"])
    assert by_id["0_31715818"]["output"] == "Neutral"  # claim 0 has no evidence
    assert len(read(tmp_path, "claims_train.jsonl", neutral="all_cited")) == sum(len(c["cited_doc_ids"]) for c in claims) == 919


def test_release_archive_layout(registry, tmp_path):
    """data.tar.gz unpacked (data/corpus.jsonl, claims_{train,dev,test}.jsonl) next to another dataset's
    corpus.jsonl: the test split reads claims_dev.jsonl with SciFact's own corpus; claims_test.jsonl (no labels)
    is not read."""
    data = tmp_path / "data"
    data.mkdir()
    write_jsonl(data / "corpus.jsonl", [
        {"doc_id": d, "title": f"Title {d}", "abstract": [f"First sentence of {d}.", f"Second sentence of {d}."],
         "structured": d == 12} for d in (11, 12, 13, 14)])
    write_jsonl(data / "claims_train.jsonl", [
        {"id": 1, "claim": "Claim one.", "evidence": {"11": [{"sentences": [0], "label": "SUPPORT"}]}, "cited_doc_ids": [11]},
    ])
    write_jsonl(data / "claims_dev.jsonl", [
        # two evidence sets for one document, a cited document without evidence, evidence for two documents
        {"id": 7, "claim": "Claim seven.", "evidence": {"12": [{"sentences": [0], "label": "CONTRADICT"},
                                                               {"sentences": [1], "label": "CONTRADICT"}]},
         "cited_doc_ids": [13, 12]},
        {"id": 8, "claim": "Claim eight.", "evidence": {}, "cited_doc_ids": [14, 11]},
        {"id": 9, "claim": "Claim nine.", "evidence": {"11": [{"sentences": [1], "label": "SUPPORT"}],
                                                       "14": [{"sentences": [0, 1], "label": "CONTRADICT"}]},
         "cited_doc_ids": [11, 14]},
    ])
    write_jsonl(data / "claims_test.jsonl", [{"id": 100, "claim": "Unlabelled claim."}])
    other = tmp_path / "beir" / "nfcorpus"
    other.mkdir(parents=True)
    write_jsonl(other / "corpus.jsonl", [{"_id": "MED-1", "title": "", "text": "Not SciFact."}])
    train = task_samples(registry, TASK, "train", tmp_path)
    assert [(s["id"].rsplit(":", 1)[1], s["output"]) for s in train] == [("1_11", "Supports")]
    test = task_samples(registry, TASK, "test", tmp_path)
    assert [(s["id"].rsplit(":", 1)[1], s["output"]) for s in test] == [
        ("7_12", "Refutes"), ("8_14", "Neutral"), ("9_11", "Supports"), ("9_14", "Refutes")]
    assert test[0]["input"] == "Abstract: First sentence of 12. Second sentence of 12.\nClaim: Claim seven."
    # without SciFact's corpus beside the claims, two corpus files are ambiguous
    (data / "corpus.jsonl").rename(tmp_path / "corpus.jsonl")
    with pytest.raises(SourceError, match="expected exactly one file for role 'corpus', found 2"):
        task_samples(registry, TASK, "test", tmp_path)


def test_beir_corpus_is_refused(registry, tmp_path):
    write_jsonl(tmp_path / "claims_train.jsonl", [{"id": 1, "claim": "c", "evidence": {}, "cited_doc_ids": [5]}])
    write_jsonl(tmp_path / "corpus.jsonl", [{"_id": "5", "title": "t", "text": "x"}])
    with pytest.raises(SourceError, match="BEIR conversion") as info:
        task_samples(registry, TASK, "train", tmp_path)
    assert "corpus.jsonl:1:" in str(info.value)


@pytest.mark.parametrize(
    "claim, message",
    [
        ({"id": 1, "claim": "c", "evidence": {}, "cited_doc_ids": [99]}, "document 99 is not in corpus.jsonl"),
        ({"id": 1, "claim": "c", "evidence": {"5": [{"sentences": [7], "label": "SUPPORT"}]}, "cited_doc_ids": [5]},
         r"evidence sentence \[7\] is outside its abstract of 3 sentences"),
        ({"id": 1, "claim": "c", "cited_doc_ids": [5], "evidence": {"5": [{"sentences": [0], "label": "SUPPORT"},
                                                                         {"sentences": [1], "label": "CONTRADICT"}]}},
         "evidence sets disagree"),
        ({"id": 1, "claim": "c", "evidence": {"5": [{"sentences": [0], "label": "REFUTE"}]}, "cited_doc_ids": [5]},
         "label SUPPORT or CONTRADICT"),
        ({"id": 1, "evidence": {}, "cited_doc_ids": [5]}, "'claim' must be a non-empty string"),
    ],
)
def test_malformed_claims_are_located(registry, tmp_path, claim, message):
    good = {"id": 0, "claim": "ok", "evidence": {}, "cited_doc_ids": [5]}
    write_jsonl(tmp_path / "claims_train.jsonl", [good, claim])
    write_jsonl(tmp_path / "corpus.jsonl", [{"doc_id": 5, "title": "t", "abstract": ["a", "b", "c"]}])
    with pytest.raises(SourceError, match=message) as info:
        task_samples(registry, TASK, "train", tmp_path)
    assert "claims_train.jsonl:2:" in str(info.value)


def test_invalid_json_line(registry, tmp_path):
    (tmp_path / "claims_train.jsonl").write_text('{"id": 0, "claim": "ok", "cited_doc_ids": [5]}\n{"id": 1,\n')
    write_jsonl(tmp_path / "corpus.jsonl", [{"doc_id": 5, "title": "t", "abstract": ["a"]}])
    with pytest.raises(SourceError, match="invalid JSON") as info:
        task_samples(registry, TASK, "train", tmp_path)
    assert "claims_train.jsonl:2:" in str(info.value)
