from __future__ import annotations

import json
import math
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from medinst_pubmedqa.reader import iter_entries, read_pubmedqa

from medinst_core.plugin_api import Diagnostics, FileIndex, SourceError, SourceFiles
from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    resolve_split,
    task_samples,
)

PLUGIN = "medinst_pubmedqa"
LABELED = "pubmedqa.labeled"
ARTIFICIAL = "pubmedqa.artificial"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (LABELED, ARTIFICIAL)


registry = plugin_registry_fixture(PLUGIN)


def pmid(sample: dict) -> str:
    return sample["id"].rsplit(":", 1)[1]


# ---------------------------------------------------------------------------
# pubmedqa.labeled
# ---------------------------------------------------------------------------


def official_pqal_split(dataset: dict) -> tuple[list[str], list[str], list[str]]:
    """PubMedQA's preprocess/split_dataset.py (pqal) written out again: per-label
    shuffles with random.seed(0), two halves, then ten folds of the first half."""
    rng = random.Random(0)

    def split(data: dict, fold: int) -> list[dict]:
        by_label: dict[str, list[str]] = {"yes": [], "no": [], "maybe": []}
        for key, entry in data.items():
            by_label[entry["final_decision"]].append(key)
        parts = {}
        for label, keys in by_label.items():
            rng.shuffle(keys)
            size = math.ceil(len(keys) / fold)
            parts[label] = [keys[i * size:] if i == fold - 1 else keys[i * size:(i + 1) * size] for i in range(fold)]
        out = [{k: data[k] for label in by_label for k in parts[label][i]} for i in range(fold)]
        if len(out[-1]) != len(out[0]):
            for i in range(fold - 1):
                picked = rng.choice(list(out[i]))
                out[-1][picked] = out[i].pop(picked)
        return out

    cv, test = split(dataset, 2)
    folds = split(cv, 10)
    dev = list(folds[0])
    train = [k for f in folds[1:] for k in f]
    return train, dev, list(test)


def test_labeled_real_counts_and_split(registry, medinst_real_data):
    folder = medinst_real_data / "PubMedQA"
    if not (folder / "ori_pqal.json").is_file():
        pytest.skip("PubMedQA files not present")
    dataset = json.loads((folder / "ori_pqal.json").read_text(encoding="utf-8"))
    ground_truth = json.loads((folder / "test_ground_truth.json").read_text(encoding="utf-8"))
    train, dev, test = official_pqal_split(dataset)
    # the official script reproduces the published test PMIDs, in order
    assert test == list(ground_truth)
    select = registry.tasks[LABELED].manifest["source"]["select"]
    assert set(select["train"]["ids"]) == set(train) and len(train) == 450
    assert set(select["dev"]["ids"]) == set(dev) and len(dev) == 50
    assert set(select["test"]["ids"]) == set(ground_truth) and len(ground_truth) == 500

    got = {split: task_samples(registry, LABELED, split, folder) for split in ("train", "dev", "test")}
    assert {s: len(v) for s, v in got.items()} == {"train": 450, "dev": 50, "test": 500}  # MedINST's counts
    assert {pmid(s) for s in got["test"]} == set(ground_truth)
    for split, items in got.items():
        for sample in items:
            entry = dataset[pmid(sample)]
            assert sample["output"] == entry["final_decision"]
            assert sample["input"] == f"Question: {entry['QUESTION']}\nContext: {' '.join(entry['CONTEXTS'])}"
            if split == "test":
                assert sample["output"] == ground_truth[pmid(sample)]
    # samples keep the file's order
    order = list(dataset)
    assert [pmid(s) for s in got["dev"]] == [k for k in order if k in set(dev)]


def test_labeled_bundled(registry):
    folder = registry.tasks[LABELED].bundled
    data = json.loads((folder / "ori_pqal.json").read_text(encoding="utf-8"))
    select = registry.tasks[LABELED].manifest["source"]["select"]
    for split in ("train", "dev", "test"):
        got = task_samples(registry, LABELED, split, folder, bundled=True)
        want = [k for k in data if k in set(select[split]["ids"])]
        assert [pmid(s) for s in got] == want and want
        assert [s["output"] for s in got] == [data[k]["final_decision"] for k in want]
    train = task_samples(registry, LABELED, "train", folder, bundled=True)
    assert [s["output"] for s in train] == ["no", "maybe", "no"]
    # several contexts are joined by a space
    assert "Context: We measured 2,310 schoolchildren aged 8-14 years. Both indices" in train[0]["input"]


