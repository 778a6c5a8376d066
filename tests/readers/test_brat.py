"""BRAT / BioNLP standoff reader: every line type, document lists, and the real BioNLP-ST and AnEM folders."""

from __future__ import annotations

from collections import Counter

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.readers.brat import read_brat
from medinst_core.records import Argument, Normalization
from medinst_core.sources import FileIndex

from ._util import FIXTURES, run

DOCS = FIXTURES / "brat" / "docs"


def by_id(records):
    return {r.id: r for r in records}


def test_all_line_types():
    recs = by_id(run(read_brat, {"data": sorted(DOCS.glob("*.txt"))}, {"notes": "attribute"}))
    assert sorted(recs) == ["PMC-9-sec-01", "PMID-1", "PMID-3"]
    r = recs["PMID-1"]
    text = (DOCS / "PMID-1.txt").read_text()
    assert r.passages[0].text == text and r.passages[0].type == "abstract"
    # triggers T4-T6 are not entities; T2 is defined in .a1 and repeated in .a2
    assert [e.id for e in r.entities] == ["T1", "T2", "T3", "T7", "T8"]
    t7 = next(e for e in r.entities if e.id == "T7")
    assert t7.offsets == ((50, 51), (52, 57)) and t7.text == ("T", "cells")
    assert t7.attributes == (("note", "discontinuous on purpose"),)
    t3 = next(e for e in r.entities if e.id == "T3")
    assert t3.normalized == (Normalization("UniProt", "P42229"),)
    events = {e.id: e for e in r.events}
    assert events["E2"].arguments == (Argument("Theme", "E1"), Argument("Cause", "T1"))
    assert events["E2"].attributes == (("Confidence", "High"),)
    # Theme2 -> Theme; an event without arguments (trailing space)
    assert events["E3"].arguments == (Argument("Theme", "T3"), Argument("Theme", "T1"), Argument("AtLoc", "T7"))
    assert events["E3"].attributes == (("Speculation", "true"),)
    assert events["E4"].arguments == () and events["E4"].trigger_text == ("binds",)
    assert events["E1"].trigger_offsets == ((20, 30),)
    assert [(c.id, c.entity_ids) for c in r.coreferences] == [("*1", ("T1", "T8"))]
    (rel,) = r.relations
    assert (rel.type, rel.arg1_id, rel.arg2_id) == ("Coreference", "T8", "T1")
    assert rel.attributes == (("arg1_role", "Subject"), ("arg2_role", "Object"))

    anem = recs["PMC-9-sec-01"]
    (part,) = anem.relations  # trailing tab accepted
    assert (part.type, part.arg1_id, part.arg2_id, part.attributes) == ("Part-of", "T1", "T2", ())
    assert [e.attributes for e in anem.entities] == [(("Pathological", "true"),), (), (("Pathological", "true"),)]
    assert recs["PMID-3"].entities == ()


def test_role_options_and_notes_ignored_by_default():
    r = by_id(run(read_brat, {"data": DOCS / "PMID-1.txt"}, {"role_digits": "keep", "role_map": {"AtLoc": "Location"}}))["PMID-1"]
    e3 = next(e for e in r.events if e.id == "E3")
    assert [a.role for a in e3.arguments] == ["Theme", "Theme2", "Location"]
    assert next(e for e in r.entities if e.id == "T7").attributes == ()


def test_document_list_selects_and_orders():
    files = FileIndex(FIXTURES / "brat").resolve({"data": ["docs/*.txt"], "list": ["*.list"]}, what="test")
    assert [r.id for r in read_brat(files, {}, Diagnostics())] == ["PMC-9-sec-01", "PMID-1"]


def test_suffixes_option_and_required_annotations():
    r = by_id(run(read_brat, {"data": DOCS / "PMID-1.txt"}, {"suffixes": [".a1"]}))["PMID-1"]
    assert [e.id for e in r.entities] == ["T1", "T2", "T3"] and r.events == ()
    with pytest.raises(SourceError, match="no annotation file"):
        run(read_brat, {"data": DOCS / "PMID-3.txt"}, {"require_annotations": True})


def test_listed_document_without_text_file(tmp_path):
    (tmp_path / "a.txt").write_text("x")
    lst = tmp_path / "l.list"
    lst.write_text("a\nmissing\n")
    with pytest.raises(SourceError, match=r"l.list:2: document 'missing' is listed"):
        run(read_brat, {"data": tmp_path / "a.txt", "list": lst})


