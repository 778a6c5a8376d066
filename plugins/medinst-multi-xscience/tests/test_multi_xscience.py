from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from medinst_multi_xscience import reader as mx

from medinst_core.plugin_api import (
    Diagnostics,
    MissingFilesError,
    SourceError,
    SourceFiles,
)
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_multi_xscience"
TASK = "multi_xscience.sum"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def read(path: Path, options=None, diagnostics=None) -> list:
    files = SourceFiles(root=path.parent, roles={"data": (path,)})
    return list(mx.read_multi_xscience(files, options or {}, diagnostics))


def paper(aid: str, refs: dict[str, str] | None = None, **extra) -> dict:
    item = {
        "aid": aid, "mid": "1", "abstract": f"Abstract of {aid}.", "related_work": f"Related work of {aid} @cite_1 .",
        "ref_abstract": {k: {"mid": "2", "abstract": v} for k, v in (refs or {"@cite_1": "Cited."}).items()},
    }
    item.update(extra)
    return item


def write_gz(path: Path, data: bytes) -> Path:
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as g:
        g.write(data)
    return path


# -- bundled samples ---------------------------------------------------------------


def test_bundled_samples(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)  # train.json.gz
    assert [s["id"] for s in train] == [f"{TASK}:train:1905.00101", f"{TASK}:train:1907.04417"]
    first = train[0]["input"]
    assert first.startswith("Abstract: We study graph neural networks")
    assert first.count("\n@cite_") == 3 and "\n\nCited abstracts:\n@cite_1: Guilt by association" in first
    assert train[0]["output"].startswith("Protein function prediction from networks")
    # @cite_5 has an empty abstract: left out of the input, still cited by the related work
    assert "@cite_5" not in train[1]["input"] and "@cite_5" in train[1]["output"]
    dev = task_samples(registry, TASK, "dev", folder, bundled=True)  # val.json, plain, with \u escapes
    assert "\"hallucinated\" entities" in dev[0]["input"] and "\u2014" in dev[0]["input"]
    test = task_samples(registry, TASK, "test", folder, bundled=True)
    assert test[1]["input"] == "Abstract: A survey of datasets for scientific document summarisation."  # no references


def test_options(tmp_path):
    path = tmp_path / "val.json"
    path.write_text(json.dumps([paper("a", {"@cite_1": "One.", "@cite_2": " "})]))
    [plain] = read(path, {"cite_keys": False})
    assert plain.text_1 == "Abstract: Abstract of a.\n\nCited abstracts:\nOne."
    [kept] = read(path, {"keep_empty_references": True})
    assert kept.text_1.endswith("@cite_1: One.\n@cite_2: ")
    assert (kept.id, kept.document_id, kept.text_2) == ("a", "a", "Related work of a @cite_1 .")


def test_layouts(registry, tmp_path):
    data = tmp_path / "Multi-XScience" / "data"
    data.mkdir(parents=True)
    write_gz(data / "test.json.gz", json.dumps([paper("x1"), paper("x2")]).encode())
    assert len(task_samples(registry, TASK, "test", tmp_path)) == 2
    other = tmp_path / "elsewhere"
    other.mkdir()
    (other / "train.json").write_text(json.dumps([paper("y")]))
    with pytest.raises(MissingFilesError):
        task_samples(registry, TASK, "train", other)


def test_clone_with_unpacked_copies(registry, tmp_path):
    """A clone of the repository (data/*.json.gz) where some files were also unpacked with gunzip -k: each
    split is read once."""
    data = tmp_path / "Multi-XScience-master" / "data"
    data.mkdir(parents=True)
    for name, aids in (("train", ["t1", "t2", "t3"]), ("val", ["v1"]), ("test", ["s1", "s2"])):
        write_gz(data / f"{name}.json.gz", json.dumps([paper(a) for a in aids]).encode())
    (data / "train.json").write_text(json.dumps([paper(a) for a in ("t1", "t2", "t3")]))
    (data / "val.json").write_text(json.dumps([paper("v1")]))
    (tmp_path / "Multi-XScience-master" / "README.md").write_text("# Multi-XScience\n")
    for split, ids in (("train", ["t1", "t2", "t3"]), ("dev", ["v1"]), ("test", ["s1", "s2"])):
        assert [s["id"].rsplit(":", 1)[1] for s in task_samples(registry, TASK, split, tmp_path)] == ids
    files = SourceFiles(data, {"data": (data / "train.json", data / "train.json.gz")})
    diagnostics = Diagnostics()
    assert len(list(mx.read_multi_xscience(files, {}, diagnostics))) == 3
    assert diagnostics.counts[mx.UNPACKED_COPY] == 1


def test_duplicate_aids_get_suffixes(tmp_path):
    path = tmp_path / "train.json"
    path.write_text(json.dumps([paper("a"), paper("b"), paper("a"), paper("a")]))
    diagnostics = Diagnostics()
    assert [r.id for r in read(path, diagnostics=diagnostics)] == ["a", "b", "a_1", "a_2"]
    assert diagnostics.counts[mx.DUPLICATE_AID] == 2


# -- reading errors (the array is streamed by the core; its own tests are in tests/readers/test_json_stream.py) --

PAPER = json.dumps(paper("a"))


def test_gzip_detected_by_content(tmp_path):
    path = write_gz(tmp_path / "val.json", json.dumps([paper("g")]).encode())
    assert [r.id for r in read(path)] == ["g"]


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('{"aid": "a"}', 1, "expected a JSON array"),
        ("", 1, "expected a JSON array of papers, found an empty file"),
        ("[\n " + PAPER + ",\n]", 3, "invalid JSON in element 1"),
        ("[\n " + PAPER + " " + PAPER + "\n]", 2, "expected ',' or ']' after element 0"),
        ('[\n {"aid": "a",\n  "abstract": "x\n', 3, "invalid JSON in element 0"),
        ('[]\n]', 2, "unexpected data after the JSON array"),
        ("[\n 5\n]", 2, "paper 0: expected an object, found int"),
        ('[\n{"aid": "a", "abstract": "x", "ref_abstract": {}}\n]', 2, "paper 0: expected a string 'related_work', found nothing"),
        ('[\n{"aid": "", "abstract": "x", "related_work": "y"}\n]', 2, "expected a non-empty 'aid'"),
        ('[{"aid": "a", "abstract": "x", "related_work": "y", "ref_abstract": []}]', 1, "'ref_abstract' to be an object"),
        ('[{"aid": "a", "abstract": "x", "related_work": "y", "ref_abstract": {"@cite_1": {"abstract": 3}}}]', 1,
         r"reference @cite_1: expected a string 'abstract', found int"),
    ],
)
def test_errors_name_file_and_line(tmp_path, text, line, message):
    path = tmp_path / "train.json"
    path.write_text(text)
    with pytest.raises(SourceError, match=message) as info:
        read(path)
    assert str(info.value).startswith(f"{path}:{line}: ")


def test_truncated_gzip_and_bad_utf8(tmp_path):
    data = json.dumps([paper(str(i)) for i in range(50)]).encode()
    whole = write_gz(tmp_path / "train.json.gz", data).read_bytes()
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(SourceError, match=r"cut.json.gz:\d+: cannot be decompressed: the gzip data ends early"):
        read(cut)
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'[\n{"aid": "a\xff"}\n]')
    with pytest.raises(SourceError, match="not valid UTF-8"):
        read(bad)
