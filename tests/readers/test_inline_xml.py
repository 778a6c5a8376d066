"""The inline-tagged XML reader on small hand-written files."""

from __future__ import annotations

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.inline_xml import read_inline_xml

from ._util import run

GENES = {
    "document": "Article", "id_path": "Pmid",
    "passages": [{"path": "Title", "type": "title"}, {"path": "Abstract", "type": "abstract"}],
    "entities": [
        {"tag": "gene", "type": "gene", "normalize": [{"attribute": "g_id", "db_name": "NCBI Gene", "null_values": ["No"]}]},
        {"tag": "variant", "type": "variant", "normalize_mode": "first",
         "normalize": [{"attribute": "v_id", "db_name": "dbSNP", "null_values": ["No"]},
                       {"attribute": "v_norm", "db_name": "HGVS-like"}]},
    ],
}

ARTICLES = """<?xml version="1.0" encoding="UTF-8"?>
<Articles>
  <Article>
    <Pmid>11</Pmid>
    <Title>The <gene g_id="7" g_lex="TGFB1">TGFB1</gene> locus.</Title>
    <Abstract>A <variant v_id="No" v_lex="C8T" v_norm="8C&gt;T">C8T </variant> change (P &lt; 0.1) of <gene g_id="No">X</gene> and <variant v_id="123" v_norm="R1G">R1G</variant>.</Abstract>
  </Article>
  <Article>
    <Pmid>12</Pmid>
    <Title>Nothing.</Title>
    <Abstract/>
  </Article>
</Articles>
"""

