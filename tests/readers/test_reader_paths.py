"""The fast paths of the BRAT and BioC XML readers against the plain ones.

* BRAT: records made with the fast constructors equal records made with the
  ordinary (converting) constructors, on the real BioNLP-ST folders and on
  generated documents; the records of the real folders are those the previous
  reader (files indexed up front, lines read through a text stream) gave,
  pinned as digests.
* BioC XML: lxml's streamed parse and ElementTree's give equal records, on
  the real BC5CDR and BioRED files and on generated collections (with
  comments, processing instructions, markup characters and non-ASCII text);
  the real files' records are pinned as digests of the previous reader's.
"""

from __future__ import annotations

import hashlib
from xml.sax.saxutils import escape

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from medinst_core.readers import bioc, brat_build
from medinst_core.readers.bioc import read_bioc_xml
from medinst_core.readers.brat import read_brat
from medinst_core.records import Argument, Event, KBRecord, Passage, Relation, record_to_dict

from ._util import run, unsourced

pytest.importorskip("lxml")


def digest(records) -> tuple[int, str]:
    """(count, sha256 prefix) of records without their ``source`` (which names the data folder)."""
    h = hashlib.sha256()
    n = 0
    for r in unsourced(records):
        h.update(orjson.dumps(record_to_dict(r)))
        n += 1
    return n, h.hexdigest()[:16]


def checked_constructors(monkeypatch) -> None:
    """The BRAT builder with the ordinary attrs constructors (converters run)."""
    from medinst_core.records import Entity

    def entity(id, type, text, offsets, normalized=(), attributes=()):  # noqa: A002
        return Entity(id=id, type=type, text=text, offsets=offsets, normalized=normalized, attributes=attributes)

    monkeypatch.setattr(brat_build, "make_entity", entity)
    monkeypatch.setattr(brat_build, "_event", Event)
    monkeypatch.setattr(brat_build, "_relation", Relation)
    monkeypatch.setattr(brat_build, "_argument", Argument)
    monkeypatch.setattr(brat_build, "_passage", Passage)
    monkeypatch.setattr(brat_build, "_record", KBRecord)


def plain_types(record) -> list:
    """Every value of a record with its Python type, so that a list where a tuple belongs is seen."""
    out = []

    def walk(v):
        out.append(type(v).__name__)
        if isinstance(v, (tuple, list)):
            for x in v:
                walk(x)
        elif hasattr(v, "__attrs_attrs__"):
            for f in v.__attrs_attrs__:
                walk(getattr(v, f.name))
        else:
            out.append(v)

    walk(record)
    return out


# ---------------------------------------------------------------------------
# BRAT
# ---------------------------------------------------------------------------

# the records of the previous reader (sha256 of their JSON without source)
BRAT_DIGESTS = {
    ("BioNLP-ST-2009", "train"): (800, "e3053ee6ffafa70c"),
    ("BioNLP-ST-2011-GE", "train"): (908, "7e33cd35d23eade6"),
    ("BioNLP-ST-2011-EPI", "devel"): (200, "716d07e1c58e052c"),
    ("BioNLP-ST-2011-REL", "train"): (800, "d92620ca8a385510"),
    ("BioNLP-ST-2013-CG", "train"): (300, "3198be77d1d8989e"),
    ("BioNLP-ST-2013-GRO", "train"): (150, "8995e6f803e8069d"),
    ("BioNLP-ST-2013-PC", "train"): (260, "130986bc38edb678"),
}


@pytest.mark.parametrize("corpus, split", sorted(BRAT_DIGESTS))
def test_brat_real_folders_read_as_before(shared_data, monkeypatch, corpus, split):
    folder = shared_data / corpus / "original-data" / split
    txts = sorted(folder.glob("*.txt"))
    fast = run(read_brat, {"data": txts})
    assert digest(fast) == BRAT_DIGESTS[corpus, split]
    checked_constructors(monkeypatch)
    plain = run(read_brat, {"data": txts})
    assert fast == plain
    assert [plain_types(r) for r in fast] == [plain_types(r) for r in plain]


WORDS = st.sampled_from(["IL-2", "binds", "the", "receptor", "é", "cells", "NF-κB", "gene"])


@st.composite
def brat_document(draw):
    words = draw(st.lists(WORDS, min_size=3, max_size=25))
    text = " ".join(words) + "\n"
    starts = [sum(len(w) + 1 for w in words[:i]) for i in range(len(words))]
    a1, a2 = [], []
    spans = draw(st.lists(st.integers(0, len(words) - 1), min_size=1, max_size=8, unique=True))
    for k, i in enumerate(spans, 1):
        s, e = starts[i], starts[i] + len(words[i])
        if draw(st.booleans()) and i + 1 < len(words):  # a discontinuous mention over two words
            s2, e2 = starts[i + 1], starts[i + 1] + len(words[i + 1])
            a1.append(f"T{k}\tProtein {s} {e};{s2} {e2}\t{text[s:e]} {text[s2:e2]}")
        else:
            a1.append(f"T{k}\t{draw(st.sampled_from(['Protein', 'Cell']))} {s} {e}\t{text[s:e]}")
    n = len(spans)
    if n >= 2:
        a2.append(f"E1\tBinding:T{n} Theme:T1 Theme2:T{n - 1}")
        a2.append(f"M1\t{draw(st.sampled_from(['Negation', 'Speculation']))} E1")
        a2.append("R1\tPart-of Arg1:T1 Arg2:T2" if n > 2 else "*\tEquiv T1 T2")
        a2.append("N1\tReference T1 UniProt:P1\tIL-2")
        a2.append("A1\tConfidence T1 High")
    return text, "\n".join(a1) + "\n", "\r\n".join(a2) + ("\r\n" if draw(st.booleans()) else "")


