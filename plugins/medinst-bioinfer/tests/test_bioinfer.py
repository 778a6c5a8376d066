"""Tests of the BioInfer plugin: conformance, the bioinfer_xml reader (format
features, errors, safety, streaming), the bundled samples, and the real
training file (counts and every sample checked against an independent parse)."""

from __future__ import annotations

import importlib
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from medinst_bioinfer import reader as reader_module
from medinst_bioinfer.reader import read_bioinfer_xml

from medinst_core.plugin_api import Diagnostics, FileIndex, ManifestError, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_bioinfer"
TASKS = ("bioinfer.ner", "bioinfer.re")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def read(path: Path, options=None, diagnostics=None):
    files = FileIndex(path.parent).resolve({"data": [path.name]}, what="test")
    return list(read_bioinfer_xml(files, options or {}, diagnostics if diagnostics is not None else Diagnostics()))


def write(tmp_path: Path, body: str, name: str = "BioInfer-train.xml", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(body.replace("\n", newline).encode("utf-8"))
    return path


def corpus(*sentences: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<corpus source="BioInfer">\n'
            '  <document id="d0" origId="1" set="train">\n' + "".join(sentences) + "  </document>\n</corpus>\n")


# -- bundled samples ------------------------------------------------------------

BUNDLED = {
    "bioinfer.ner:train": {
        "BioInfer.d0.s0": "[Gelsolin <Individual_protein>] [actin <Individual_protein>] [actin <Individual_protein>]",
        "BioInfer.d0.s1": "[alpha tubulin <Individual_protein>] [beta tubulin <Individual_protein>] "
                          "[MARK&PAR-1 kinase family <Protein_family_or_group>]",
        "BioInfer.d1.s0": "",  # no entity: kept, as in MedINST's 894 training samples
        "BioInfer.d1.s1": "[cyclin D1 <Gene>]",
    },
    "bioinfer.ner:test": {
        "BioInfer.d10.s0": "[Profilin-like protein X <Individual_protein>] [PLX <Individual_protein>] "
                           "[Arp2/3 complex <Protein_complex>]",
        "BioInfer.d10.s1": "[RNA-binding proteins <Protein_family_or_group>] [hsp70 <Gene/protein/RNA>] "
                           "[promoter elements <DNA_family_or_group>]",
    },
    "bioinfer.re:train": {
        # two interactions of Gelsolin with two mentions reading "actin": one bracket
        "BioInfer.d0.s0": "[<Gelsolin> <PPI> <actin>]",
        "BioInfer.d0.s1": "[<alpha tubulin> <PPI> <MARK&PAR-1 kinase family>] "
                          "[<beta tubulin> <PPI> <MARK&PAR-1 kinase family>]",
    },
    "bioinfer.re:test": {
        "BioInfer.d10.s0": "[<Profilin-like protein X> <PPI> <Arp2/3 complex>] [<PLX> <PPI> <Arp2/3 complex>]",
    },
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split.split(":")
    samples = task_samples(registry, task_id, split, SAMPLES)
    assert {s["id"].split(":", 2)[2]: s["output"] for s in samples} == BUNDLED[task_split]
    for s in samples:
        assert s["input"] in (SAMPLES / f"BioInfer-{split}.xml").read_text(encoding="utf-8").replace("&amp;", "&") \
            .replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")


def test_bundled_train_file_has_cr_line_ends_like_the_real_file():
    data = (SAMPLES / "BioInfer-train.xml").read_bytes()
    assert b"\r" in data and b"\n" not in data


def test_manifests_have_no_dev_split(registry):
    for task_id in TASKS:
        assert set(registry.tasks[task_id].manifest["source"]["splits"]) == {"train", "test"}


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
    monkeypatch.setattr(reader_module, "CHUNK", chunk)
    path = write(tmp_path, _xml_for(sents))
    records = read(path)
    assert [r.text for r in records] == [t for t, _ in sents]
    for record, (text, spans) in zip(records, sents):
        assert [e.offsets for e in record.entities] == [((a, b),) for a, b in spans]
        assert [e.text for e in record.entities] == [(text[a:b],) for a, b in spans]
        assert len(record.relations) == max(0, len(spans) - 1)


def test_streams_sentence_by_sentence(tmp_path, monkeypatch):
    """The first record arrives before the end of the file has been read."""
    monkeypatch.setattr(reader_module, "CHUNK", 256)
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

    monkeypatch.setattr(reader_module, "open", counting_open, raising=False)
    it = read_bioinfer_xml(files, {}, Diagnostics())
    first = next(it)
    assert first.id == "s0" and sum(reads) < len(body) / 4
    assert len(list(it)) == 199


# -- the test file in the layout of its repository -----------------------------------

# Written for the test like csv_output/BioInfer-test.xml of metalrt/ppi-dataset: CR line ends, the XML
# declaration and the root on one line, documents of set "test", two overlapping mentions of which one is
# discontinuous ("GP" + "IIIa" in "GPIIb-IIIa"), and a sentence whose mentions do not interact.
TEST_XML = (
    '<?xml version="1.0" encoding="UTF-8"?><corpus source="BioInfer">\r'
    '  <document id="BioInfer.d900" origId="91000001" set="test">\r'
    '    <sentence charOffset="0-48" id="BioInfer.d900.s0" origId="5001" '
    'text="Direct binding of GPIIb-IIIa to talin was shown.">\r'
    '      <entity charOffset="18-23" id="BioInfer.d900.s0.e0" origId="e.5001.0" text="GPIIb" type="Individual_protein" />\r'
    '      <entity charOffset="18-20,24-28" id="BioInfer.d900.s0.e1" origId="e.5001.1" text="GP IIIa" '
    'type="Individual_protein" />\r'
    '      <entity charOffset="32-37" id="BioInfer.d900.s0.e2" origId="e.5001.2" text="talin" type="Individual_protein" />\r'
    '      <interaction e1="BioInfer.d900.s0.e0" e2="BioInfer.d900.s0.e2" id="BioInfer.d900.s0.i0" type="PPI" />\r'
    '      <interaction e1="BioInfer.d900.s0.e1" e2="BioInfer.d900.s0.e2" id="BioInfer.d900.s0.i1" type="PPI" />\r'
    '    </sentence>\r'
    '    <sentence charOffset="49-80" id="BioInfer.d900.s1" origId="5002" text="Actin and myosin were measured.">\r'
    '      <entity charOffset="0-5" id="BioInfer.d900.s1.e0" origId="e.5002.0" text="Actin" type="Individual_protein" />\r'
    '      <entity charOffset="10-16" id="BioInfer.d900.s1.e1" origId="e.5002.1" text="myosin" type="Gene/protein/RNA" />\r'
    '    </sentence>\r'
    '  </document>\r'
    '</corpus>'
)


def test_test_file_in_the_repository_layout(registry, tmp_path):
    """csv_output/ of metalrt/ppi-dataset holds the five PPI corpora as XML and CSV files (and merged
    and wop_ CSVs); the test split reads BioInfer-test.xml only."""
    folder = tmp_path / "ppi-dataset" / "csv_output"
    folder.mkdir(parents=True)
    for corpus_name in ("AIMed", "HPRD50", "IEPA", "LLL"):
        for split in ("train", "test"):
            (folder / f"{corpus_name}-{split}.xml").write_text("<corpus/>", encoding="utf-8")
    for name in ("BioInfer-test.csv", "wop_BioInfer-test.csv", "merged-test.csv"):
        (folder / name).write_text("not,read\n", encoding="utf-8")
    (folder / "BioInfer-test.xml").write_bytes(TEST_XML.encode("utf-8"))
    ner = {s["id"]: s["output"] for s in task_samples(registry, "bioinfer.ner", "test", tmp_path)}
    assert ner == {
        "bioinfer.ner:test:BioInfer.d900.s0": "[GPIIb <Individual_protein>] [GP IIIa <Individual_protein>] "
                                              "[talin <Individual_protein>]",
        "bioinfer.ner:test:BioInfer.d900.s1": "[Actin <Individual_protein>] [myosin <Gene/protein/RNA>]",
    }
    re_samples = {s["id"]: s["output"] for s in task_samples(registry, "bioinfer.re", "test", tmp_path)}
    assert re_samples == {
        "bioinfer.re:test:BioInfer.d900.s0": "[<GPIIb> <PPI> <talin>] [<GP IIIa> <PPI> <talin>]",
    }


# -- the real training file -------------------------------------------------------


@pytest.fixture
def real_train(medinst_real_data) -> Path:
    path = medinst_real_data / "BioInfer" / "BioInfer-train.xml"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    return path


def test_real_counts(registry, real_train):
    data = real_train.read_bytes()
    sentences = re.findall(rb"<sentence .*?</sentence>", data, re.S)
    assert len(sentences) == data.count(b"<sentence ") == 894
    with_interactions = sum(b"<interaction " in s for s in sentences)
    assert with_interactions == 642
    folder = real_train.parent
    ner = task_samples(registry, "bioinfer.ner", "train", folder)
    rel = task_samples(registry, "bioinfer.re", "train", folder)
    assert len(ner) == len(sentences) == registry.tasks["bioinfer.ner"].manifest["medinst"]["counts"]["train"]
    assert len(rel) == with_interactions == registry.tasks["bioinfer.re"].manifest["medinst"]["counts"]["train"]
    assert sum(s["output"] == "" for s in ner) == sum(b"<entity " not in s for s in sentences) == 1


def test_real_samples_match_an_independent_parse(registry, real_train):
    """Every sample against the XML as ElementTree reads it (end-exclusive offsets)."""
    folder = real_train.parent
    ner = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "bioinfer.ner", "train", folder)}
    rel = {s["id"].split(":", 2)[2]: s for s in task_samples(registry, "bioinfer.re", "train", folder)}
    discontinuous = 0
    for sentence in ET.parse(real_train).getroot().iter("sentence"):
        sid, text = sentence.get("id"), sentence.get("text")
        assert ner[sid]["input"] == text
        mentions = {}
        rows = []
        for e in sentence.iter("entity"):
            pieces = [tuple(map(int, p.split("-"))) for p in e.get("charOffset").split(",")]
            discontinuous += len(pieces) > 1
            assert " ".join(text[a:b] for a, b in pieces) == e.get("text")
            mentions[e.get("id")] = e.get("text")
            rows.append((pieces[0][0], max(b for _, b in pieces), e.get("type"), e.get("id"), e.get("text")))
        assert ner[sid]["output"] == " ".join(f"[{m} <{t}>]" for _, _, t, _, m in sorted(rows))
        pairs = [f"[<{mentions[i.get('e1')]}> <{i.get('type')}> <{mentions[i.get('e2')]}>]"
                 for i in sentence.iter("interaction")]
        if pairs:
            wanted = list(dict.fromkeys(p.lower() for p in pairs))  # brackets that read the same are written once
            got = re.findall(r"\[<.*?> <PPI> <.*?>\]", rel[sid]["output"])
            assert Counter(g.lower() for g in got) == Counter(wanted), sid
        else:
            assert sid not in rel
    assert discontinuous == 106  # charOffset values with a comma in the file
