"""Truncated and garbled input: every reader either reads it or raises SourceError, never anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medinst_core.errors import SourceError
from medinst_core.readers.bioc import read_bioc_json, read_bioc_xml
from medinst_core.readers.brat import read_brat
from medinst_core.readers.conll import read_conll
from medinst_core.readers.parallel import read_parallel
from medinst_core.readers.pubtator import read_pubtator
from medinst_core.readers.tabular import read_csv, read_json, read_jsonl, read_tsv

from ._util import FIXTURES, run

TAB = FIXTURES / "tabular"
BRAT = FIXTURES / "brat" / "docs"

CONLL = b"-DOCSTART-\tO\n\nMutant\tO\nBRCA1\tB-Gene\nprotein\tI-Gene\n\nbreast\tB-Disease\ncancer\tI-Disease\n"
QA = {"record": "qa", "fields": {"question": "question", "type": {"const": "multiple_choice"},
                                 "choices": {"path": "options", "values": True}, "answers": {"path": "answer", "list": True}}}
PAIRS = {"record": "pairs", "fields": {"id": "sentence_id", "text_1": "sentence_1", "text_2": "sentence_2",
                                       "score": {"paths": ["annotator_a", "annotator_b"], "type": "float", "reduce": "mean"}}}
TEXT = {"record": "text", "explode": {"path": "utterances", "as": "u"},
        "fields": {"text": {"path": "$u", "split": ":", "maxsplit": 1, "index": 1},
                   "labels": {"path": "$u", "split": ":", "index": 0, "list": True}}}
MEDDIALOG = b'[{"description": "d", "utterances": ["patient: hello", "doctor: hi there"]}, {"utterances": ["patient: x"]}]'

# (name, reader, options, {role: (file name, original bytes)}, role of the file to garble)
CASES = [
    ("pubtator", read_pubtator, {"expand_relations": True}, {"data": ("x.txt", (FIXTURES / "cdr_like.pubtator").read_bytes())}),
    ("bioc_xml", read_bioc_xml, {"expand_relations": True}, {"data": ("x.xml", (FIXTURES / "small.bioc.xml").read_bytes())}),
    ("bioc_xml_fold", read_bioc_xml, {"individual_mentions": "fold", "entity_ids": "position"},
     {"data": ("x.xml", (FIXTURES / "small.bioc.xml").read_bytes())}),
    ("bioc_json", read_bioc_json, {}, {"data": ("x.json", (FIXTURES / "small.bioc.json").read_bytes())}),
    ("bioc_json_lines", read_bioc_json, {}, {"data": ("x.json", b"\n".join(
        orjson.dumps(d) for d in orjson.loads((FIXTURES / "small.bioc.json").read_bytes())["documents"]))}),
    ("conll", read_conll, {}, {"data": ("x.tsv", CONLL)}),
    ("jsonl", read_jsonl, QA, {"data": ("x.jsonl", (TAB / "medqa.jsonl").read_bytes())}),
    ("json", read_json, TEXT, {"data": ("x.json", MEDDIALOG)}),
    ("tsv", read_tsv, PAIRS, {"data": ("x.tsv", (TAB / "biosses.tsv").read_bytes())}),
    ("csv", read_csv, {"record": "text", "fields": {"text": "b", "labels": {"path": "c", "split": ";"}}},
     {"data": ("x.csv", b'a,b,c\n1,"x, ""y""\nz",p;q\n2,w,r\n')}),
    ("parallel", read_parallel, {}, {"text_1": ("a.zh", "一\n二\n".encode()), "text_2": ("b.en", b"one\ntwo\n")}),
]
BRAT_FILES = {
    "data": ("PMID-1.txt", (BRAT / "PMID-1.txt").read_bytes()),
    "a1": ("PMID-1.a1", (BRAT / "PMID-1.a1").read_bytes()),
    "a2": ("PMID-1.a2", (BRAT / "PMID-1.a2").read_bytes()),
}
CASES += [(f"brat_{role}", read_brat, {"notes": "attribute"}, BRAT_FILES, role) for role in ("data", "a1", "a2")]


@st.composite
def mutations(draw, data: bytes):
    """A truncated, corrupted, shuffled or spliced copy of ``data``."""
    kind = draw(st.sampled_from(["truncate", "flip", "insert", "delete_line", "duplicate_line", "swap_lines", "splice"]))
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "flip":
        out = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            if out:
                out[draw(st.integers(0, len(out) - 1))] = draw(st.integers(0, 255))
        return bytes(out)
    if kind == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.sampled_from([b"\t", b"|", b"\n", b"\r", b"<", b">", b"&", b'"', b"{", b"]", b"\x00", b"\xff",
                                     b"-1", b"999999", b";", b":", b" ", b"\xc3", b"&lol;", b"<!ENTITY a 'b'>"]))
        return data[:at] + junk * draw(st.integers(1, 3)) + data[at:]
    lines = data.split(b"\n")
    i = draw(st.integers(0, len(lines) - 1))
    if kind == "delete_line":
        del lines[i]
    elif kind == "duplicate_line":
        lines.insert(i, lines[i])
    elif kind == "swap_lines":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i] = draw(st.binary(max_size=20))
    return b"\n".join(lines)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_garbled_input_gives_source_error_or_records(case, data):
    name, reader, options, files, *garble = case
    target = garble[0] if garble else next(iter(files))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        roles = {}
        for role, (filename, content) in files.items():
            if role == target:
                content = data.draw(mutations(content), label="garbled")
            (tmp / filename).write_bytes(content)
            if role not in ("a1", "a2"):
                roles[role] = tmp / filename
        try:
            records = run(reader, roles, options, root=tmp)
        except SourceError as exc:
            assert str(exc)
        else:
            assert isinstance(records, list)
