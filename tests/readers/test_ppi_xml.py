"""ppi_xml reader (the unified protein-protein interaction XML of BioInfer, HPRD50, IEPA, LLL, AIMed,
and of the CPI and miRNA corpora): hand-written files."""

from __future__ import annotations

import re
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers import ppi_xml as ppi_module
from medinst_core.readers.ppi_xml import read_ppi_xml
from medinst_core.records import Normalization
from medinst_core.sources import FileIndex


def read(path: Path, options=None, diagnostics=None):
    files = FileIndex(path.parent).resolve({"data": [path.name]}, what="test")
    return list(read_ppi_xml(files, options or {}, diagnostics if diagnostics is not None else Diagnostics()))


def write(tmp_path: Path, body: str, name: str = "BioInfer-train.xml", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(body.replace("\n", newline).encode("utf-8"))
    return path


def corpus(*sentences: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<corpus source="BioInfer">\n'
            '  <document id="d0" origId="1" set="train">\n' + "".join(sentences) + "  </document>\n</corpus>\n")


# -- the reader -------------------------------------------------------------------


def test_records_entities_and_relations(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="A &amp; B bind, C does not." charOffset="0-26">\n'
        '      <entity id="s0.e1" charOffset="4-5" text="B" type="Individual_protein"/>\n'
        '      <entity id="s0.e0" charOffset="0-1,4-5" text="A B" type="Gene"/>\n'
        '      <interaction id="s0.i0" e1="s0.e0" e2="s0.e1" type="PPI"/>\n'
        '      <interaction id="s0.i1" e1="s0.e1" e2="s0.e0"/>\n'
        "    </sentence>\n"
    ), newline="\r")
    [record] = read(path, {"interaction_type": "Interaction"})
    assert (record.id, record.document_id, record.text) == ("s0", "d0", "A & B bind, C does not.")
    assert record.passages[0].type == "sentence" and record.passages[0].offsets == ((0, 23),)
    b, ab = record.entities
    assert (b.id, b.type, b.text, b.offsets) == ("s0.e1", "Individual_protein", ("B",), ((4, 5),))
    assert (ab.text, ab.offsets) == (("A", "B"), ((0, 1), (4, 5)))
    assert [(r.id, r.type, r.arg1_id, r.arg2_id) for r in record.relations] == [
        ("s0.i0", "PPI", "s0.e0", "s0.e1"), ("s0.i1", "Interaction", "s0.e1", "s0.e0")]


def test_candidate_pairs_variant(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="X binds Y not Z">\n'
        '      <entity id="e0" charOffset="0-1" text="X" type="protein"/>\n'
        '      <entity id="e1" charOffset="8-9" text="Y" type="protein"/>\n'
        '      <entity id="e2" charOffset="14-15" text="Z" type="protein"/>\n'
        '      <pair id="p0" e1="e0" e2="e1" interaction="True"/>\n'
        '      <pair id="p1" e1="e0" e2="e2" interaction="False"/>\n'
        '      <sentenceanalyses><tokenization tokenizer="x"><token id="t0" text="X"/></tokenization></sentenceanalyses>\n'
        "    </sentence>\n"
    ))
    [record] = read(path)
    assert [(r.id, r.type, r.arg1_id, r.arg2_id) for r in record.relations] == [("p0", "PPI", "e0", "e1")]


def test_inclusive_offsets_option(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="IL-2 binds IL-2R">\n'
        '      <entity id="e0" charOffset="0-3" text="IL-2" type="protein"/>\n'
        '      <entity id="e1" charOffset="11-15" text="IL-2R" type="protein"/>\n'
        "    </sentence>\n"
    ))
    [record] = read(path, {"offset_end": "inclusive"})
    assert [e.offsets for e in record.entities] == [((0, 4),), ((11, 16),)]
    with pytest.raises(SourceError, match="annotated as 'IL-2'"):
        read(path)


def test_sentence_without_entities_gives_an_empty_record(tmp_path):
    path = write(tmp_path, corpus('    <sentence id="s0" text="Nothing here." charOffset="0-13"/>\n'))
    [record] = read(path)
    assert record.entities == () and record.relations == () and record.text == "Nothing here."


