"""Property tests: random documents rendered into each native format read back as the same records."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medinst_core.readers.bioc import read_bioc_json, read_bioc_xml
from medinst_core.readers.brat import read_brat
from medinst_core.readers.conll import read_conll
from medinst_core.readers.parallel import read_parallel
from medinst_core.readers.pubtator import read_pubtator
from medinst_core.readers.tabular import read_csv, read_json, read_jsonl, read_tsv
from medinst_core.records import (
    Argument,
    Coreference,
    Entity,
    Event,
    KBRecord,
    Normalization,
    Passage,
    QARecord,
    Relation,
    T2TRecord,
)

from ._util import run, unsourced

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# one line of text: no line breaks, tabs, control characters, surrogates or unassigned code points
CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn"))
LINE = st.text(CHARS, max_size=40)
NONEMPTY_LINE = st.text(CHARS, min_size=1, max_size=40)
TYPES = st.sampled_from(["Disease", "Chemical", "Gene", "Cell_line"])
DB_ID = st.text("ABCDXYZ0123456789", min_size=1, max_size=6)


@st.composite
def pubtator_docs(draw):
    """(pmid, title, abstract or None, [(start, end, type, [(prefix, id)])], [(type, id1, id2, novel)])."""
    pmid = str(draw(st.integers(1, 10**8)))
    title = draw(NONEMPTY_LINE)
    abstract = draw(st.none() | LINE)
    text = title if abstract is None else title + " " + abstract
    mentions = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, len(text)))
        norms = draw(st.lists(st.tuples(st.sampled_from([None, "OMIM", "MESH"]), DB_ID), max_size=3, unique=True))
        mentions.append((start, end, draw(TYPES), norms))
    relations = []
    for _ in range(draw(st.integers(0, 3))):
        relations.append((draw(st.sampled_from(["CID", "Association"])), draw(DB_ID), draw(DB_ID),
                          draw(st.sampled_from(["Novel", "No"]))))
    return pmid, title, abstract, mentions, relations


def ids_text(norms, sep):
    return sep.join(f"{p}:{i}" if p else i for p, i in norms) if norms else "-1"


def expected_kb(doc, db_name):
    pmid, title, abstract, mentions, relations = doc
    passages = [Passage("P0", "title", title, ((0, len(title)),))]
    text = title
    if abstract is not None:
        passages.append(Passage("P1", "abstract", abstract, ((len(title) + 1, len(title) + 1 + len(abstract)),)))
        text = title + " " + abstract
    entities = [
        Entity(str(i), t, (text[s:e],), ((s, e),), [Normalization(p or db_name, x) for p, x in norms])
        for i, (s, e, t, norms) in enumerate(mentions)
    ]
    concept = [Relation(f"R{i}", t, a, b, attributes=[("novel", n)]) for i, (t, a, b, n) in enumerate(relations)]
    return KBRecord(id=pmid, document_id=pmid, passages=passages, entities=entities, concept_relations=concept)


def unique_pmids(docs):
    seen, out = set(), []
    for d in docs:
        if d[0] not in seen:
            seen.add(d[0])
            out.append(d)
    return out


def render_pubtator(docs, sep, crlf):
    blocks = []
    for pmid, title, abstract, mentions, relations in docs:
        text = title if abstract is None else title + " " + abstract
        lines = [f"{pmid}|t|{title}"] + ([f"{pmid}|a|{abstract}"] if abstract is not None else [])
        lines += [f"{pmid}\t{s}\t{e}\t{text[s:e]}\t{t}\t{ids_text(n, sep)}" for s, e, t, n in mentions]
        lines += [f"{pmid}\t{t}\t{a}\t{b}\t{n}" for t, a, b, n in relations]
        blocks.append("\n".join(lines))
    out = "\n\n".join(blocks)
    return out.replace("\n", "\r\n") if crlf else out


def render_bioc_xml(docs, sep):
    parts = ['<?xml version="1.0" encoding="UTF-8"?><!DOCTYPE collection SYSTEM "BioC.dtd"><collection>'
             "<source>test</source>"]
    for pmid, title, abstract, mentions, relations in docs:
        text = title if abstract is None else title + " " + abstract
        parts.append(f"<document><id>{pmid}</id><passage><infon key='type'>title</infon><offset>0</offset>"
                     f"<text>{escape(title)}</text>")
        for i, (s, e, t, n) in enumerate(mentions):
            parts.append(f"<annotation id={quoteattr(str(i))}><infon key='type'>{escape(t)}</infon>"
                         f"<infon key='identifier'>{escape(ids_text(n, sep))}</infon>"
                         f"<location offset='{s}' length='{e - s}'/><text>{escape(text[s:e])}</text></annotation>")
        parts.append("</passage>")
        if abstract is not None:
            parts.append(f"<passage><infon key='type'>abstract</infon><offset>{len(title) + 1}</offset>"
                         f"<text>{escape(abstract)}</text></passage>")
        for i, (t, a, b, n) in enumerate(relations):
            parts.append(f"<relation id='R{i}'><infon key='entity1'>{a}</infon><infon key='entity2'>{b}</infon>"
                         f"<infon key='type'>{t}</infon><infon key='novel'>{n}</infon></relation>")
        parts.append("</document>")
    parts.append("</collection>")
    return "".join(parts)


def render_bioc_json(docs, sep):
    documents = []
    for pmid, title, abstract, mentions, relations in docs:
        text = title if abstract is None else title + " " + abstract
        anns = [{"id": str(i), "infons": {"identifier": ids_text(n, sep), "type": t}, "text": text[s:e],
                 "locations": [{"offset": s, "length": e - s}]} for i, (s, e, t, n) in enumerate(mentions)]
        passages = [{"infons": {"type": "title"}, "offset": 0, "text": title, "annotations": anns}]
        if abstract is not None:
            passages.append({"infons": {"type": "abstract"}, "offset": len(title) + 1, "text": abstract, "annotations": []})
        rels = [{"id": f"R{i}", "infons": {"entity1": a, "entity2": b, "type": t, "novel": n}}
                for i, (t, a, b, n) in enumerate(relations)]
        documents.append({"id": pmid, "passages": passages, "relations": rels})
    return orjson.dumps({"source": "test", "documents": documents})


@SETTINGS
@given(st.lists(pubtator_docs(), max_size=4), st.sampled_from(["|", ","]), st.booleans())
def test_pubtator_and_bioc_roundtrip(docs, sep, crlf):
    docs = unique_pmids(docs)
    expected = [expected_kb(d, "DB") for d in docs]
    options = {"db_name": "DB"}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "x.pubtator").write_bytes(render_pubtator(docs, sep, crlf).encode())
        (tmp / "x.xml").write_text(render_bioc_xml(docs, sep), encoding="utf-8")
        (tmp / "x.json").write_bytes(render_bioc_json(docs, sep))
        assert unsourced(run(read_pubtator, {"data": tmp / "x.pubtator"}, options)) == expected
        assert unsourced(run(read_bioc_xml, {"data": tmp / "x.xml"}, options)) == expected
        assert unsourced(run(read_bioc_json, {"data": tmp / "x.json"}, options)) == expected


# ---------------------------------------------------------------------------
# BRAT
# ---------------------------------------------------------------------------

BRAT_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cn")) | st.just("\n")


@st.composite
def brat_docs(draw):
    text = draw(st.text(BRAT_CHARS, min_size=1, max_size=120))
    # spans inside one line
    lines, pos = [], 0
    for part in text.split("\n"):
        if part:
            lines.append((pos, pos + len(part)))
        pos += len(part) + 1

    def span():
        if not lines:
            return None
        a, b = draw(st.sampled_from(lines))
        s = draw(st.integers(a, b - 1))
        return s, draw(st.integers(s + 1, b))

    def fragments():
        spans = [span() for _ in range(draw(st.integers(1, 3)))]
        return tuple(x for x in spans if x) or None

    entities = [f for f in (fragments() for _ in range(draw(st.integers(0, 5)))) if f]
    triggers = [f for f in (fragments() for _ in range(draw(st.integers(0, 3)))) if f]
    n_ent = len(entities)
    events = []
    for k, _trig in enumerate(triggers):
        targets = [f"T{i + 1}" for i in range(n_ent)] + [f"E{j + 1}" for j in range(k)]
        args = []
        if targets:
            for _ in range(draw(st.integers(0, 3))):
                args.append((draw(st.sampled_from(["Theme", "Theme2", "Cause", "Site3"])), draw(st.sampled_from(targets))))
        events.append((draw(st.sampled_from(["Binding", "Phosphorylation"])), args))
    ent_ids = [f"T{i + 1}" for i in range(n_ent)]
    relations = []
    corefs = []
    attributes = []
    norms = []
    if ent_ids:
        for _ in range(draw(st.integers(0, 2))):
            relations.append((draw(st.sampled_from(["Part-of", "Binds"])), draw(st.sampled_from(ent_ids)),
                              draw(st.sampled_from(ent_ids))))
        if len(ent_ids) > 1 and draw(st.booleans()):
            corefs.append(tuple(draw(st.lists(st.sampled_from(ent_ids), min_size=2, max_size=3, unique=True))))
        for _ in range(draw(st.integers(0, 2))):
            attributes.append((draw(st.sampled_from(ent_ids)), draw(st.sampled_from(["Negated", "Pathological"]))))
        for _ in range(draw(st.integers(0, 2))):
            norms.append((draw(st.sampled_from(ent_ids)), draw(st.sampled_from(["UniProt", "GO"])), draw(DB_ID)))
    types = [draw(TYPES) for _ in entities]
    return text, entities, types, triggers, events, relations, corefs, attributes, norms


def frag_text(text, frags):
    return " ".join(text[a:b] for a, b in frags)


def spans_text(frags):
    return ";".join(f"{a} {b}" for a, b in frags)


@SETTINGS
@given(brat_docs())
def test_brat_roundtrip(doc):
    text, entities, types, triggers, events, relations, corefs, attributes, norms = doc
    n = len(entities)
    a1 = [f"T{i + 1}\t{types[i]} {spans_text(f)}\t{frag_text(text, f)}" for i, f in enumerate(entities)]
    a2 = [f"T{n + k + 1}\t{events[k][0]} {spans_text(f)}\t{frag_text(text, f)}" for k, f in enumerate(triggers)]
    for k, (etype, args) in enumerate(events):
        a2.append(f"E{k + 1}\t{etype}:T{n + k + 1}" + "".join(f" {r}:{x}" for r, x in args) + ("" if args else " "))
    a2 += [f"R{i + 1}\t{t} Arg1:{a} Arg2:{b}\t" for i, (t, a, b) in enumerate(relations)]
    a2 += ["*\tEquiv " + " ".join(c) for c in corefs]
    a2 += [f"A{i + 1}\t{name} {ref}" for i, (ref, name) in enumerate(attributes)]
    a2 += [f"N{i + 1}\tReference {ref} {db}:{x}\tsome name" for i, (ref, db, x) in enumerate(norms)]
    expected = KBRecord(
        id="doc", document_id="doc",
        passages=[Passage("P0", "abstract", text, ((0, len(text)),))],
        entities=[
            Entity(f"T{i + 1}", types[i], tuple(text[a:b] for a, b in f), f,
                   normalized=[Normalization(db, x) for ref, db, x in norms if ref == f"T{i + 1}"],
                   attributes=[(name, "true") for ref, name in attributes if ref == f"T{i + 1}"])
            for i, f in enumerate(entities)
        ],
        events=[
            Event(f"E{k + 1}", etype, tuple(text[a:b] for a, b in triggers[k]), triggers[k],
                  [Argument(r.rstrip("0123456789"), x) for r, x in args])
            for k, (etype, args) in enumerate(events)
        ],
        relations=[Relation(f"R{i + 1}", t, a, b) for i, (t, a, b) in enumerate(relations)],
        coreferences=[Coreference(f"*{i + 1}", c) for i, c in enumerate(corefs)],
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "doc.txt").write_bytes(text.encode())
        (tmp / "doc.a1").write_bytes(("\n".join(a1) + "\n").encode())
        (tmp / "doc.a2").write_bytes("\n".join(a2).encode())
        (got,) = unsourced(run(read_brat, {"data": tmp / "doc.txt"}))
    assert got == expected


# ---------------------------------------------------------------------------
# CoNLL
# ---------------------------------------------------------------------------

TOKEN = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn", "Zs", "Zl", "Zp")), min_size=1, max_size=8)


@st.composite
def sentences(draw):
    tokens = draw(st.lists(TOKEN, min_size=1, max_size=12))
    spans, i = [], 0
    while i < len(tokens):
        if draw(st.booleans()):
            j = draw(st.integers(i + 1, min(len(tokens), i + 3)))
            spans.append((i, j, draw(st.sampled_from(["X", "Y"]))))
            i = j
        else:
            i += 1
    return tokens, spans


def render_tags(n, spans, scheme):
    tags = ["O"] * n
    prev_end, prev_type = -1, None
    for i, j, t in spans:
        if scheme == "iob2":
            tags[i:j] = [f"B-{t}"] + [f"I-{t}"] * (j - i - 1)
        elif scheme == "iob1":
            first = "B" if (prev_end == i and prev_type == t) else "I"
            tags[i:j] = [f"{first}-{t}"] + [f"I-{t}"] * (j - i - 1)
        else:
            single, last = ("S", "E") if scheme == "iobes" else ("U", "L")
            tags[i:j] = [f"{single}-{t}"] if j - i == 1 else [f"B-{t}"] + [f"I-{t}"] * (j - i - 2) + [f"{last}-{t}"]
        prev_end, prev_type = j, t
    return tags


@SETTINGS
@given(st.lists(sentences(), min_size=1, max_size=4), st.sampled_from(["iob1", "iob2", "iobes", "bilou"]))
def test_conll_roundtrip(sents, scheme):
    expected, blocks = [], []
    for k, (tokens, spans) in enumerate(sents):
        tags = render_tags(len(tokens), spans, scheme)
        blocks.append("\n".join(f"{tok}\t{tag}" for tok, tag in zip(tokens, tags)))
        text = " ".join(tokens)
        starts = [sum(len(t) + 1 for t in tokens[:i]) for i in range(len(tokens))]
        ents = []
        for m, (i, j, t) in enumerate(spans):
            s, e = starts[i], starts[j - 1] + len(tokens[j - 1])
            ents.append(Entity(f"T{m}", t, (text[s:e],), ((s, e),)))
        expected.append(KBRecord(id=str(k), document_id=str(k), passages=[Passage("P0", "sentence", text, ((0, len(text)),))],
                                 entities=ents, tokens=tokens, tags=tags))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "x.tsv"
        path.write_bytes(("\n\n".join(blocks) + "\n").encode())
        assert unsourced(run(read_conll, {"data": path}, {"scheme": scheme, "separator": "tab", "docstart": None})) == expected


# ---------------------------------------------------------------------------
# Tabular and parallel
# ---------------------------------------------------------------------------

FIELD = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn"), blacklist_characters="|"), max_size=30)
MULTILINE = st.text(st.characters(blacklist_categories=("Cs", "Cn"), blacklist_characters="|\x00\r"), max_size=30)


@st.composite
def qa_items(draw, text=FIELD):
    choices = draw(st.lists(text.filter(bool), min_size=1, max_size=4))
    return {"question": draw(text), "context": draw(text), "choices": choices, "answer": draw(st.sampled_from(choices))}


def expected_qa(items, ids=None):
    return [QARecord(id=ids[i] if ids else str(i), question=it["question"], type="multiple_choice", context=it["context"],
                     choices=it["choices"], answers=(it["answer"],)) for i, it in enumerate(items)]


def qa_options(choices):
    return {"record": "qa", "fields": {"question": "question", "context": "context", "type": {"const": "multiple_choice"},
                                       "choices": choices, "answers": {"path": "answer", "list": True}}}


@SETTINGS
@given(st.lists(qa_items(), max_size=5), st.lists(qa_items(MULTILINE), max_size=5))
def test_tabular_roundtrip(items, multiline_items):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "x.jsonl").write_bytes(b"".join(orjson.dumps(it) + b"\n" for it in multiline_items))
        assert unsourced(run(read_jsonl, {"data": tmp / "x.jsonl"}, qa_options("choices"))) == expected_qa(multiline_items)
        keyed = {f"k{i}": it for i, it in enumerate(multiline_items)}
        (tmp / "x.json").write_bytes(orjson.dumps({"wrapper": keyed}))
        got = unsourced(run(read_json, {"data": tmp / "x.json"}, {**qa_options("choices"), "items": "wrapper"}))
        assert got == expected_qa(multiline_items, list(keyed))
        buf = io.StringIO(newline="")
        writer = csv.writer(buf)
        writer.writerow(["question", "context", "choices", "answer"])
        for it in multiline_items:
            writer.writerow([it["question"], it["context"], "|".join(it["choices"]), it["answer"]])
        (tmp / "x.csv").write_bytes(buf.getvalue().encode())
        got = unsourced(run(read_csv, {"data": tmp / "x.csv"}, qa_options({"path": "choices", "split": "|"})))
        assert got == expected_qa(multiline_items)
        tsv = "question\tcontext\tchoices\tanswer\n" + "".join(
            f"{it['question']}\t{it['context']}\t{'|'.join(it['choices'])}\t{it['answer']}\n" for it in items
        )
        (tmp / "x.tsv").write_bytes(tsv.encode())
        got = unsourced(run(read_tsv, {"data": tmp / "x.tsv"}, qa_options({"path": "choices", "split": "|"})))
        assert got == expected_qa(items)


@SETTINGS
@given(st.lists(st.tuples(LINE, LINE), max_size=8))
def test_parallel_roundtrip(pairs):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "a").write_bytes("".join(a + "\n" for a, _ in pairs).encode())
        (tmp / "b").write_bytes("".join(b + "\n" for _, b in pairs).encode())
        got = unsourced(run(read_parallel, {"text_1": tmp / "a", "text_2": tmp / "b"}, {"strip": False}))
    assert got == [T2TRecord(id=str(i), text_1=a, text_2=b) for i, (a, b) in enumerate(pairs)]
