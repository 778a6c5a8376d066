"""PubTator reader: hand-written fixtures and the real NCBI-disease, BC5CDR and BioRED files."""

from __future__ import annotations

from collections import Counter

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
from medinst_core.readers.ids import IdSplitter
from medinst_core.readers.pubtator import read_pubtator
from medinst_core.records import Normalization

from ._util import FIXTURES, run


def test_blocks_passages_entities_and_relations():
    recs = run(read_pubtator, {"data": FIXTURES / "cdr_like.pubtator"}, {"db_name": "MESH"})
    assert [r.id for r in recs] == ["100", "200", "300", "400"]
    r = recs[0]
    title = "Lithium carbonate toxicity in a newborn."
    assert [(p.id, p.type, p.offsets) for p in r.passages] == [
        ("P0", "title", ((0, len(title)),)),
        ("P1", "abstract", ((len(title) + 1, len(title) + 1 + len(r.passages[1].text)),)),
    ]
    assert [e.id for e in r.entities] == ["0", "1", "2", "3"]
    composite = r.entities[2]
    assert composite.text == ("Cardiovascular, and respiratory depression",)
    assert composite.normalized == (Normalization("MESH", "D002318"), Normalization("MESH", "D012131"))
    assert composite.attributes == (
        ("CompositeRole", "CompositeMention"),
        ("IndividualMentions", "cardiovascular depression|respiratory depression"),
    )
    assert [(c.id, c.type, c.arg1_id, c.arg2_id) for c in r.concept_relations] == [
        ("R0", "CID", "D016651", "D064420"),
        ("R1", "CID", "D008094", "D012131"),
    ]
    assert r.relations == ()
    # a title-only block with a '-1' id, then whitespace-only separator lines
    assert [p.type for p in recs[1].passages] == ["title"]
    assert recs[1].entities[0].normalized == ()
    # prefixes become db names; '+' separates composite concepts
    assert recs[2].entities[0].normalized == (Normalization("OMIM", "312080"),)
    assert recs[2].entities[1].normalized == (Normalization("MESH", "D030342"), Normalization("MESH", "D004827"))
    # the last block has no final newline
    assert recs[3].entities[0].text == ("Last",)


def test_expand_relations_pairs_mentions_sharing_the_concepts():
    (r, *_) = run(read_pubtator, {"data": FIXTURES / "cdr_like.pubtator"}, {"expand_relations": True})
    pairs = [(x.id, x.type, x.arg1_id, x.arg2_id) for x in r.relations]
    # D016651 -> mention 0, D064420 -> mention 1; D008094 -> 3, D012131 -> the composite mention 2
    assert pairs == [("R0.0", "CID", "0", "1"), ("R1.0", "CID", "3", "2")]


def test_crlf_tmvar_ids_and_biored_relations(tmp_path):
    title = "BRAF V600E in thyroid."
    abstract = "The c.1799T>A change."
    text = title + " " + abstract
    lines = [
        f"9|t|{title}",
        f"9|a|{abstract}",
        "9\t0\t4\tBRAF\tGene\t673",
        "9\t5\t10\tV600E\tProteinMutation\tp|SUB|V|600|E;HGVS:p.V600E;CorrespondingGene:673;RS#:113488022",
        f"9\t{text.index('c.1799')}\t{text.index('c.1799') + 9}\tc.1799T>A\tDNAMutation\tc|SUB|T|1799|A",
        "9\tAssociation\tp|SUB|V|600|E\t673\tNovel",
        "9\tPositive_Correlation\tc|SUB|T|1799|A\t673\tNo\t",
        "",
    ]
    path = tmp_path / "x.PubTator"
    path.write_bytes("\r\n".join(lines).encode())
    (r,) = run(read_pubtator, {"data": path}, {"db_names": {"Gene": "NCBIGene"}, "db_name": "tmVar", "expand_relations": True})
    assert r.passages[1].text == abstract  # no stray \r
    v = r.entities[1]
    assert v.normalized == (
        Normalization("tmVar", "p|SUB|V|600|E"),
        Normalization("HGVS", "p.V600E"),
        Normalization("CorrespondingGene", "673"),
        Normalization("RS#", "113488022"),
    )
    assert r.entities[0].normalized == (Normalization("NCBIGene", "673"),)
    assert r.entities[2].normalized == (Normalization("tmVar", "c|SUB|T|1799|A"),)
    assert [(c.type, c.arg1_id, c.arg2_id, c.attributes) for c in r.concept_relations] == [
        ("Association", "p|SUB|V|600|E", "673", (("novel", "Novel"),)),
        ("Positive_Correlation", "c|SUB|T|1799|A", "673", (("novel", "No"),)),
    ]
    # concept ids match identifiers as written: CorrespondingGene:673 is not the gene 673
    assert [(x.arg1_id, x.arg2_id) for x in r.relations] == [("1", "0"), ("2", "0")]