def test_offset_mismatch_can_be_a_warning(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="p53 and mdm2">\n'
        '      <entity id="e0" charOffset="0-3" text="p54" type="protein"/>\n'
        "    </sentence>\n"
    ))
    with pytest.raises(SourceError) as info:
        read(path)
    assert str(info.value).startswith(f"{path}:5:") and "'p54'" in str(info.value) and "'p53'" in str(info.value)
    diagnostics = Diagnostics()
    [record] = read(path, {"offset_check": "warn"}, diagnostics)
    assert diagnostics.counts["offset_mismatch"] == 1
    assert record.entities[0].text == ("p54",)


@pytest.mark.parametrize(
    "body, line, message",
    [
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="0:1" text="a" type="t"/>\n',
         5, "expected charOffset 'start-end"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="1-5" text="b" type="t"/>\n',
         5, "outside sentence s0"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="1-0" text="" type="t"/>\n',
         5, "end before they start"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="0-1" text="a"/>\n',
         5, "entity e0 has no 'type'"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="0-1" text="a" type="t"/>\n'
         '      <entity id="e0" charOffset="1-2" text="b" type="t"/>\n', 6, "e0 is used twice"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="0-1" text="a" type="t"/>\n'
         '      <interaction id="i0" e1="e0" e2="e9" type="PPI"/>\n', 6, "refers to e9"),
        ('    <sentence id="s0" text="ab">\n      <interaction id="i0" e1="e0" type="PPI"/>\n', 5, "'e2' attribute"),
        ('    <sentence id="s0">\n', 4, "sentence s0 has no 'text'"),
        ('    <sentence id="s0" text="ab">\n      <entity id="e0" charOffset="0-1" text="a" type="t">\n',
         6, "malformed XML: mismatched tag"),
    ],
)
def test_errors_name_file_and_line(tmp_path, body, line, message):
    path = write(tmp_path, corpus(body + "    </sentence>\n"), newline="\r\n")
    with pytest.raises(SourceError, match=re.escape(message)) as info:
        read(path)
    assert str(info.value).startswith(f"{path}:{line}:")


def test_structure_errors(tmp_path):
    path = write(tmp_path, '<?xml version="1.0"?>\n<collection><document/></collection>\n')
    with pytest.raises(SourceError, match="expected a <corpus> root element"):
        read(path)
    path = write(tmp_path, '<corpus>\n<sentence id="s" text="x"/>\n</corpus>\n')
    with pytest.raises(SourceError, match=r":2: a <sentence> outside any <document>"):
        read(path)
    path = write(tmp_path, "")
    with pytest.raises(SourceError, match="malformed XML: no element found"):
        read(path)
    path = write(tmp_path, "<corpus><document id='d'><sentence id='s' text='x'>")
    with pytest.raises(SourceError, match="malformed XML"):
        read(path)


def test_option_errors(tmp_path):
    path = write(tmp_path, corpus())
    with pytest.raises(ManifestError, match="offset_end"):
        read(path, {"offset_end": "closed"})
    with pytest.raises(ManifestError, match="offset_check"):
        read(path, {"offset_check": "ignore"})


@pytest.mark.parametrize(
    "doctype",
    [
        # entity expansion ("billion laughs")
        '<!DOCTYPE corpus [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        # external entity
        '<!DOCTYPE corpus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>',
        # parameter entity
        '<!DOCTYPE corpus [<!ENTITY % p SYSTEM "http://example.invalid/x.dtd"> %p;]>',
    ],
)
def test_entity_declarations_are_refused(tmp_path, doctype):
    body = corpus('    <sentence id="s0" text="&b;"/>\n').replace("<corpus", doctype + "\n<corpus", 1)
    path = write(tmp_path, body)
    with pytest.raises(SourceError, match="declares entities"):
        read(path)


def test_external_dtd_is_not_fetched(tmp_path):
    (tmp_path / "corpus.dtd").write_text('<!ENTITY leak "LEAKED">')
    body = corpus('    <sentence id="s0" text="x"/>\n').replace(
        "<corpus", '<!DOCTYPE corpus SYSTEM "corpus.dtd">\n<corpus', 1)
    [record] = read(write(tmp_path, body))
    assert record.text == "x"