def pqal_entry(pmid: str, decision: str) -> dict:
    return {"QUESTION": f"Does treatment {pmid} help?", "CONTEXTS": [f"Trial {pmid} enrolled 40 adults.", "Outcomes differed."],
            "LABELS": ["METHODS", "RESULTS"], "MESHES": ["Humans"], "YEAR": "2010", "reasoning_required_pred": decision,
            "reasoning_free_pred": decision, "final_decision": decision, "LONG_ANSWER": "It may."}


def labeled_files(registry) -> dict[str, dict]:
    """Hand-written PQA-L split files: a few PMIDs of each official split (from the manifest), invented text."""
    select = registry.tasks[LABELED].manifest["source"]["select"]
    decisions = ["yes", "no", "maybe"]
    return {split: {pmid: pqal_entry(pmid, decisions[i % 3]) for i, pmid in enumerate(select[split]["ids"][3:7])}
            for split in ("train", "dev", "test")}


@pytest.mark.parametrize(
    "layout",
    [
        # the split script run in a clone of the repository: data/test_set.json, data/pqal_fold<i>/
        {"train": "pubmedqa-master/data/pqal_fold0/train_set.json", "dev": "pubmedqa-master/data/pqal_fold0/dev_set.json",
         "test": "pubmedqa-master/data/test_set.json"},
        # BigBIO's pqal.zip
        {"train": "pqal/pqal_fold0/train_set.json", "dev": "pqal/pqal_fold0/dev_set.json", "test": "pqal/pqal_test_set.json"},
    ],
)
def test_labeled_split_files_without_the_original(registry, tmp_path, layout):
    files = labeled_files(registry)
    for split, name in layout.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(files[split], indent=4), encoding="utf-8")
    # other folds of the script's output are not read
    other = tmp_path / "pubmedqa-master" / "data" / "pqal_fold1"
    other.mkdir(parents=True, exist_ok=True)
    (other / "train_set.json").write_text(json.dumps({"1": pqal_entry("1", "yes")}))
    for split, entries in files.items():
        got = task_samples(registry, LABELED, split, tmp_path)
        assert [pmid(s) for s in got] == list(entries)
        assert [s["output"] for s in got] == [e["final_decision"] for e in entries.values()]
        first = next(iter(entries.values()))
        assert got[0]["input"] == f"Question: {first['QUESTION']}\nContext: {' '.join(first['CONTEXTS'])}"


def test_labeled_original_preferred_to_split_files(registry, tmp_path):
    files = labeled_files(registry)
    original = {pmid: entry for entries in files.values() for pmid, entry in entries.items()}
    data = tmp_path / "pubmedqa" / "data"
    (data / "pqal_fold0").mkdir(parents=True)
    (data / "ori_pqal.json").write_text(json.dumps(original, indent=4), encoding="utf-8")
    # split files that disagree with the original: they must not be read (nor duplicate its PMIDs)
    changed = {split: {k: {**v, "final_decision": "maybe", "QUESTION": "changed?"} for k, v in entries.items()}
               for split, entries in files.items()}
    (data / "test_set.json").write_text(json.dumps(changed["test"]))
    (data / "pqal_fold0" / "train_set.json").write_text(json.dumps(changed["train"]))
    (data / "pqal_fold0" / "dev_set.json").write_text(json.dumps(changed["dev"]))
    task = registry.tasks[LABELED]
    for split, entries in files.items():
        diagnostics = Diagnostics()
        files_found = resolve_split(task, split, FileIndex(tmp_path), bundled=False)
        records = [r for r in read_pubmedqa(files_found, task.manifest["source"]["options"], diagnostics)
                   if r.id in set(task.manifest["source"]["select"][split]["ids"])]
        assert [r.id for r in records] == list(entries)
        assert [r.answers for r in records] == [(e["final_decision"],) for e in entries.values()]
        assert diagnostics.counts["pubmedqa_both_layouts"] == 1


def test_labeled_real_split_files_give_the_same_samples(registry, medinst_real_data, tmp_path):
    """The files the split script writes from the real ori_pqal.json give the samples of ori_pqal.json."""
    folder = medinst_real_data / "PubMedQA"
    if not (folder / "ori_pqal.json").is_file():
        pytest.skip("PubMedQA files not present")
    dataset = json.loads((folder / "ori_pqal.json").read_text(encoding="utf-8"))
    train, dev, test = official_pqal_split(dataset)
    out = tmp_path / "pubmedqa" / "data"
    (out / "pqal_fold0").mkdir(parents=True)
    for name, keys in (("pqal_fold0/train_set.json", train), ("pqal_fold0/dev_set.json", dev), ("test_set.json", test)):
        (out / name).write_text(json.dumps({k: dataset[k] for k in keys}, indent=4), encoding="utf-8")
    for split, n in (("train", 450), ("dev", 50), ("test", 500)):
        from_split_files = task_samples(registry, LABELED, split, tmp_path)
        from_original = task_samples(registry, LABELED, split, medinst_real_data)
        assert len(from_split_files) == len(from_original) == n
        assert sorted(from_split_files, key=lambda s: s["id"]) == sorted(from_original, key=lambda s: s["id"])