def test_joined_tmvar_ids_and_relations_naming_joined_ids(tmp_path):
    """Forms of the real BioRED training file: the older tmVar id with type and
    position in one field (c|DEL888|C), and a mention with two identifiers
    that a relation line names together (D017180|D014693)."""
    title = "888delC and ventricular tachycardia and fibrillation."
    path = tmp_path / "x.PubTator"
    path.write_text("\n".join([
        f"5|t|{title}",
        "5|a|",
        "5\t0\t7\t888delC\tSequenceVariant\tc|DEL888|C",
        f"5\t12\t{len(title) - 1}\t{title[12:-1]}\tDisease\tD017180|D014693",
        "5\tAssociation\tc|DEL888|C\tD017180|D014693\tNovel",
        "",
    ]) + "\n")
    (r,) = run(read_pubtator, {"data": path}, {"db_names": {"Disease": "MESH"}, "expand_relations": True})
    assert r.entities[0].normalized == (Normalization("", "c|DEL888|C"),)
    assert r.entities[1].normalized == (Normalization("MESH", "D017180"), Normalization("MESH", "D014693"))
    assert [(x.type, x.arg1_id, x.arg2_id) for x in r.relations] == [("Association", "0", "1")]



@pytest.mark.parametrize(("raw", "ids"), [
    # tmVar variants: a lower-case sequence type (or none) and a capitalised mutation type, kept whole
    ("p|SUB|V|600|E", ["p|SUB|V|600|E"]),
    ("c|Allele|A|-1082", ["c|Allele|A|-1082"]),
    ("|DEL|1314_1328|", ["|DEL|1314_1328|"]),
    ("c|DEL888|C", ["c|DEL888|C"]),
    # anything else joined by '|' is several identifiers (found by the round-trip test: A|B|0)
    ("A|B|0", ["A", "B", "0"]),
    ("D001|D002", ["D001", "D002"]),
    ("X|AB|C", ["X", "AB", "C"]),
])
def test_only_tmvar_shaped_values_are_one_identifier(raw, ids):
    assert list(IdSplitter({}).split(raw, "Mutation")[0]) == ids

def test_type_specific_separators(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("1|t|ab cd\n1\t0\t2\tab\tGene\t11,12\n1\t3\t5\tcd\tVariant\tx|y;z\n")
    (r,) = run(read_pubtator, {"data": path}, {"type_id_separators": {"Variant": [";"]}})
    assert [n.db_id for n in r.entities[0].normalized] == ["11", "12"]
    assert [n.db_id for n in r.entities[1].normalized] == ["x|y", "z"]


def test_type_separator_gives_one_entity_per_type(tmp_path):
    # MedMentions: a concept linked to several UMLS semantic types lists them all, comma-separated
    path = tmp_path / "corpus_pubtator.txt"
    path.write_text("7|t|DCTN4 in cystic fibrosis\n7|a|x\n7\t0\t5\tDCTN4\tT116,T123\tUMLS:C4308010\n"
                    "7\t9\t24\tcystic fibrosis\tT047\tUMLS:C0010674\n")
    (r,) = run(read_pubtator, {"data": path}, {"type_separator": ","})
    assert [(e.id, e.type, e.text, e.normalized) for e in r.entities] == [
        ("0", "T116", ("DCTN4",), (Normalization("UMLS", "C4308010"),)),
        ("1", "T123", ("DCTN4",), (Normalization("UMLS", "C4308010"),)),
        ("2", "T047", ("cystic fibrosis",), (Normalization("UMLS", "C0010674"),)),
    ]
    (r,) = run(read_pubtator, {"data": path})  # without the option the column is one type
    assert [e.type for e in r.entities] == ["T116,T123", "T047"]


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("1|a|abstract first\n", "does not follow a title"),
        ("1|t|T\n2|a|other\n", "follows the title of 1"),
        ("1|t|T\n1\t0\t1\tT\n", "mention line has 4 columns"),
        ("1|t|T\n2\t0\t1\tT\tX\tY\n", "inside the block of document '1'"),
        ("1|t|T\n1\t0\t1\tX\tType\tid\n", "is annotated as 'X' but the text at its offsets is 'T'"),
        ("1|t|T\n1\t0\t9\tT\tType\tid\n", "outside the text"),
        ("1|t|T\n1\tCID\tD1\n", "found 3 columns"),
        ("just some text\n", "expected a title line"),
        ("1\t0\t1\tT\tX\tY\n", "before any title"),
        ("1|t|T\n\n1|t|T\n", "occurs twice"),
    ],
)
def test_malformed_input_is_a_source_error_with_its_line(tmp_path, content, fragment):
    path = tmp_path / "bad.txt"
    path.write_text(content)
    with pytest.raises(SourceError) as info:
        run(read_pubtator, {"data": path})
    assert fragment in str(info.value)
    assert str(info.value).startswith(str(path))