def _xml_for(sentences: list[tuple[str, list[tuple[int, int]]]]) -> str:
    parts = []
    for i, (text, spans) in enumerate(sentences):
        parts.append(f'    <sentence id="s{i}" text="{escape(text, {chr(34): "&quot;"})}">\n')
        for j, (a, b) in enumerate(spans):
            parts.append(f'      <entity id="s{i}.e{j}" charOffset="{a}-{b}" '
                         f'text="{escape(text[a:b], {chr(34): "&quot;"})}" type="T{j % 3}"/>\n')
        for j in range(len(spans) - 1):
            parts.append(f'      <interaction id="s{i}.i{j}" e1="s{i}.e{j}" e2="s{i}.e{j + 1}" type="PPI"/>\n')
        parts.append("    </sentence>\n")
    return corpus(*parts)


@st.composite
def sentences(draw):
    alphabet = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r\n\t") | st.sampled_from("&<>\"' ")
    out = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.text(alphabet, min_size=1, max_size=40))
        spans = []
        for _ in range(draw(st.integers(0, 3))):
            a = draw(st.integers(0, len(text) - 1))
            b = draw(st.integers(a + 1, len(text)))
            spans.append((a, b))
        out.append((text, spans))
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sents=sentences(), chunk=st.integers(1, 64))
def test_any_text_round_trips_at_any_chunk_size(tmp_path, monkeypatch, sents, chunk):
    monkeypatch.setattr(ppi_module, "CHUNK", chunk)
    path = write(tmp_path, _xml_for(sents))
    records = read(path)
    assert [r.text for r in records] == [t for t, _ in sents]
    for record, (text, spans) in zip(records, sents):
        assert [e.offsets for e in record.entities] == [((a, b),) for a, b in spans]
        assert [e.text for e in record.entities] == [(text[a:b],) for a, b in spans]
        assert len(record.relations) == max(0, len(spans) - 1)


def test_streams_sentence_by_sentence(tmp_path, monkeypatch):
    """The first record arrives before the end of the file has been read."""
    monkeypatch.setattr(ppi_module, "CHUNK", 256)
    body = corpus(*[f'    <sentence id="s{i}" text="sentence {i}"/>\n' for i in range(200)])
    path = write(tmp_path, body)
    files = FileIndex(tmp_path).resolve({"data": [path.name]}, what="test")
    reads = []
    real_open = open

    class Counting:
        def __init__(self, f):
            self.f = f

        def read(self, n=-1):
            data = self.f.read(n)
            reads.append(len(data))
            return data

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    def counting_open(*args, **kwargs):
        return Counting(real_open(*args, **kwargs))

    monkeypatch.setattr(ppi_module, "open", counting_open, raising=False)
    it = read_ppi_xml(files, {}, Diagnostics())
    first = next(it)
    assert first.id == "s0" and sum(reads) < len(body) / 4
    assert len(list(it)) == 199


# -- document records, entity types, identifiers, skipped types ------------------------------