GENIA = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE set SYSTEM "gpml.merged.dtd">
<set>
<import resource="GENIAontology.daml" prefix="G"></import>
<article>
<articleinfo><bibliomisc>MEDLINE:95000001</bibliomisc></articleinfo>
<title><sentence><cons lex="IL-2_gene" sem="G#DNA_domain_or_region"><cons lex="IL-2" sem="G#protein_molecule">IL-2</cons> gene</cons> expression.</sentence></title>
<abstract><sentence>We studied <cons lex="tumour_cell" sem="G#cell_type"><cons lex="tumour_cell" sem="G#cell_type">tumour cells</cons></cons>.</sentence>
<sentence><cons lex="T_cell" sem="(AND G#cell_type G#cell_line)">T cells</cons> and <cons lex="*">them</cons>.</sentence></abstract>
</article>
</set>
"""

GENIA_OPTIONS = {
    "document": "article", "id_path": "articleinfo/bibliomisc", "id_regex": "^(?:MEDLINE:)?(.+)$",
    "passages": [{"path": "title", "type": "title"}, {"path": "abstract", "type": "abstract"}],
    "segments": "sentence",
    "entities": [{"tag": "cons", "type_attribute": "sem", "type_replace": {"G#": ""}}],
}


def write(tmp_path, text, name="corpus.xml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_inline_mentions_offsets_and_links(tmp_path):
    records = run(read_inline_xml, {"data": write(tmp_path, ARTICLES)}, GENES)
    assert [r.id for r in records] == ["11", "12"]
    first = records[0]
    assert first.text == "The TGFB1 locus. A C8T  change (P < 0.1) of X and R1G."
    assert [(p.type, p.offsets) for p in first.passages] == [("title", ((0, 16),)), ("abstract", ((17, 54),))]
    got = [(e.id, e.type, e.text, e.offsets, [(n.db_name, n.db_id) for n in e.normalized]) for e in first.entities]
    assert got == [
        ("T1", "gene", ("TGFB1",), ((4, 9),), [("NCBI Gene", "7")]),
        # trailing space left out (trim); no dbSNP id: the HGVS-like form
        ("T2", "variant", ("C8T",), ((19, 22),), [("HGVS-like", "8C>T")]),
        ("T3", "gene", ("X",), ((44, 45),), []),
        ("T4", "variant", ("R1G",), ((50, 53),), [("dbSNP", "123")]),  # normalize_mode first
    ]
    for e in first.entities:
        (s, end), = e.offsets
        assert first.text[s:end] == e.text[0]
    assert records[1].entities == () and records[1].text == "Nothing. "
    assert first.source.endswith("corpus.xml:3")


def test_trim_off_keeps_the_space(tmp_path):
    records = run(read_inline_xml, {"data": write(tmp_path, ARTICLES)}, {**GENES, "trim": False})
    assert records[0].entities[1].text == ("C8T ",)


def test_normalize_all_keeps_every_link(tmp_path):
    options = {**GENES, "entities": [GENES["entities"][0], {**GENES["entities"][1], "normalize_mode": "all"}]}
    records = run(read_inline_xml, {"data": write(tmp_path, ARTICLES)}, options)
    assert [(n.db_name, n.db_id) for n in records[0].entities[3].normalized] == [("dbSNP", "123"), ("HGVS-like", "R1G")]


def test_nested_segments_type_attribute_and_duplicates(tmp_path):
    diagnostics = Diagnostics()
    records = run(read_inline_xml, {"data": write(tmp_path, GENIA)}, GENIA_OPTIONS, diagnostics)
    (doc,) = records
    assert doc.id == "95000001"
    assert doc.text == "IL-2 gene expression. We studied tumour cells. T cells and them."
    got = [(e.type, e.text[0], e.offsets[0]) for e in doc.entities]
    assert got == [
        ("DNA_domain_or_region", "IL-2 gene", (0, 9)),
        ("protein_molecule", "IL-2", (0, 4)),
        ("cell_type", "tumour cells", (33, 45)),  # marked twice: one mention
        ("(AND cell_type cell_line)", "T cells", (47, 54)),
    ]
    assert diagnostics.counts["inline_xml.untyped"] == 1  # <cons lex="*"> has no sem


def test_duplicates_keep(tmp_path):
    records = run(read_inline_xml, {"data": write(tmp_path, GENIA)}, {**GENIA_OPTIONS, "duplicates": "keep"})
    assert [e.text[0] for e in records[0].entities].count("tumour cells") == 2


def test_fallback_type_for_untyped_elements(tmp_path):
    options = {**GENIA_OPTIONS, "entities": [{"tag": "cons", "type_attribute": "sem", "type": "term", "type_replace": {"G#": ""}}]}
    records = run(read_inline_xml, {"data": write(tmp_path, GENIA)}, options)
    assert ("term", ("them",)) in [(e.type, e.text) for e in records[0].entities]


def test_whole_document_is_the_passage_without_passages(tmp_path):
    path = write(tmp_path, "<docs><doc>A <m>b</m> c</doc><doc><m>d</m></doc></docs>")
    records = run(read_inline_xml, {"data": path}, {"document": "doc", "entities": [{"tag": "m", "type": "M"}]})
    assert [(r.id, r.text, [e.text for e in r.entities]) for r in records] == [
        ("1", "A b c", [("b",)]), ("2", "d", [("d",)])]


def test_malformed_xml_names_file_and_line(tmp_path):
    path = write(tmp_path, ARTICLES.replace("</Title>\n    <Abstract>A", "</Titel>\n    <Abstract>A", 1))
    with pytest.raises(SourceError) as info:
        run(read_inline_xml, {"data": path}, GENES)
    assert "corpus.xml" in str(info.value) and ":5" in str(info.value) and "malformed XML" in str(info.value)


def test_entity_declarations_are_refused(tmp_path):
    path = write(tmp_path, '<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x "y">]>\n<a><doc>&x;</doc></a>')
    with pytest.raises(SourceError, match="entity declarations are refused"):
        run(read_inline_xml, {"data": path}, {"document": "doc", "entities": [{"tag": "m", "type": "M"}]})


def test_missing_id_is_an_error(tmp_path):
    path = write(tmp_path, ARTICLES.replace("<Pmid>12</Pmid>", ""))
    with pytest.raises(SourceError, match="no text at 'Pmid'"):
        run(read_inline_xml, {"data": path}, GENES)


def test_options_need_entities():
    with pytest.raises(ManifestError):
        run(read_inline_xml, {"data": []}, {"document": "doc"})


def test_untyped_skip_is_silent(tmp_path):
    diagnostics = Diagnostics()
    options = {**GENIA_OPTIONS, "entities": [{**GENIA_OPTIONS["entities"][0], "untyped": "skip"}]}
    records = run(read_inline_xml, {"data": write(tmp_path, GENIA)}, options, diagnostics)
    assert len(records[0].entities) == 4 and not diagnostics