def write_doc(tmp_path, text, ann, suffix=".ann"):
    (tmp_path / "d.txt").write_text(text)
    (tmp_path / f"d{suffix}").write_text(ann)
    return tmp_path / "d.txt"


@pytest.mark.parametrize(
    "ann, fragment",
    [
        ("T1\tProtein 0 3\tabd\n", "annotated as 'abd' but the text at its offsets is 'abc'"),
        ("T1\tProtein 0 99\tabc\n", "outside the text"),
        ("T1\tProtein 0\tabc\n", "expected 'start end' offsets"),
        ("T1\tProtein 3 1\tabc\n", "ends before it starts"),
        ("T1 Protein 0 3 abc\n", "expected an id, a tab"),
        ("E1\tBinding:T9\n", "trigger T9, which is not a T annotation"),
        ("T1\tX 0 3\tabc\nE1\tX:T1 Theme:T5\n", "Theme:T5 refers to an undefined id"),
        ("T1\tX 0 3\tabc\nE1\tX:T1 Theme\n", "expected ROLE:ID"),
        ("R1\tRel Arg1:T1\n", "expected 'Type Arg1:ID Arg2:ID'"),
        ("T1\tX 0 3\tabc\nR1\tRel Arg1:T1 Arg2:T2\n", "refers to T2"),
        ("A1\tNeg\n", "expected 'Name ID [VALUE]'"),
        ("A1\tNeg T4\n", "refers to T4"),
        ("N1\tReference T1\n", "expected 'Reference ID DB:ID'"),
        ("*\tEquiv T1 T2\n", "refers to T1"),
        ("X1\tsomething\n", "unknown annotation line type 'X'"),
        ("T1\tX 0 3\tabc\nT1\tY 0 3\tabc\n", "already defined differently"),
    ],
)
def test_malformed_annotations(tmp_path, ann, fragment):
    txt = write_doc(tmp_path, "abc def", ann)
    with pytest.raises(SourceError) as info:
        run(read_brat, {"data": txt})
    assert fragment in str(info.value)


def test_offset_warning(tmp_path):
    txt = write_doc(tmp_path, "abc def", "T1\tProtein 0 3\tabd\nT2\tProtein 4 7\tdef\n")
    diag = Diagnostics()
    (r,) = run(read_brat, {"data": txt}, {"offset_check": "warn"}, diag)
    assert diag.counts["offset_mismatch"] == 1 and [e.text for e in r.entities] == [("abd",), ("def",)]


def test_text_is_read_exactly(tmp_path):
    txt = write_doc(tmp_path, "", "T1\tX 4 7\tdef\n")  # \r\n counts as two characters
    txt.write_bytes("ab\r\ndef é".encode())
    (r,) = run(read_brat, {"data": txt})
    assert r.passages[0].text == "ab\r\ndef é" and r.entities[0].text == ("def",)


# ---------------------------------------------------------------------------
# Real files: totals counted by scanning the annotation lines
# ---------------------------------------------------------------------------


def count_standoff(txts, suffixes=(".a1", ".a2", ".ann", ".rel")):
    counts = Counter()
    types = Counter()
    for txt in txts:
        defs = {}
        equivs = set()
        for suffix in suffixes:
            ann = txt.with_suffix(suffix)
            if not ann.exists():
                continue
            for line in ann.read_text(encoding="utf-8").splitlines():
                if not line.strip():
                    continue
                ident, rest = line.split("\t", 1)
                if ident == "*":
                    equivs.add(rest.strip())
                elif ident[0] in "TERAMN":
                    defs[ident] = rest
        triggers = {defs[i].split()[0].split(":")[1] for i in defs if i[0] == "E"}
        for i, rest in defs.items():
            if i[0] == "T" and i not in triggers:
                counts["entities"] += 1
                types[rest.split()[0]] += 1
            elif i[0] in "ER":
                counts["events" if i[0] == "E" else "relations"] += 1
        counts["coreferences"] += len(equivs)
        counts["documents"] += 1
    return counts, types


CORPORA = [
    "BioNLP-ST-2009", "BioNLP-ST-2011-GE", "BioNLP-ST-2011-ID", "BioNLP-ST-2011-REL",
    "BioNLP-ST-2013-CG", "BioNLP-ST-2013-GE", "BioNLP-ST-2013-GRO", "BioNLP-ST-2013-PC",
]