def test_document_unit_joins_sentences_and_moves_offsets(tmp_path):
    """HPRD50/IEPA/CPI/miRNA read at document level: the sentences joined by a space, the mentions (offsets
    relative to their sentence) moved into the document text, the relations of every sentence kept."""
    path = write(tmp_path, (
        '<corpus source="IEPA">\r'
        '  <document PMID="1" id="IEPA.d0" origID="7">\r'
        '    <sentence charOffset="0-12" id="IEPA.d0.s0" text="A binds B.  ">\r'
        '      <entity charOffset="0-1" id="IEPA.d0.s0.e0" text="A"/>\r'
        '      <entity charOffset="8-9" id="IEPA.d0.s0.e1" text="B"/>\r'
        '      <interaction e1="IEPA.d0.s0.e0" e2="IEPA.d0.s0.e1" id="IEPA.d0.s0.i0" type="PPI"/>\r'
        '    </sentence>\r'
        '    <sentence charOffset="13-17" id="IEPA.d0.s1" text="None"/>\r'
        '    <sentence charOffset="18-27" id="IEPA.d0.s2" text="C, not D.">\r'
        '      <entity charOffset="0-1" id="IEPA.d0.s2.e0" text="C"/>\r'
        '      <entity charOffset="7-8" id="IEPA.d0.s2.e1" text="D"/>\r'
        '    </sentence>\r'
        '  </document>\r'
        '  <document id="IEPA.d1"/>\r'
        '</corpus>'
    ), name="IEPA-train.xml")
    doc, empty = read(path, {"unit": "document", "entity_type": "protein"})
    assert (doc.id, doc.document_id, doc.text) == ("IEPA.d0", "IEPA.d0", "A binds B.   None C, not D.")
    assert [(p.id, p.offsets) for p in doc.passages] == [
        ("IEPA.d0.s0", ((0, 12),)), ("IEPA.d0.s1", ((13, 17),)), ("IEPA.d0.s2", ((18, 27),))]
    for e in doc.entities:
        assert doc.text[e.offsets[0][0]:e.offsets[0][1]] == e.text[0] and e.type == "protein"
    assert [e.offsets for e in doc.entities] == [((0, 1),), ((8, 9),), ((18, 19),), ((25, 26),)]
    assert [(r.arg1_id, r.arg2_id) for r in doc.relations] == [("IEPA.d0.s0.e0", "IEPA.d0.s0.e1")]
    assert (empty.id, empty.text, empty.entities) == ("IEPA.d1", "", ())


def test_document_unit_streams_one_document_at_a_time(tmp_path, monkeypatch):
    monkeypatch.setattr(ppi_module, "CHUNK", 64)
    body = '<corpus>' + "".join(
        f'<document id="d{i}"><sentence id="d{i}.s0" text="x{i}"/><sentence id="d{i}.s1" text="y"/></document>'
        for i in range(3)) + '</corpus>'
    assert [r.text for r in read(write(tmp_path, body), {"unit": "document"})] == ["x0 y", "x1 y", "x2 y"]


def test_an_entity_id_repeated_across_sentences_of_a_document(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="ab"><entity id="e0" charOffset="0-1" text="a" type="t"/></sentence>\n'
        '    <sentence id="s1" text="cd"><entity id="e0" charOffset="0-1" text="c" type="t"/></sentence>\n'))
    assert len(read(path)) == 2  # sentence records: each sentence has its own ids
    with pytest.raises(SourceError, match="entity id e0 of sentence s1 is used in sentence s0 of document d0"):
        read(path, {"unit": "document"})


def test_hprd50_ids_in_the_type_attribute(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="MCP-1 binds CCR2">\n'
        '      <entity id="e0" charOffset="0-5" text="MCP-1" type="pm0111607||pm0117207"/>\n'
        '      <entity id="e1" charOffset="12-16" text="CCR2" type="pm0111607"/>\n'
        "    </sentence>\n"), name="HPRD50-train.xml")
    [record] = read(path, {"entity_type": "protein", "id_attribute": "type", "id_separator": "||", "db_name": "HPRD"})
    assert [e.type for e in record.entities] == ["protein", "protein"]
    assert record.entities[0].normalized == (Normalization("HPRD", "pm0111607"), Normalization("HPRD", "pm0117207"))


def test_cpi_ids_per_type_and_candidate_pairs(tmp_path):
    path = write(tmp_path, (
        '<corpus source="DS">\n  <document id="DS.d0" origId="17003041">\n'
        '    <sentence id="DS.d0.s0" origId="17003041-302" text="Bestrophin-1 enables Cl-conductance.">\n'
        '      <entity id="DS.d0.s0.e0" origId="O76090,Q6UY87" charOffset="0-12" type="protein" text="Bestrophin-1"/>\n'
        '      <entity id="DS.d0.s0.e1" origId="312" charOffset="21-23" type="compound" text="Cl"/>\n'
        '      <pair e1="DS.d0.s0.e1" e2="DS.d0.s0.e0" id="DS.d0.s0.i0" interaction="True"/>\n'
        "    </sentence>\n  </document>\n</corpus>\n"), name="CPI-DS.xml")
    [doc] = read(path, {"unit": "document", "id_attribute": "origId",
                        "db_names": {"compound": "PubChem", "protein": "UniProt"},
                        "interaction_type": "compound-protein-interaction"})
    assert [[(n.db_name, n.db_id) for n in e.normalized] for e in doc.entities] == [
        [("UniProt", "O76090"), ("UniProt", "Q6UY87")], [("PubChem", "312")]]
    assert [(r.type, r.arg1_id) for r in doc.relations] == [("compound-protein-interaction", "DS.d0.s0.e1")]


