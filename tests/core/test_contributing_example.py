"""The worked reader example of CONTRIBUTING.md, run as written: its code and
manifest are taken from the fenced blocks after the ``<!-- worked example: ...
-->`` markers, installed as a plugin package in a temporary folder, and built."""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.testing import registered

CONTRIBUTING = Path(__file__).resolve().parents[2] / "CONTRIBUTING.md"


def block(name: str) -> str:
    text = CONTRIBUTING.read_text(encoding="utf-8")
    m = re.search(rf"<!-- worked example: {re.escape(name)} -->\n```\w+\n(.*?)\n```", text, re.S)
    assert m, f"CONTRIBUTING.md has no worked example block {name!r}"
    return m.group(1) + "\n"


MANIFEST = {
    "id": "my_corpus.docs", "version": 1, "name": "My Corpus documents",
    "description": "The worked example of CONTRIBUTING.md.", "category": "TXTCLASS",
    "dataset": {"name": "My Corpus", "homepage": "https://example.org/my-corpus", "citation": "Nobody. 2026.",
                "license": "CC0-1.0", "access": "public"},
    "formatter": {"name": "text_classification"},
    "instructions": ["Give the label of the document: positive or negative. Answer with the label only."],
    "metrics": ["label_f1"],
}  # fmt: skip


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    package = tmp_path / "pkg" / "medinst_my_corpus"
    (package / "tasks").mkdir(parents=True)
    (package / "reader.py").write_text(block("reader"))
    (package / "__init__.py").write_text(block("registration") + '''

@hookimpl
def register_tasks(register):
    from pathlib import Path

    register(Path(__file__).parent / "tasks")
''')
    manifest = copy.deepcopy(MANIFEST)
    manifest["source"] = json.loads(block("manifest source"))
    (package / "tasks" / "docs.json").write_text(json.dumps(manifest))
    monkeypatch.syspath_prepend(str(tmp_path / "pkg"))
    for name in [m for m in sys.modules if m.startswith("medinst_my_corpus")]:
        monkeypatch.delitem(sys.modules, name)
    import medinst_my_corpus

    with registered(("my_corpus", medinst_my_corpus)) as reg:
        assert not reg.problems, reg.problems
        yield reg


def corpus(root: Path, *, retracted: bool = True, test_labels: bool = True) -> Path:
    docs = {"train": {"d1": "A good day.", "d2": "A bad day.", "d3": "Retracted text.", "d4": "No label here."},
            "test": {"t1": "Fine weather."}}
    labels = {"train": "d1\tPositive\nd2\tNegative\nd3\tPositive\n", "test": "t1\tPositive\n"}
    for split, texts in docs.items():
        folder = root / "MyCorpus-1.1" / split
        folder.mkdir(parents=True)
        for doc_id, text in texts.items():
            (folder / f"{doc_id}.txt").write_text(text + "\n")
        if split != "test" or test_labels:
            (folder / "labels.tsv").write_text(labels[split])
    if retracted:
        (root / "MyCorpus-1.1" / "retracted.txt").write_text("d3\n")
    return root


def build(data: Path, out: Path, *extra):
    result = CliRunner().invoke(main, ["build", "my_corpus.docs", "--data-dir", str(data), "--out", str(out), "--json",
                                       *extra])
    return result, json.loads(result.stdout)


def samples(out: Path, split: str) -> dict[str, str]:
    lines = (out / "my_corpus.docs" / f"{split}.jsonl").read_text().splitlines()
    return {s["id"]: s["output"] for s in map(json.loads, lines)}


def test_the_example_builds_with_options_warnings_and_the_optional_role(plugin, tmp_path):
    result, report = build(corpus(tmp_path / "data"), tmp_path / "out")
    assert result.exit_code == 0, result.output
    # lowercase is true in the manifest; d3 is retracted; d4 has no label: a counted warning
    assert samples(tmp_path / "out", "train") == {"my_corpus.docs:train:d1": "positive", "my_corpus.docs:train:d2": "negative"}
    assert samples(tmp_path / "out", "test") == {"my_corpus.docs:test:t1": "positive"}
    train = next(s for s in report["built"] if s["split"] == "train")
    assert train["warnings"]["my_corpus.unlabelled"]["count"] == 1


def test_without_the_optional_file_nothing_is_left_out(plugin, tmp_path):
    result, _ = build(corpus(tmp_path / "data", retracted=False), tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "my_corpus.docs:train:d3" in samples(tmp_path / "out", "train")


def test_an_absent_required_role_makes_the_split_missing_not_failed(plugin, tmp_path):
    result, report = build(corpus(tmp_path / "data", test_labels=False), tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert [m["split"] for m in report["missing"]] == ["test"]
    assert "labels: test/labels.tsv" in report["missing"][0]["reason"]
    assert build(corpus(tmp_path / "data2", test_labels=False), tmp_path / "out2", "--strict")[0].exit_code == 1


def test_a_malformed_line_fails_the_split_naming_file_and_line(plugin, tmp_path):
    data = corpus(tmp_path / "data")
    labels = data / "MyCorpus-1.1" / "train" / "labels.tsv"
    labels.write_text("d1\tPositive\nd2\tNegative\nd3 positive\n")
    result, report = build(data, tmp_path / "out")
    assert result.exit_code == 1
    [failed] = report["failed"]
    assert failed["split"] == "train"
    assert f"{labels}:3: expected 'document id<TAB>label', found 'd3 positive'" in failed["error"]


def test_optional_roles_must_be_roles_of_the_splits():
    from .helpers import ToyPlugin, manifest

    m = manifest(id="toy.optional")
    m["source"]["optional_roles"] = ["exclude"]  # the toy splits have the role data only
    with registered(("toy", ToyPlugin(task=m))) as reg:
        assert any("/source/optional_roles/0" in msg and "no split has a file role 'exclude'" in msg
                   for _, msg in reg.problems), reg.problems
