"""XML item reader: elements as values, item paths, lists, the shared field mapping, errors."""

from __future__ import annotations

import gzip

import pytest

from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.xml_items import iter_xml_items, read_xml
from medinst_core.records import QARecord, TERecord

from ._util import run

RQE = """<?xml version="1.0" encoding="UTF-8"?>
<Set>
<pair pid="1" type="originalQ-shortQ" value="true">
<chq>
   How should I treat a cough?
</chq>
<faq>
   Treatment of cough?
</faq>
</pair>
<pair pid="2" value="false"> 
<chq>Is &amp; ok &lt;here&gt;?</chq>
<faq>What is caf\u00e9?</faq>
</pair>
</Set>
"""

QA = """<?xml version="1.0" encoding="UTF-8"?>
<QA>
\t<Question QID="7">
\t\t<QuestionText>What is X?</QuestionText>
\t\t<AnswerList>
\t\t\t<Answer AID="7_1" ReferenceRank="2" ReferenceScore="1"><AnswerURL>u1</AnswerURL><AnswerText>first</AnswerText></Answer>
\t\t\t<Answer AID="7_2" ReferenceRank="1" ReferenceScore="4"><AnswerURL/><AnswerText>second</AnswerText></Answer>
\t\t</AnswerList>
\t</Question>
\t<Question QID="8">
\t\t<QuestionText>Only one answer?</QuestionText>
\t\t<AnswerList>
\t\t\t<Answer AID="8_1" ReferenceRank="1" ReferenceScore="3"><AnswerText>alone</AnswerText></Answer>
\t\t</AnswerList>
\t</Question>
</QA>
"""

TE = {"record": "te", "items": "pair",
      "fields": {"id": "@pid", "premise": {"path": "chq", "strip": True}, "hypothesis": {"path": "faq", "strip": True},
                 "label": "@value"}}


def write(tmp_path, name, text, *, gz=False):
    path = tmp_path / name
    data = text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def test_pairs_attributes_and_child_text(tmp_path):
    recs = run(read_xml, {"data": write(tmp_path, "rqe.xml", RQE)}, TE)
    assert [(r.id, r.premise, r.hypothesis, r.label) for r in recs] == [
        ("1", "How should I treat a cough?", "Treatment of cough?", "true"),
        ("2", "Is & ok <here>?", "What is caf\u00e9?", "false"),
    ]
    assert isinstance(recs[0], TERecord) and recs[0].source.endswith("rqe.xml:3")
    assert recs[1].source.endswith("rqe.xml:11")
    # gzip and the default item path (the root's children) read the same
    again = run(read_xml, {"data": write(tmp_path, "rqe.xml.gz", RQE, gz=True)}, {**TE, "items": ""})
    assert [(r.id, r.label) for r in again] == [("1", "true"), ("2", "false")]


def test_element_values_lists_and_explode(tmp_path):
    path = write(tmp_path, "qa.xml", QA)
    values = [v for v, _line, _tag in iter_xml_items(path, "Question", ["Answer"])]
    assert values[0]["@QID"] == "7" and values[0]["QuestionText"] == "What is X?"
    answers = values[0]["AnswerList"]["Answer"]
    assert [a["@AID"] for a in answers] == ["7_1", "7_2"] and answers[1]["AnswerURL"] == ""
    # 'lists' makes a single child a list too
    assert [a["AnswerText"] for a in values[1]["AnswerList"]["Answer"]] == ["alone"]
    without = [v for v, *_ in iter_xml_items(path, "Question")]
    assert without[1]["AnswerList"]["Answer"]["AnswerText"] == "alone"
    options = {"record": "qa", "items": "Question", "lists": ["Answer"],
               "explode": {"path": "AnswerList.Answer", "as": "a"}, "where": {"$a.@ReferenceRank": "1"},
               "fields": {"id": "@QID", "question": "QuestionText", "type": {"const": "summary"},
                          "answers": {"path": "$a.AnswerText", "list": True}}}
    recs = run(read_xml, {"data": path}, options)
    assert [(r.id, r.answers) for r in recs] == [("7", ("second",)), ("8", ("alone",))]
    assert isinstance(recs[0], QARecord)


def test_item_paths(tmp_path):
    doc = ("<root><group name='g'><item n='1'>a</item><item n='2'>b<sub>c</sub>d</item></group>"
           "<item n='3'>top</item><deep><x><item n='4'>e</item></x></deep></root>")
    path = write(tmp_path, "p.xml", doc)
    n = lambda items: [v["@n"] for v, *_ in iter_xml_items(path, items)]  # noqa: E731
    assert n("item") == ["3"]
    assert n("group/item") == ["1", "2"]
    assert n("*/item") == ["1", "2"]
    assert n("/root/item") == ["3"]
    assert n("//item") == ["1", "2", "3", "4"]
    mixed = [v for v, *_ in iter_xml_items(path, "group/item")][1]
    assert mixed["#text"] == "b" and mixed["sub"] == "c" and mixed["#all"] == "bcd"
    tags = [t for *_, t in iter_xml_items(path, "")]
    assert tags == ["group", "item", "deep"]


def test_errors(tmp_path):
    bad = write(tmp_path, "bad.xml", "<Set>\n<pair pid='1'>\n<chq>x</faq>\n</pair></Set>")
    with pytest.raises(SourceError, match=r"bad\.xml.*3.*malformed XML: mismatched tag"):
        run(read_xml, {"data": bad}, TE)
    bomb = write(tmp_path, "bomb.xml", '<?xml version="1.0"?>\n<!DOCTYPE Set [<!ENTITY a "aaaa">]>\n<Set><pair>&a;</pair></Set>')
    with pytest.raises(SourceError, match="entity declarations are refused"):
        run(read_xml, {"data": bomb}, TE)
    empty = write(tmp_path, "empty.xml", "")
    with pytest.raises(SourceError, match="empty XML file"):
        run(read_xml, {"data": empty}, TE)
    none = write(tmp_path, "none.xml", "<Set><other/></Set>")
    with pytest.raises(SourceError, match="no element matches the item path 'pair'"):
        run(read_xml, {"data": none}, TE)
    missing = write(tmp_path, "missing.xml", "<Set>\n\n<pair pid='9' value='true'><chq>x</chq></pair></Set>")
    with pytest.raises(SourceError, match=r"missing\.xml.*3.*field 'hypothesis' is missing"):
        run(read_xml, {"data": missing}, TE)
    with pytest.raises(ManifestError, match="'//' takes a single tag"):
        run(read_xml, {"data": missing}, {**TE, "items": "//a/b"})


def test_namespaces_cdata_and_latin1(tmp_path):
    doc = ('<?xml version="1.0" encoding="ISO-8859-1"?>\n'
           '<ns:set xmlns:ns="http://example.org/x">\n'
           '<ns:pair ns:pid="1" value="true"><ns:chq><![CDATA[a < b & c]]></ns:chq><ns:faq>caf\xe9</ns:faq></ns:pair>\n'
           '</ns:set>\n').encode("latin-1")
    path = tmp_path / "ns.xml"
    path.write_bytes(doc)
    [value] = [v for v, *_ in iter_xml_items(path, "pair")]
    assert value["chq"] == "a < b & c" and value["faq"] == "caf\u00e9"
    # attribute names keep their prefix; element tags are matched and keyed by their local name
    assert value["@ns:pid"] == "1" and value["@value"] == "true"