def test_skipped_entity_types_and_their_relations(tmp_path):
    """The miRNA corpus: end-inclusive offsets, typed pairs, document-indexing annotations left out."""
    path = write(tmp_path, (
        '<corpus source="miRNA-corp">\n  <document id="miRNA-corp.d1" origId="1">\n'
        '    <sentence id="miRNA-corp.d1.s0" text="miR-21 targets PTEN.">\n'
        '      <entity id="miRNA-corp.d1.s0.e0" text="miR-21" type="Specific_miRNAs" charOffset="0-5"/>\n'
        '      <entity id="miRNA-corp.d1.s0.e1" text="PTEN" type="Genes/Proteins" charOffset="15-18"/>\n'
        '      <entity id="miRNA-corp.d1.s0.e2" text="Aspirin" type="MeSH_Indexing_Chemical" charOffset="0-0"/>\n'
        '      <pair id="miRNA-corp.d1.s0.p0" type="Specific_miRNAs-Genes/Proteins" interaction="True" '
        'e1="miRNA-corp.d1.s0.e0" e2="miRNA-corp.d1.s0.e1"/>\n'
        '      <pair id="miRNA-corp.d1.s0.p1" type="x" interaction="True" e1="miRNA-corp.d1.s0.e2" '
        'e2="miRNA-corp.d1.s0.e1"/>\n'
        "    </sentence>\n  </document>\n</corpus>\n"), name="miRNA-Train-Corpus.xml")
    diagnostics = Diagnostics()
    [doc] = read(path, {"unit": "document", "offset_end": "inclusive",
                        "skip_entity_types": ["MeSH_Indexing_Chemical", "OTHER"]}, diagnostics)
    assert [(e.text, e.offsets) for e in doc.entities] == [(("miR-21",), ((0, 6),)), (("PTEN",), ((15, 19),))]
    assert [r.type for r in doc.relations] == ["Specific_miRNAs-Genes/Proteins"]
    assert diagnostics.counts["ppi_xml.skipped_relation"] == 1
    with pytest.raises(SourceError, match="annotated as 'Aspirin'"):
        read(path, {"offset_end": "inclusive"})


def test_document_option_errors(tmp_path):
    path = write(tmp_path, corpus())
    with pytest.raises(ManifestError, match="unit"):
        read(path, {"unit": "paragraph"})
    with pytest.raises(ManifestError, match="entity_type"):
        read(path, {"entity_type": ""})


def test_duplicate_record_ids(tmp_path):
    """A repository clone holding the same file in two folders (CPI-Pipeline: data_sets/xml/ and scripts/...)."""
    body = ('<corpus><document id="d0"><sentence id="d0.s0" text="a"/></document>'
            '<document id="d1"><sentence id="d1.s0" text="b"/></document></corpus>')
    for folder in ("data_sets/xml", "scripts/DS"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "CPI-DS.xml").write_text(body, encoding="utf-8")
    files = FileIndex(tmp_path).resolve({"data": ["CPI-DS.xml"]}, what="test")

    def ids(options, diagnostics=None):
        options = {"unit": "document", **options}
        return [r.id for r in read_ppi_xml(files, options, diagnostics if diagnostics is not None else Diagnostics())]

    with pytest.raises(SourceError, match=r"scripts/DS/CPI-DS.xml: document id 'd0' occurs twice"):
        ids({})
    diagnostics = Diagnostics()
    assert ids({"duplicate_ids": "skip"}, diagnostics) == ["d0", "d1"]
    assert diagnostics.counts["ppi_xml.duplicate_skipped"] == 2
    assert ids({"duplicate_ids": "suffix"}) == ["d0", "d1", "d0_2", "d1_2"]