@given(docs=st.lists(brat_document(), min_size=1, max_size=4))
def test_brat_generated_documents_fast_and_plain(tmp_path_factory, docs):
    folder = tmp_path_factory.mktemp("brat")
    for i, (text, a1, a2) in enumerate(docs):
        (folder / f"D{i}.txt").write_text(text, encoding="utf-8")
        (folder / f"D{i}.a1").write_text(a1, encoding="utf-8")
        (folder / f"D{i}.a2").write_bytes(a2.encode("utf-8"))
    txts = sorted(folder.glob("*.txt"))
    fast = run(read_brat, {"data": txts})
    with pytest.MonkeyPatch.context() as mp:
        checked_constructors(mp)
        plain = run(read_brat, {"data": txts})
    assert fast == plain
    assert [plain_types(r) for r in fast] == [plain_types(r) for r in plain]
    for r in fast:
        text = r.passages[0].text
        for e in [*r.entities]:
            assert e.text == tuple(text[s:t] for s, t in e.offsets)


# ---------------------------------------------------------------------------
# BioC XML
# ---------------------------------------------------------------------------

BIOC_FILES = {
    "BC5CDR/CDR_DevelopmentSet.BioC.xml": (
        {"individual_mentions": "fold", "entity_ids": "position", "passage_offsets": "joined"}, (500, "3d976615f14a83c8")),
    "BioRED/Dev.BioC.XML": ({}, (100, "de47f36daaf14dc0")),
}


def both_engines(monkeypatch, path, options):
    lxml_records = run(read_bioc_xml, {"data": path}, options)
    with monkeypatch.context() as mp:
        mp.setattr(bioc, "_lxml_etree", lambda: None)
        etree_records = run(read_bioc_xml, {"data": path}, options)
    return lxml_records, etree_records


@pytest.mark.parametrize("name", sorted(BIOC_FILES))
def test_bioc_real_files_same_with_lxml_and_elementtree(shared_data, monkeypatch, name):
    options, expected = BIOC_FILES[name]
    lxml_records, etree_records = both_engines(monkeypatch, shared_data / name, options)
    assert lxml_records == etree_records
    assert digest(lxml_records) == expected


TEXT = st.text(alphabet=st.sampled_from(list("ab <>&\"'é κ\u00a0x")), min_size=1, max_size=30)


@st.composite
def bioc_collection(draw):
    docs = []
    for d in range(draw(st.integers(1, 4))):
        title, abstract = draw(TEXT), draw(TEXT)
        anns = []
        for k in range(draw(st.integers(0, 3))):
            s = draw(st.integers(0, len(abstract) - 1))
            e = draw(st.integers(s + 1, len(abstract)))
            off = len(title) + 1
            comment = "<!-- a note -->" if draw(st.booleans()) else ""
            anns.append(f'<annotation id="A{k}"><infon key="type">{escape(draw(TEXT))}</infon>'
                        f'<location offset="{off + s}" length="{e - s}"/>{comment}'
                        f"<text>{escape(abstract[s:e])}</text></annotation>")
        pi = "<?keep going?>" if draw(st.booleans()) else ""
        rel = ""
        if len(anns) >= 2:
            rel = '<relation id="R1"><infon key="type">Bind</infon><node refid="A0" role="Arg1"/><node refid="A1" role="x"/></relation>'
        docs.append(f"<document><id>{d}</id>{pi}"
                    f'<passage><infon key="type">title</infon><offset>0</offset><text>{escape(title)}</text></passage>'
                    f'<passage><infon key="type">abstract</infon><offset>{len(title) + 1}</offset>'
                    f"<text>{escape(abstract[:1])}<!-- split -->{escape(abstract[1:])}</text>{''.join(anns)}{rel}</passage>"
                    "</document>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE collection SYSTEM "BioC.dtd">\n<!-- c -->'
            "<collection><source>s</source>" + "".join(docs) + "</collection>\n")


@given(xml=bioc_collection())
def test_bioc_generated_collections_same_with_lxml_and_elementtree(tmp_path_factory, xml):
    path = tmp_path_factory.mktemp("bioc") / "c.xml"
    path.write_text(xml, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        lxml_records, etree_records = both_engines(mp, path, {"offset_check": "warn"})
    assert lxml_records == etree_records
    assert len(lxml_records) == xml.count("<document>")


@pytest.mark.parametrize("engine", ["lxml", "etree"])
def test_bioc_nested_document_is_part_of_its_document(tmp_path, engine):
    path = tmp_path / "x.xml"
    path.write_text("<collection><document><id>1</id><passage><offset>0</offset><text>a</text>"
                    "<document><id>9</id></document></passage></document><document><id>2</id></document></collection>")
    assert [d[0] for d in bioc.iter_xml_documents(path, engine)] == ["1", "2"]


@pytest.mark.parametrize("engine", ["lxml", "etree"])
@pytest.mark.parametrize("content, fragment", [
    ("<document><id>1</id></document>", "expected a BioC <collection>"),
    ("<corpus><document><id>1</id></document></corpus>", "expected a BioC <collection>"),
    ("<collection><document><id>1</id></document>", "malformed XML"),
    ('<!DOCTYPE collection SYSTEM "BioC.dtd"><collection><document><id>1</id><passage><offset>0</offset>'
     "<text>a &ext; b</text></passage></document></collection>", "malformed XML"),
])
def test_bioc_errors_on_both_engines(tmp_path, engine, content, fragment):
    from medinst_core.errors import SourceError

    path = tmp_path / "x.xml"
    path.write_text(content)
    with pytest.raises(SourceError, match=fragment):
        list(bioc.iter_xml_documents(path, engine))
