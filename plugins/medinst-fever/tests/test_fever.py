from __future__ import annotations

import json
import shutil

import pytest
from medinst_fever.reader import read_fever

from medinst_core.plugin_api import Diagnostics, SourceError, SourceFiles
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_fever"
TASK = "fever.te"
LABELS = {"SUPPORTS": "Supports", "REFUTES": "Refutes", "NOT ENOUGH INFO": "Neutral"}
FILES = {"train": "train.jsonl", "dev": "paper_dev.jsonl", "test": "paper_test.jsonl"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def jsonl(path):
    return [json.loads(line_) for line_ in path.read_text("utf-8").splitlines() if line_.strip()]


def wiki(folder):
    """(page, sentence number) -> text, from every wiki-pages file, read without the reader."""
    out = {}
    for path in sorted((folder / "wiki-pages").glob("wiki-*.jsonl")):
        for page in jsonl(path):
            for row in page["lines"].split("\n"):
                if row:
                    n, text = row.split("\t")[:2]
                    out[(page["id"], int(n))] = text
    return out


def detok(s):
    for a, b in (("-LRB-", "("), ("-RRB-", ")"), ("-LSB-", "["), ("-RSB-", "]"), ("-COLON-", ":")):
        s = s.replace(a, b)
    return s


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    sentences = wiki(folder)
    for split, name in FILES.items():
        claims = jsonl(folder / "fever" / name)
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert [s["id"] for s in got] == [f"{TASK}:{split}:{c['id']}" for c in claims]
        for sample, c in zip(got, claims):
            premise = " ".join(detok(sentences[(e[2], e[3])]) for e in c["evidence"][0] if e[2] is not None)
            assert sample["input"] == f"Evidence: {premise}\nClaim: {c['claim']}"
            assert sample["output"] == LABELS[c["label"]]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # the first evidence set only; -LRB- -RRB- written as brackets; two pages in one set; NEI: empty premise
    assert train[0]["input"].startswith("Evidence: Aspirin , also known as acetylsalicylic acid ( ASA ) , is")
    assert "It was discovered in 1928" in train[1]["input"] and "Scottish physician" in train[1]["input"]
    assert train[2]["input"] == "Evidence: \nClaim: Aspirin tastes of mint."
    # a page title with escaped characters in the dump (Caf\u00e9)
    assert task_samples(registry, TASK, "test", folder, bundled=True)[1]["input"].startswith("Evidence: A café serves")


def read(folder, claims, **options):
    files = SourceFiles(folder, {"data": (folder / "fever" / claims,),
                                 "wiki": tuple(sorted((folder / "wiki-pages").glob("wiki-*.jsonl")))})
    diagnostics = Diagnostics()
    return list(read_fever(files, options, diagnostics)), diagnostics


def test_all_sets_and_raw_tokens(registry):
    folder = registry.tasks[TASK].bundled
    records, _ = read(folder, "train.jsonl", evidence="all_sets", detokenize=False)
    assert records[0].premise == ("Aspirin , also known as acetylsalicylic acid -LRB- ASA -RRB- , is a medication used "
                                  "to reduce pain . It is also used to reduce fever and inflammation .")


def copy(registry, tmp_path):
    shutil.copytree(registry.tasks[TASK].bundled, tmp_path / "data")
    return tmp_path / "data"


def test_missing_sentence(registry, tmp_path):
    folder = copy(registry, tmp_path)
    claim = {"id": 77, "label": "SUPPORTS", "claim": "c", "evidence": [[[1, 2, "Aspirin", 9], [1, 2, "Aspirin", 3]]]}
    (folder / "fever" / "paper_dev.jsonl").write_text(json.dumps(claim) + "\n", "utf-8")
    with pytest.raises(SourceError, match=r"paper_dev\.jsonl:1: claim 77: sentence 9 of page 'Aspirin' is not in"):
        read(folder, "paper_dev.jsonl")
    records, diagnostics = read(folder, "paper_dev.jsonl", missing="skip")
    assert records[0].premise == "Aspirin was first isolated by Felix Hoffmann in 1897 ."
    assert diagnostics


def test_malformed_files_name_file_and_line(registry, tmp_path):
    folder = copy(registry, tmp_path)
    (folder / "fever" / "paper_dev.jsonl").write_text('{"id": 1, "label": "SUPPORTS", "claim": "c", "evidence": [[[1, 2]]]}\n', "utf-8")
    with pytest.raises(SourceError, match=r"paper_dev\.jsonl:1: claim 1: expected evidence"):
        read(folder, "paper_dev.jsonl")
    (folder / "wiki-pages" / "wiki-003.jsonl").write_text("\n[1, 2]\n", "utf-8")
    with pytest.raises(SourceError, match=r"wiki-003\.jsonl:2: expected a wiki page object"):
        read(folder, "train.jsonl")


def test_shared_task_files_are_not_read(registry, tmp_path):
    folder = copy(registry, tmp_path)
    (folder / "fever" / "shared_task_dev.jsonl").write_text('{"id": 5, "label": "SUPPORTS", "claim": "x", "evidence": []}\n')
    assert len(task_samples(registry, TASK, "dev", tmp_path)) == 2