def test_document_unit_leaves_empty_sentences_out_of_the_text(tmp_path):
    body = ('<corpus><document id="d0"><sentence id="s0" text="miR-21 binds."/>'
            '<sentence id="s1" text=""><entity id="s1.e0" text="Aspirin" type="MeSH_Indexing_Chemical" charOffset="0-6"/>'
            '</sentence><sentence id="s2" text="End."/></document></corpus>')
    [doc] = read(write(tmp_path, body), {"unit": "document", "skip_entity_types": ["MeSH_Indexing_Chemical"]})
    assert doc.text == "miR-21 binds. End." and [p.id for p in doc.passages] == ["s0", "s2"]


def test_offsets_outside_the_sentence_can_be_a_warning(tmp_path):
    path = write(tmp_path, corpus(
        '    <sentence id="s0" text="miR-21">\n'
        '      <entity id="e0" charOffset="0-6" text="miR-21" type="Specific_miRNAs"/>\n'
        "    </sentence>\n"))
    with pytest.raises(SourceError, match="lie outside sentence s0"):
        read(path, {"offset_end": "inclusive"})
    diagnostics = Diagnostics()
    [record] = read(path, {"offset_end": "inclusive", "offset_check": "warn"}, diagnostics)
    assert diagnostics.counts["offset_mismatch"] == 1  # brought inside, it reads as annotated
    assert (record.entities[0].text, record.entities[0].offsets) == (("miR-21",), ((0, 6),))


def test_ddi_corpus_xml_pairs_and_semicolon_pieces(tmp_path):
    """The DDI corpus 2013 XML release: end-inclusive offsets, discontinuous mentions written
    's-e;s-e', every candidate <pair> with ddi="true|false" and a type when true."""
    path = write(tmp_path, '<?xml version="1.0" encoding="UTF-8"?>\n<document id="DDI-DrugBank.d1">\n'
                 '  <sentence id="DDI-DrugBank.d1.s0" text="Loop and thiazide diuretics potentiate Zentrol.">\n'
                 '    <entity id="DDI-DrugBank.d1.s0.e0" charOffset="0-3;18-26" type="group" text="Loop diuretics"/>\n'
                 '    <entity id="DDI-DrugBank.d1.s0.e1" charOffset="9-26" type="group" text="thiazide diuretics"/>\n'
                 '    <entity id="DDI-DrugBank.d1.s0.e2" charOffset="39-45" type="brand" text="Zentrol"/>\n'
                 '    <pair id="DDI-DrugBank.d1.s0.p0" e1="DDI-DrugBank.d1.s0.e0" e2="DDI-DrugBank.d1.s0.e1" ddi="false"/>\n'
                 '    <pair id="DDI-DrugBank.d1.s0.p1" e1="DDI-DrugBank.d1.s0.e0" e2="DDI-DrugBank.d1.s0.e2" ddi="true" type="effect"/>\n'
                 '    <pair id="DDI-DrugBank.d1.s0.p2" e1="DDI-DrugBank.d1.s0.e1" e2="DDI-DrugBank.d1.s0.e2" ddi="true" type="effect"/>\n'
                 '  </sentence>\n</document>\n', name="Zentrol_ddi.xml")
    # a DDI file has a <document> root (one document a file)
    [record] = read(path, {"offset_end": "inclusive", "pair_attribute": "ddi", "unit": "document"})
    assert [(e.type, e.text, e.offsets) for e in record.entities][0] == ("group", ("Loop", "diuretics"), ((0, 4), (18, 27)))
    assert [(r.type, r.arg1_id[-2:], r.arg2_id[-2:]) for r in record.relations] == [("effect", "e0", "e2"), ("effect", "e1", "e2")]
    [record] = read(path, {"offset_end": "inclusive", "unit": "document"})  # pairs read from 'interaction': none
    assert record.relations == ()
    [first] = read(path, {"offset_end": "inclusive", "pair_attribute": "ddi"})  # per sentence
    assert first.id == "DDI-DrugBank.d1.s0" and first.document_id == "DDI-DrugBank.d1"
    path.write_text("<sentences/>\n")
    with pytest.raises(SourceError, match=r"expected a <corpus> root element .*or <document>"):
        read(path)