# ---------------------------------------------------------------------------
# pubmedqa.artificial and the streaming reader
# ---------------------------------------------------------------------------


def entry(i: int, decision: str) -> dict:
    return {"QUESTION": f"Question {i}?", "CONTEXTS": [f"Context {i}a.", f"Context {i}b."], "LABELS": ["A", "B"],
            "MESHES": ["M"], "final_decision": decision, "LONG_ANSWER": "L"}


def write_pqaa(path: Path, n: int) -> dict:
    data = {str(40000000 + 7 * i): entry(i, "yes" if i % 3 else "no") for i in range(n)}
    path.write_text(json.dumps(data, indent=4), encoding="utf-8")
    return data


def script_pqaa_split(data: dict, size: int) -> tuple[dict, dict]:
    """What split_dataset.py pqaa writes: random.seed(0), one shuffle of the PMIDs, first ``size`` for training."""
    pmids = list(data)
    random.seed(0)
    random.shuffle(pmids)
    return {k: data[k] for k in pmids[:size]}, {k: data[k] for k in pmids[size:]}


def read(task, folder: Path, names: list[str], diagnostics: Diagnostics | None = None) -> list:
    files = SourceFiles(folder, {"data": tuple(folder / n for n in names)})
    return list(read_pubmedqa(files, task.manifest["source"]["options"], diagnostics or Diagnostics()))


def test_artificial_official_order_and_both_layouts(registry, tmp_path):
    task = registry.tasks[ARTIFICIAL]
    original, bigbio = tmp_path / "original", tmp_path / "bigbio"
    original.mkdir()
    bigbio.mkdir()
    data = write_pqaa(original / "ori_pqaa.json", 30)
    train, dev = script_pqaa_split(data, 20)
    (bigbio / "pqaa_train_set.json").write_text(json.dumps(train, indent=4))
    (bigbio / "pqaa_dev_set.json").write_text(json.dumps(dev, indent=4))

    from_original = read(task, original, ["ori_pqaa.json"])
    from_bigbio = read(task, bigbio, ["pqaa_dev_set.json", "pqaa_train_set.json"])  # found in any order
    # the shuffled original and the script's two files, train then dev, are the same sequence
    assert [r.id for r in from_original] == list(train) + list(dev)
    assert [r.id for r in from_bigbio] == list(train) + list(dev)
    assert [(r.question, r.context, r.answers) for r in from_original] == [
        (r.question, r.context, r.answers) for r in from_bigbio
    ]
    record = from_original[0]
    assert record.answers == (data[record.id]["final_decision"],)
    assert record.context == " ".join(data[record.id]["CONTEXTS"])
    lines = (original / "ori_pqaa.json").read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith(f'    "{record.id}": {{'))
    assert record.source == f"{original / 'ori_pqaa.json'}:{line}"  # the entry's line in the file


def test_artificial_split_ranges(registry, tmp_path):
    # select keeps positions [0, 200000) for train: a short file is all training data, in the official order
    data = write_pqaa(tmp_path / "ori_pqaa.json", 12)
    train, _ = script_pqaa_split(data, 200000)
    assert [pmid(s) for s in task_samples(registry, ARTIFICIAL, "train", tmp_path)] == list(train)
    assert task_samples(registry, ARTIFICIAL, "dev", tmp_path) == []
    assert registry.tasks[ARTIFICIAL].manifest["source"]["select"] == {
        "train": {"range": [0, 200000]}, "dev": {"range": [200000, 211269]}
    }


def test_artificial_bundled_presplit_files(registry):
    folder = registry.tasks[ARTIFICIAL].bundled
    train = json.loads((folder / "pqaa_train_set.json").read_text(encoding="utf-8"))
    dev = json.loads((folder / "pqaa_dev_set.json").read_text(encoding="utf-8"))
    got = task_samples(registry, ARTIFICIAL, "train", folder, bundled=True)
    assert [pmid(s) for s in got] == list(train) + list(dev)
    assert [s["output"] for s in got] == [v["final_decision"] for v in [*train.values(), *dev.values()]]


