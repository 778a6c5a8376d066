"""The build's fast paths give what the plain code gives: the text-order sort
of the kb formatters, the common ``ner_entities`` path, ``KBRecord.text``, the
generated record constructors and the CoNLL reader's column split."""

from __future__ import annotations

from unittest import mock

import attrs
from hypothesis import given
from hypothesis import strategies as st

from medinst_core.default_plugins.formatters import FORMATTERS
from medinst_core.formatters.kb import _order, in_text_order, ned, ner_entities, re_
from medinst_core.options import with_defaults
from medinst_core.readers.conll import read_conll
from medinst_core.readers.construct import fast_constructor, make_entity
from medinst_core.records import Entity, KBRecord, Normalization, Passage, Relation
from tests.readers._util import run

words = st.text(alphabet="ab [] \t", min_size=0, max_size=4)
types = st.sampled_from(["Gene", "Disease", "Chemical", "A"])
spans = st.tuples(st.integers(0, 30), st.integers(0, 6)).map(lambda p: (p[0], p[0] + p[1]))


@st.composite
def entities(draw, max_fragments=1):
    out = []
    for k in range(draw(st.integers(0, 8))):
        n = draw(st.integers(1, max_fragments))
        offsets = tuple(draw(spans) for _ in range(n))
        norms = tuple(Normalization(db_name=draw(st.sampled_from(["", "MESH", "OMIM"])), db_id=draw(st.sampled_from(["1", "D2", "3"])))
                      for _ in range(draw(st.integers(0, 2))))
        out.append(Entity(id=draw(st.sampled_from([str(k), "x", "0"])), type=draw(types),
                          text=tuple(draw(words) for _ in offsets), offsets=offsets, normalized=norms))
    return out


def record(ents, relations=()):
    return KBRecord(id="r", document_id="r", passages=(Passage(id="P0", type="t", text="x" * 40, offsets=((0, 40),)),),
                    entities=ents, concept_relations=relations)


def options(name, **extra):
    return with_defaults(FORMATTERS[name][3], extra)


def with_plain_sort(formatter, rec, opts):
    """The formatter's drafts with the text order taken by the plain key."""
    with mock.patch("medinst_core.formatters.kb.in_text_order", lambda es: sorted(es, key=_order)):
        return list(formatter(rec, opts))


@given(entities(max_fragments=3))
def test_text_order_is_the_plain_sort(ents):
    assert in_text_order(ents) == sorted(ents, key=_order)
    assert [e.id for e in in_text_order(ents)] == [e.id for e in sorted(ents, key=_order)]


@given(entities(max_fragments=2))
def test_ner_entities_common_path_is_the_general_path(ents):
    rec = record(ents)
    fast = list(ner_entities(rec, options("ner_entities")))
    # an identity type map takes the general (per-mention) path
    general = with_plain_sort(ner_entities, rec,
                              options("ner_entities", types={t: t for t in ("Gene", "Disease", "Chemical", "A")}))
    assert fast == general


@given(entities(max_fragments=2), st.sampled_from(["db_name/db_id", "db_name:db_id", "db_id"]), st.booleans())
def test_ned_ids_are_written_as_the_id_format_says(ents, id_format, join):
    opts = options("ned", id_format=id_format, multi="join" if join else "separate")
    drafts = list(ned(record(ents), opts))
    assert drafts == with_plain_sort(ned, record(ents), opts)
    template = {"db_name/db_id": "{db}/{id}", "db_name:db_id": "{db}:{id}", "db_id": None}[id_format]
    expected = []
    for e in sorted(ents, key=_order):
        ids = list(dict.fromkeys(template.format(db=n.db_name, id=n.db_id) if template and n.db_name else n.db_id
                                 for n in e.normalized))
        mention = " ".join(t.strip() for t in e.text if t.strip())
        if ids:
            expected += [f"[{mention} <{'|'.join(ids)}>]"] if join else [f"[{mention} <{i}>]" for i in ids]
    assert drafts[0].output == " ".join(expected)


@given(entities(max_fragments=1), st.lists(st.tuples(st.sampled_from(["1", "D2", "MESH:1", "3"]),
                                                   st.sampled_from(["1", "D2", "OMIM:3"])), max_size=4))
def test_re_concept_relations_with_the_fast_sort(ents, pairs):
    rels = tuple(Relation(id=f"R{i}", type="CID", arg1_id=a, arg2_id=b) for i, (a, b) in enumerate(pairs))
    rec = record(ents, rels)
    assert list(re_(rec, options("re"))) == with_plain_sort(re_, rec, options("re"))


def plain_text(passages) -> str:
    """``KBRecord.text`` as written before its fast paths."""
    parts: list[str] = []
    pos = 0
    for p in sorted(passages, key=lambda p: p.offsets[0][0] if p.offsets else 0):
        start = p.offsets[0][0] if p.offsets else pos
        if start > pos:
            parts.append(" " * (start - pos))
            pos = start
        parts.append(p.text)
        pos += len(p.text)
    return "".join(parts)


passages = st.lists(
    st.builds(lambda i, text, start, placed: Passage(id=f"P{i}", type="t", text=text,
                                                       offsets=((start, start + len(text)),) if placed else ()),
              st.integers(0, 3), st.text(alphabet="ab ", max_size=5), st.integers(-2, 12), st.booleans()),
    max_size=4,
)


@given(passages)
def test_record_text_is_the_plain_concatenation(ps):
    assert KBRecord(id="r", document_id="r", passages=ps).text == plain_text(ps)


@given(entities(max_fragments=2), st.text(max_size=5), st.lists(st.text(max_size=3), max_size=3))
def test_generated_constructor_is_the_attrs_constructor(ents, source, tokens):
    build = fast_constructor(KBRecord)
    fast = build(id="r", document_id="d", entities=tuple(ents), tokens=tuple(tokens), tags=tuple(tokens), source=source)
    plain = KBRecord(id="r", document_id="d", entities=ents, tokens=tokens, tags=tokens, source=source)
    assert fast == plain and attrs.asdict(fast) == attrs.asdict(plain)
    for e in ents:
        assert make_entity(e.id, e.type, e.text, e.offsets, e.normalized, e.attributes) == e


token = st.text(alphabet="abcXY-.", min_size=1, max_size=4)
tag = st.sampled_from(["O", "O", "B-Gene", "I-Gene", "B-Disease", "I-Disease", "B", "I"])


@st.composite
def conll_files(draw):
    sentences = []
    for _ in range(draw(st.integers(1, 5))):
        lines = []
        for _ in range(draw(st.integers(1, 6))):
            extra = draw(st.lists(st.sampled_from(["NN", "x"]), max_size=2))  # columns between token and tag
            sep = draw(st.sampled_from(["\t", " "]))
            lines.append(sep.join([draw(token), *extra, draw(tag)]))
        sentences.append("\n".join(lines))
    return "\n\n".join(sentences) + draw(st.sampled_from(["", "\n", "\n\n"]))


def summary(records):
    return [(r.tokens, r.tags, r.text, [(e.id, e.type, e.text, e.offsets) for e in r.entities]) for r in records]


@given(conll_files())
def test_conll_fast_path_reads_as_the_line_rules(tmp_path_factory, content):
    path = tmp_path_factory.mktemp("conll") / "x.conll"
    path.write_text(content)
    fast = run(read_conll, {"data": path}, {})
    general = run(read_conll, {"data": path}, {"encoding": "latin-1"})  # a layout option: every line by the rules
    assert summary(fast) == summary(general)