def test_offset_check_warn_counts_and_keeps_the_mention(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("1|t|Tumour\n1\t0\t6\tTumor \tDisease\tD1\n1\t0\t6\tTumour\tDisease\tD1\n")
    diag = Diagnostics()
    (r,) = run(read_pubtator, {"data": path}, {"offset_check": "warn"}, diag)
    assert diag.counts["offset_mismatch"] == 1
    assert r.entities[0].text == ("Tumor ",)
    assert "x.txt:2" in diag.examples["offset_mismatch"][0]


def test_duplicate_ids_options(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("1|t|A\n\n1|t|B\n\n1|t|C\n")
    assert [r.id for r in run(read_pubtator, {"data": path}, {"duplicate_ids": "suffix"})] == ["1", "1_2", "1_3"]
    assert [r.passages[0].text for r in run(read_pubtator, {"data": path}, {"duplicate_ids": "skip"})] == ["A"]


def test_undecodable_bytes_name_the_line(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"1|t|ok\n1|a|\xff\xfe bad\n")
    with pytest.raises(SourceError, match=r"x.txt:2: is not valid UTF-8"):
        run(read_pubtator, {"data": path})


# ---------------------------------------------------------------------------
# Real files
# ---------------------------------------------------------------------------


def count_pubtator(path):
    """Documents, mentions per type and relation lines, counted by plain line scanning."""
    docs = set()
    titles = 0
    types = Counter()
    relations = Counter()
    with open(path, encoding="utf-8", newline="") as f:
        for line in f.read().replace("\r\n", "\n").split("\n"):
            if "|t|" in line.split("\t")[0]:
                titles += 1
                docs.add(line.split("|")[0])
                continue
            cols = line.split("\t")
            if len(cols) >= 6 and cols[1].isdigit() and cols[2].isdigit():
                types[cols[4]] += 1
            elif len(cols) >= 4:
                relations[cols[1]] += 1
    return titles, types, relations


@pytest.mark.parametrize(
    "rel_path, options, n_docs",
    [
        ("BC5CDR/CDR_DevelopmentSet.PubTator.txt", {}, 500),
        ("BC5CDR/CDR_sample.txt", {}, 50),
        ("BioRED/Train.PubTator", {}, 400),
        ("BioRED/Dev.PubTator", {}, 100),
        # NCBI-disease has one mention whose text lost its quotes and one PMID twice
        ("NCBI-disease/original-data/train/NCBItrainset_corpus.txt", {"offset_check": "warn", "duplicate_ids": "suffix"}, 593),
        ("NCBI-disease/original-data/devel/NCBIdevelopset_corpus.txt", {}, 100),
    ],
)
def test_real_files_parse_with_the_independently_counted_totals(shared_data, rel_path, options, n_docs):
    path = shared_data / rel_path
    titles, types, relations = count_pubtator(path)
    assert titles == n_docs
    recs = run(read_pubtator, {"data": path}, options)
    assert len(recs) == n_docs
    assert Counter(e.type for r in recs for e in r.entities) == types
    assert Counter(c.type for r in recs for c in r.concept_relations) == relations
    for r in recs:
        text = r.text
        for e in r.entities:
            assert text[e.start : e.end] == e.text[0] or options.get("offset_check") == "warn"


def test_ncbi_train_has_exactly_one_offset_mismatch_and_one_duplicate(shared_data):
    path = shared_data / "NCBI-disease/original-data/train/NCBItrainset_corpus.txt"
    with pytest.raises(SourceError, match="10923035"):
        run(read_pubtator, {"data": path}, {"duplicate_ids": "suffix"})
    diag = Diagnostics()
    recs = run(read_pubtator, {"data": path}, {"offset_check": "warn", "duplicate_ids": "skip"}, diag)
    assert diag.counts == {"offset_mismatch": 1}
    assert len(recs) == 592


def test_bc5cdr_composite_mentions_and_expansion(shared_data):
    path = shared_data / "BC5CDR/CDR_DevelopmentSet.PubTator.txt"
    seven = sum(1 for line in open(path, encoding="utf-8") if len(line.rstrip("\n").split("\t")) == 7)
    recs = run(read_pubtator, {"data": path}, {"db_name": "MESH", "expand_relations": True})
    composites = [e for r in recs for e in r.entities if ("CompositeRole", "CompositeMention") in e.attributes]
    assert len(composites) == seven
    # every expanded pair links a mention of the relation's first concept to one of its second
    for r in recs:
        ents = {e.id: e for e in r.entities}
        by_id = {c.id: c for c in r.concept_relations}
        for m in r.relations:
            c = by_id[m.id.split(".")[0]]
            assert c.arg1_id in {n.db_id for n in ents[m.arg1_id].normalized}
            assert c.arg2_id in {n.db_id for n in ents[m.arg2_id].normalized}