@pytest.mark.parametrize("corpus", CORPORA)
def test_bionlp_train_folders(shared_data, corpus):
    folder = shared_data / corpus / "original-data" / "train"
    txts = sorted(folder.glob("*.txt"))
    expected, types = count_standoff(txts)
    recs = run(read_brat, {"data": txts})
    assert len(recs) == expected["documents"] == len(txts)
    assert sum(len(r.entities) for r in recs) == expected["entities"]
    assert Counter(e.type for r in recs for e in r.entities) == types
    assert sum(len(r.events) for r in recs) == expected["events"]
    assert sum(len(r.relations) for r in recs) == expected["relations"]
    assert sum(len(r.coreferences) for r in recs) == expected["coreferences"]


# MedINST Table 11 train counts = documents with a non-empty .a1 (one sample per document)
MEDINST_TRAIN = {
    "BioNLP-ST-2009": 756, "BioNLP-ST-2011-REL": 756, "BioNLP-ST-2011-ID": 151, "BioNLP-ST-2013-CG": 300,
    "BioNLP-ST-2013-GE": 194, "BioNLP-ST-2013-GRO": 150, "BioNLP-ST-2013-PC": 260,
}


@pytest.mark.parametrize("corpus, count", sorted(MEDINST_TRAIN.items()))
def test_documents_with_given_entities_match_medinst(shared_data, corpus, count):
    folder = shared_data / corpus / "original-data" / "train"
    recs = run(read_brat, {"data": sorted(folder.glob("*.txt"))}, {"suffixes": [".a1"]})
    assert sum(1 for r in recs if r.entities) == count


def test_anem_with_its_document_list(shared_data):
    root = shared_data / "AnEM" / "original-data"
    listed = [n.strip() for n in (root / "development" / "train-files.list").read_text().splitlines() if n.strip()]
    files = FileIndex(root).resolve({"data": ["standoff/*.txt"], "list": ["train-files.list"]}, what="AnEM train")
    recs = list(read_brat(files, {}, Diagnostics()))
    assert [r.id for r in recs] == listed
    expected, types = count_standoff([root / "standoff" / f"{n}.txt" for n in listed])
    assert sum(len(r.entities) for r in recs) == expected["entities"]
    assert Counter(e.type for r in recs for e in r.entities) == types
    assert sum(len(r.relations) for r in recs) == expected["relations"]
    assert sum(len(r.coreferences) for r in recs) == expected["coreferences"]
    attributes = sum(
        1 for n in listed for line in (root / "standoff" / f"{n}.ann").read_text().splitlines() if line.startswith("A")
    )
    assert sum(len(e.attributes) for r in recs for e in r.entities) == attributes
    # MedINST: 164 training documents with at least one entity
    assert sum(1 for r in recs if r.entities) == 164


def test_read_optional_reads_whole_files_or_says_none(tmp_path, monkeypatch):
    """A document's file read with os.open/os.read: all of it, also when one read
    gives only part (or the file grows), gzip data decompressed, None when absent."""
    import gzip
    import os

    from medinst_core.readers import brat_lines
    from medinst_core.readers.brat_lines import read_optional

    (tmp_path / "empty.ann").write_bytes(b"")
    (tmp_path / "a.ann").write_bytes(b"T1\tX 0 3\tabc\n" * 5000)
    (tmp_path / "z.ann").write_bytes(gzip.compress(b"T1\tX 0 3\tabc\n"))
    (tmp_path / "dir.ann").mkdir()
    assert read_optional(str(tmp_path / "empty.ann")) == b""
    assert read_optional(str(tmp_path / "a.ann")) == b"T1\tX 0 3\tabc\n" * 5000
    assert read_optional(str(tmp_path / "z.ann")) == b"T1\tX 0 3\tabc\n"
    assert read_optional(str(tmp_path / "missing.ann")) is None
    assert read_optional(str(tmp_path / "dir.ann")) is None
    assert read_optional(str(tmp_path / "missing" / "a.ann")) is None
    # reads that give 1,000 bytes at most: the rest is read on
    monkeypatch.setattr(brat_lines, "_os_read", lambda fd, n: os.read(fd, min(n, 1000)))
    assert read_optional(str(tmp_path / "a.ann")) == b"T1\tX 0 3\tabc\n" * 5000