def test_both_layouts_prefer_the_original(registry, tmp_path):
    data = write_pqaa(tmp_path / "ori_pqaa.json", 10)
    (tmp_path / "pqaa_train_set.json").write_text(json.dumps({"50000001": entry(1, "no")}))
    (tmp_path / "pqaa_dev_set.json").write_text(json.dumps({"50000002": entry(2, "no")}))
    task = registry.tasks[ARTIFICIAL]
    files = resolve_split(task, "train", FileIndex(tmp_path), bundled=False)
    diagnostics = Diagnostics()
    records = list(read_pubmedqa(files, task.manifest["source"]["options"], diagnostics))
    assert sorted(r.id for r in records) == sorted(data)
    assert diagnostics.counts["pubmedqa_both_layouts"] == 2


def test_one_presplit_file_alone_is_an_error(registry, tmp_path):
    (tmp_path / "pqaa_train_set.json").write_text(json.dumps({"50000001": entry(1, "no")}))
    with pytest.raises(SourceError, match="needs pqaa_dev_set.json too"):
        task_samples(registry, ARTIFICIAL, "train", tmp_path)


def test_duplicate_pmid_is_an_error(registry, tmp_path):
    (tmp_path / "ori_pqaa.json").write_text('{\n"1": {"QUESTION": "a", "final_decision": "yes"},\n'
                                             '"1": {"QUESTION": "b", "final_decision": "no"}\n}\n')
    with pytest.raises(SourceError, match="'1' occurs twice") as info:
        task_samples(registry, ARTIFICIAL, "train", tmp_path)
    assert "ori_pqaa.json:3:" in str(info.value)


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('{\n  "1": {"QUESTION": "a"},\n  "2": {"QUESTION": ', 3, "unexpected end of data"),  # truncated
        ('{\n  "1": {"QUESTION": "a"}\n  "2": {}\n}', 3, "expected ',' or '}'"),
        ('[\n  {"QUESTION": "a"}\n]', 1, "expected a JSON object keyed by PMID"),
        ('{\n  "1": {"QUESTION": "a",}\n}', 2, "invalid JSON in entry '1'"),
        ('{\n  "1": {"QUESTION": "a"}\n}\n{', 4, "unexpected data after the JSON object"),
        ('{\n  1: {"QUESTION": "a"}\n}', 2, "expected the quoted key of entry 0"),
        ("", 1, "empty file"),
    ],
)
def test_malformed_json_is_located(tmp_path, text, line, message):
    path = tmp_path / "ori_pqaa.json"
    path.write_text(text, encoding="utf-8")
    for chunk in (3, 1 << 20):
        with pytest.raises(SourceError, match=message) as info:
            list(iter_entries(path, chunk))
        assert info.value.line == line, (chunk, str(info.value))


def test_entry_that_is_not_an_object(registry, tmp_path):
    (tmp_path / "pqaa_train_set.json").write_text('{\n"1": {"QUESTION": "q", "final_decision": "no"},\n"2": ["x"]\n}')
    (tmp_path / "pqaa_dev_set.json").write_text("{}")
    with pytest.raises(SourceError, match="'2' is a list, expected an object") as info:
        task_samples(registry, ARTIFICIAL, "train", tmp_path)
    assert info.value.line == 3


def test_stream_matches_json_load_on_real_file(medinst_real_data):
    path = medinst_real_data / "PubMedQA" / "ori_pqal.json"
    if not path.is_file():
        pytest.skip("PubMedQA files not present")
    reference = json.loads(path.read_text(encoding="utf-8"))
    lines = [i for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if text.startswith('    "') and text.endswith("{")]
    for chunk in (5, 4096, 1 << 20):
        got = list(iter_entries(path, chunk))
        assert [(e.key, e.value) for e in got] == list(reference.items())
        assert [e.line for e in got] == lines


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**12, 10**12) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(
    data=st.dictionaries(st.text(max_size=12), _json_values, max_size=8),
    indent=st.sampled_from([None, 0, 2, 4]),
    ascii_only=st.booleans(),
    chunk=st.integers(1, 64),
    bom=st.booleans(),
)
def test_stream_parses_any_object(tmp_path_factory, data, indent, ascii_only, chunk, bom):
    path = tmp_path_factory.mktemp("j") / "x.json"
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    entries = list(iter_entries(path, chunk, spans=True))
    assert [(e.key, e.value) for e in entries] == list(data.items())
    raw = path.read_bytes()
    assert [json.loads(raw[e.start:e.end]) for e in entries] == list(data.values())
