"""Inputs cut short (issue #21): a truncated BRAT document and an empty file
among the files of a split are an error naming the file (and line), or a
counted warning, never silently fewer or shorter annotations."""

from __future__ import annotations

import gzip

import pytest

from medinst_core import hookimpl
from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry
from medinst_core.readers.brat import read_brat
from medinst_core.samples import Draft
from medinst_core.sources import SourceFiles

from .helpers import ToyPlugin, manifest

TXT = "Aspirin treats pain in adults.\n"


def _brat(tmp_path, files, **options):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    diagnostics = Diagnostics()
    records = list(read_brat(SourceFiles(tmp_path, {"data": tuple(sorted(tmp_path.glob("*.txt")))}), options, diagnostics))
    return records, diagnostics.as_dict()


# -- a truncated BRAT document ----------------------------------------------------


@pytest.mark.parametrize(
    "files, line, message",
    [
        # the .ann refers past the end of the .txt (with and without the mention's text)
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDisease 40 44\tpain\n"}, 2, "outside the text (length 31)"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDisease 25 44\n"}, 2, "offsets 25-44 outside the text"),
        # the .txt cut mid-way
        ({"d.txt": TXT[:10], "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDisease 15 19\tpain\n"}, 2, "outside the text (length 10)"),
        ({"d.txt": "", "d.ann": "T1\tDrug 0 7\tAspirin\n"}, 1, "outside the text (length 0)"),
        # the .ann cut mid-line
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDise"}, 2, "expected 'Type start end"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDisease 15 19\tpa"}, 2, "annotated as 'pa'"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tDisease 15 1"}, 2, "ends before it starts"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nT2\tAct 8 14\ttreats\nE1\tAct:T2 Theme:T"}, 3, "undefined id"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nR1\tTreats Arg1:T1 Ar"}, 2, "expected ROLE:ID"),
        ({"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nA1\tNegated T"}, 2, "refers to T, which is not defined"),
        # a .a2 without its .a1, whose events need the .a1's entities
        ({"d.txt": TXT, "d.a2": "T3\tAct 8 14\ttreats\nE1\tAct:T3 Theme:T1\n"}, 2, "Theme:T1 refers to an undefined id"),
    ],
)
def test_a_truncated_brat_document_is_an_error_naming_file_and_line(tmp_path, files, line, message):
    with pytest.raises(SourceError) as err:
        _brat(tmp_path, files)
    assert err.value.line == line and message in str(err.value)
    assert str(err.value).startswith(str(tmp_path / next(n for n in files if not n.endswith(".txt"))))


@pytest.mark.parametrize("mode", ["warn", "repair"])
def test_a_mention_past_the_end_is_counted_when_mismatches_are_tolerated(tmp_path, mode):
    _, warnings = _brat(tmp_path, {"d.txt": TXT, "d.ann": "T1\tDisease 25 44\n"}, offset_check=mode)
    assert warnings["offset_mismatch"]["count"] == 1
    assert f"{tmp_path / 'd.ann'}:1:" in warnings["offset_mismatch"]["examples"][0]


def test_an_annotation_file_without_a_final_line_end_is_counted(tmp_path):
    # cut right after a complete-looking normalization: nothing else can tell
    records, warnings = _brat(tmp_path, {"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\nN1\tReference T1 Drug"})
    assert len(records) == 1
    [example] = warnings["brat.unterminated_line"]["examples"]
    assert example.startswith(f"{tmp_path / 'd.ann'}:2: the last line has no line end")
    _, warnings = _brat(tmp_path, {"d.txt": TXT, "d.ann": "T1\tDrug 0 7\tAspirin\n"})
    assert warnings == {}


def test_an_a2_without_its_a1_is_counted(tmp_path):
    files = {"d.txt": TXT, "d.a2": "T3\tAct 8 14\ttreats\n", "e.txt": TXT, "e.a1": "T1\tDrug 0 7\tAspirin\n",
             "e.a2": "T3\tAct 8 14\ttreats\n"}
    records, warnings = _brat(tmp_path, files)
    assert len(records) == 2
    assert warnings["brat.a2_without_a1"]["count"] == 1
    assert str(tmp_path / "d.a2") in warnings["brat.a2_without_a1"]["examples"][0]


# -- an empty file among several -------------------------------------------------


def _echo(record, options, diagnostics):
    yield Draft(input=f"document {record.id}", output="x")


class _Echo:
    @hookimpl
    def register_formatters(self, register):
        register("fam_echo", _echo, record_kinds=("kb", "text"))


def _build(tmp_path, source):
    task = manifest(source=source, formatter={"name": "fam_echo"}, empty_output="keep",
                    medinst={"config": "Toy", "counts": {"train": 3, "dev": 0, "test": 0}})
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=task)), ("fam", _Echo())])
    assert not reg.problems, reg.problems
    return build([reg.task("toy.labels")], tmp_path / "out", data_dir=tmp_path / "data", registry=reg, splits=["train"])


def _pubtator(pmid):
    return f"{pmid}|t|Aspirin treats pain.\n{pmid}|a|In adults.\n{pmid}\t0\t7\tAspirin\tChemical\tD001241\n\n"


FAMILIES = {
    "brat": (
        {"reader": "brat", "splits": {"train": ["train/*.txt"]}},
        {"train/a.txt": TXT, "train/a.ann": "T1\tDrug 0 7\tAspirin\n", "train/b.txt": TXT, "train/b.ann": "",
         "train/c.txt": TXT},
        "train/c.txt",
    ),
    "pubtator": (
        {"reader": "pubtator", "splits": {"train": ["part*.PubTator"]}},
        {"part1.PubTator": _pubtator(1), "part2.PubTator": _pubtator(2), "part3.PubTator": _pubtator(3)},
        "part2.PubTator",
    ),
    "jsonl": (
        {"reader": "jsonl", "options": {"record": "text", "fields": {"text": "text", "document_id": "n"}},
         "splits": {"train": ["shard*.jsonl"]}},
        {"shard1.jsonl": '{"n": "1", "text": "a"}\n', "shard2.jsonl": '{"n": "2", "text": "b"}\n',
         "shard3.jsonl": '{"n": "3", "text": "c"}\n'},
        "shard3.jsonl",
    ),
    "json": (
        {"reader": "json", "options": {"record": "text", "fields": {"text": "text", "document_id": "n"}},
         "splits": {"train": ["part*.json"]}},
        {"part1.json": '[{"n": "1", "text": "a"}]', "part2.json": '[{"n": "2", "text": "b"}]'},
        "part1.json",
    ),
}


@pytest.mark.parametrize("family", sorted(FAMILIES))
@pytest.mark.parametrize("blank", ["", "  \n\n", "\ufeff\n", "gzip"])
def test_an_empty_file_among_several_is_an_error_naming_it(tmp_path, family, blank):
    source, files, victim = FAMILIES[family]
    for name, text in files.items():
        path = tmp_path / "data" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    result = _build(tmp_path, source)
    assert result.ok, result.failed  # whole: it builds (BRAT: an empty .ann is a document without annotations)
    path = tmp_path / "data" / victim
    if blank == "gzip":
        path.write_bytes(gzip.compress(b"\n"))
    else:
        path.write_text(blank)
    result = _build(tmp_path, source)
    [(_, split, error)] = result.failed
    assert split == "train" and str(path) in error
    if family == "json":  # a whole JSON document: its reader already refuses it
        assert "invalid JSON" in error or "white space" in error
    else:
        assert ("is empty (0 bytes)" if blank == "" else "holds only white space") in error
    assert not (tmp_path / "out" / "toy.labels" / "train.jsonl").exists()
