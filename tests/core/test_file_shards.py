"""A split of many files (BRAT documents, PubTator and BioC collections) built
in groups of files by several workers (``--jobs``) gives the bytes, counts,
warnings and errors of a build by one process."""

from __future__ import annotations

import functools
import json
import random
from pathlib import Path

import pytest

from medinst_core.readers.file_groups import BratGroups, FileGroups, _boundaries, _cuts
from medinst_core.sources import SourceFiles

from .helpers import kill_parallel_build, manifest
from .test_shards import assert_identical
from .test_shards import both as shards_both

WORDS = ["alpha", "gene", "binds", "renal", "caf\u00e9", "protein", "cells", "of", "the"]


def kb_task(task_id: str, reader: str, pattern: str | list[str], **options):
    return manifest(
        id=task_id, category="NER",
        source={"reader": reader, "options": options, "splits": {"train": [pattern] if isinstance(pattern, str) else pattern}},
        formatter={"name": "ner_entities", "options": {}}, empty_output="keep",
        instructions=["Find the genes.", "List the gene mentions."],
    )


def document(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 40)))
    mentions, at = [], 0
    while (start := text.find("gene", at)) >= 0:
        mentions.append((start, start + 4, "gene"))
        at = start + 5
    return text, mentions


def write_brat(folder: Path, docs: int, *, seed=0, mismatch_every=0, bad_line_in: int | None = None) -> None:
    """``docs`` documents D<i>.txt with D<i>.a1; every ``mismatch_every``-th
    mention's text is wrong (a warning with ``offset_check: warn``)."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    n = 0
    for i in range(docs):
        text, mentions = document(rng)
        lines = []
        for j, (s, e, word) in enumerate(mentions, 1):
            n += 1
            lines.append(f"T{j}\tGene {s} {e}\t{'gane' if mismatch_every and n % mismatch_every == 0 else word}\n")
        if i == bad_line_in:
            lines.append("T99\tGene four five\tgene\n")
        (folder / f"D{i:04d}.txt").write_text(text, encoding="utf-8")
        (folder / f"D{i:04d}.a1").write_text("".join(lines), encoding="utf-8")


def write_pubtator(folder: Path, files: int, docs: int, *, seed=0, duplicate=False) -> None:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pmid = 1000
    for f in range(files):
        blocks = []
        for _ in range(docs):
            pmid += 1
            doc = 1001 if duplicate and f == files - 1 and not blocks else pmid
            title, mentions = document(rng)
            abstract, _ = document(rng)
            rows = [f"{doc}|t|{title}", f"{doc}|a|{abstract}"]
            rows += [f"{doc}\t{s}\t{e}\t{w}\tGene\t{100 + s}" for s, e, w in mentions]
            blocks.append("\n".join(rows) + "\n")
        (folder / f"part{f:03d}.PubTator").write_text("\n".join(blocks), encoding="utf-8")


def write_bioc(folder: Path, files: int, docs: int, *, seed=0, as_json=False) -> None:
    from xml.sax.saxutils import escape

    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    pmid = 1000
    for f in range(files):
        documents = []
        for _ in range(docs):
            pmid += 1
            text, mentions = document(rng)
            documents.append((str(pmid), text, mentions))
        if as_json:
            collection = {"source": "t", "date": "2026", "key": "k", "documents": [
                {"id": d, "infons": {}, "relations": [], "passages": [{"offset": 0, "text": text, "infons": {"type": "title"},
                 "sentences": [], "relations": [], "annotations": [
                     {"id": str(j), "text": w, "infons": {"type": "Gene", "identifier": str(s)},
                      "locations": [{"offset": s, "length": e - s}]} for j, (s, e, w) in enumerate(mentions)]}]}
                for d, text, mentions in documents]}
            (folder / f"part{f:03d}.json").write_text(json.dumps(collection), encoding="utf-8")
            continue
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<collection><source>t</source><date>2026</date><key>k</key>\n']
        for d, text, mentions in documents:
            out.append(f'<document><id>{d}</id><passage><infon key="type">title</infon><offset>0</offset>'
                       f"<text>{escape(text)}</text>")
            out += [f'<annotation id="{j}"><infon key="type">Gene</infon><location offset="{s}" length="{e - s}"/>'
                    f"<text>{w}</text></annotation>" for j, (s, e, w) in enumerate(mentions)]
            out.append("</passage></document>\n")
        out.append("</collection>\n")
        (folder / f"part{f:03d}.xml").write_text("".join(out), encoding="utf-8")


#: built serially and in groups of files (any split of two files or more is cut)
both = functools.partial(shards_both, threshold=1, variable="MEDINST_SHARD_FILE_BYTES")


@pytest.mark.parametrize("jobs", [2, 3])
def test_brat_folder_with_warnings(tmp_path, monkeypatch, caplog, jobs):
    write_brat(tmp_path / "data" / "brat", 300, mismatch_every=7)
    task = kb_task("t.brat", "brat", "brat/*.txt", suffixes=[".a1"], offset_check="warn")
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog, jobs=jobs)
    assert serial.ok and sharded.ok
    assert f"t.brat train: built in {jobs} groups of files" in log
    assert serial.splits[0].warnings["offset_mismatch"]["count"] > 10
    assert_identical(tmp_path, "t.brat")


def test_brat_annotations_listed_with_the_texts_keep_to_their_group(tmp_path, monkeypatch, caplog):
    write_brat(tmp_path / "data" / "brat", 200)
    # a document of a longer name sorts between D0007.a1 and D0007.txt
    (tmp_path / "data" / "brat" / "D0007.b.txt").write_text("gene", encoding="utf-8")
    (tmp_path / "data" / "brat" / "D0007.b.a1").write_text("T1\tGene 0 4\tgene\n", encoding="utf-8")
    task = kb_task("t.brat", "brat", "brat/*", suffixes=[".a1"])
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog, jobs=3)
    assert serial.ok and sharded.ok and "t.brat train: built in 3 groups of files" in log
    assert_identical(tmp_path, "t.brat")


def test_pubtator_files(tmp_path, monkeypatch, caplog):
    write_pubtator(tmp_path / "data" / "pt", 12, 30)
    task = kb_task("t.pt", "pubtator", "pt/*.PubTator")
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog, jobs=3)
    assert serial.ok and sharded.ok and "t.pt train: built in 3 groups of files" in log
    assert serial.splits[0].samples == 360
    assert_identical(tmp_path, "t.pt")


@pytest.mark.parametrize("as_json", [False, True])
def test_bioc_files(tmp_path, monkeypatch, caplog, as_json):
    write_bioc(tmp_path / "data" / "bioc", 10, 25, as_json=as_json)
    task = kb_task("t.bioc", "bioc_json" if as_json else "bioc_xml", "bioc/*.json" if as_json else "bioc/*.xml")
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog)
    assert serial.ok and sharded.ok and "t.bioc train: built in 2 groups of files" in log
    assert_identical(tmp_path, "t.bioc")


def test_duplicate_document_across_groups_is_the_serial_error(tmp_path, monkeypatch, caplog):
    write_pubtator(tmp_path / "data" / "pt", 8, 20, duplicate=True)
    log, serial, sharded = both(tmp_path, kb_task("t.pt", "pubtator", "pt/*.PubTator"), tmp_path / "data", monkeypatch, caplog)
    [(_, _, error)] = serial.failed
    assert "'1001' occurs twice" in error and "part007.PubTator" in error
    assert [e for _, _, e in sharded.failed] == [error]
    assert any("record id of group 1 is also made before it" in m for m in log), log
    assert not (tmp_path / "sharded" / "t.pt" / "train.jsonl").exists()


def test_duplicate_document_without_samples_is_found_by_its_record_id(tmp_path, monkeypatch, caplog):
    # the second 1001 has no mention: its sample is dropped, only its record id repeats
    write_pubtator(tmp_path / "data" / "pt", 8, 20)
    (tmp_path / "data" / "pt" / "part999.PubTator").write_text("1001|t|alpha\n1001|a|beta\n", encoding="utf-8")
    task = kb_task("t.pt", "pubtator", "pt/*.PubTator")
    task["empty_output"] = "drop"
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog)
    [(_, _, error)] = serial.failed
    assert "'1001' occurs twice" in error and "part999.PubTator" in error
    assert [e for _, _, e in sharded.failed] == [error]
    assert any("record id of group 1 is also made before it" in m for m in log), log


@pytest.mark.parametrize("mode", ["skip", "suffix"])
def test_duplicate_document_across_groups_tolerated_as_serially(tmp_path, monkeypatch, caplog, mode):
    # each group alone sees no duplicate: only the whole reading skips or renames it
    write_pubtator(tmp_path / "data" / "pt", 8, 20, duplicate=True)
    task = kb_task("t.pt", "pubtator", "pt/*.PubTator", duplicate_ids=mode)
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog)
    assert serial.ok and sharded.ok
    assert any("also made before it: the split is built whole" in m for m in log), log
    assert_identical(tmp_path, "t.pt")


def test_error_in_the_second_group_names_the_file_and_line(tmp_path, monkeypatch, caplog):
    write_brat(tmp_path / "data" / "brat", 200, bad_line_in=170)
    task = kb_task("t.brat", "brat", "brat/*.txt", suffixes=[".a1"])
    log, serial, sharded = both(tmp_path, task, tmp_path / "data", monkeypatch, caplog)
    [(_, _, error)] = serial.failed
    assert "D0170.a1:" in error
    assert [e for _, _, e in sharded.failed] == [error]
    assert any(m.startswith("group 1 failed") and "D0170.a1" in m for m in log), log
    assert not (tmp_path / "sharded" / "t.brat" / "train.jsonl").exists()


def test_small_split_one_job_or_another_role_is_not_cut(tmp_path, monkeypatch, caplog):
    write_brat(tmp_path / "data" / "brat", 40)
    task = kb_task("t.brat", "brat", "brat/*.txt", suffixes=[".a1"])
    assert both(tmp_path, task, tmp_path / "data", monkeypatch, caplog, threshold=10_000_000)[0] == []
    assert both(tmp_path, task, tmp_path / "data", monkeypatch, caplog, jobs=1)[0] == []
    # a document list is looked up across the whole split
    (tmp_path / "data" / "train.list").write_text("".join(f"D{i:04d}\n" for i in range(0, 40, 3)), encoding="utf-8")
    listed = kb_task("t.brat", "brat", "brat/*.txt", suffixes=[".a1"])
    listed["source"]["splits"]["train"] = {"data": ["brat/*.txt"], "list": ["train.list"]}
    log, serial, sharded = both(tmp_path, listed, tmp_path / "data", monkeypatch, caplog)
    assert log == [] and serial.ok and sharded.ok
    assert_identical(tmp_path, "t.brat")


def test_groups_never_split_a_document():
    # a and a.b interleave (a.a1, a.b.a1, a.b.txt, a.txt): no cut inside them
    keys = ["a", "a.b", "a.b", "a", "c", "c", "d"]
    assert _boundaries(keys) == [False, False, False, False, True, False, True]
    assert _cuts([10] * 7, _boundaries(keys), 2, 70) == [4]
    assert _cuts([10] * 7, [False] * 7, 2, 70) == []
    brat = BratGroups()
    options = {"suffixes": [".a1", ".a2"], "text_suffix": ".txt"}
    assert [brat.key(Path("x") / n, options) for n in ("D1.txt", "D1.a2", "D1.b.a1", "notes.md")] == [
        "D1", "D1", "D1.b", "notes.md"]
    assert brat.key(Path("A/B/D1.a1"), {**options, "id_folders": 1}) == "B/D1"


def test_groups_are_balanced_by_bytes(tmp_path):
    paths = []
    for i, size in enumerate([100, 1, 1, 1, 1, 100, 1, 1]):
        p = tmp_path / f"f{i}.xml"
        p.write_bytes(b"x" * size)
        paths.append(p)
    files = SourceFiles(tmp_path, {"data": tuple(paths)})
    assert FileGroups().groups(files, {}, 2, 1) == [(0, 4, 103), (4, 8, 103)]
    assert FileGroups().groups(files, {}, 2, 10_000) is None
    assert FileGroups().groups(files, {}, 5, 1) is None  # fewer than two files a group
    other = SourceFiles(tmp_path, {"data": tuple(paths), "list": (paths[0],)})
    assert FileGroups().groups(other, {}, 2, 1) is None


def test_killed_grouped_build_leaves_no_partial_output(tmp_path):
    write_pubtator(tmp_path / "data" / "pt", 40, 1500)
    kill_parallel_build(
        tmp_path, make_task='from core.test_file_shards import kb_task\ntask = kb_task("t.pt", "pubtator", "pt/*.PubTator")',
        task_id="t.pt", env={"MEDINST_SHARD_FILE_BYTES": "1"}, wait=60)


@pytest.mark.parametrize("pattern", ["original-data/train/*.txt", "original-data/train/*"])
def test_real_bionlp_folder(shared_data, tmp_path, monkeypatch, caplog, pattern):
    # the texts alone, or the texts with their .a1/.a2 files listed among the split's files
    data = shared_data / "BioNLP-ST-2011-GE"
    if not (data / "original-data" / "train").is_dir():
        pytest.skip(f"{data}/original-data/train not present")
    task = kb_task("t.ge", "brat", pattern, suffixes=[".a1", ".a2"])
    log, serial, sharded = both(tmp_path, task, data, monkeypatch, caplog)
    assert serial.ok and sharded.ok and "t.ge train: built in 2 groups of files" in log
    assert serial.splits[0].samples > 800
    assert_identical(tmp_path, "t.ge")
