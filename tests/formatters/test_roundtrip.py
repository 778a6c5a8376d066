"""Round-trip properties: the formatted output, parsed back with the metrics'
bracket parser, gives the annotations it was made from; and the output does
not depend on the order in which a reader listed the annotations."""

from __future__ import annotations

import random
import re
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from medinst_core.formatters import kb, text
from medinst_core.metrics.parsing import outer_brackets
from medinst_core.records import Coreference, Entity, Event, KBRecord, Normalization, Passage, Relation, TextRecord

from ._util import filled

SETTINGS = settings(max_examples=60, deadline=None)
TYPES = ["Gene", "Disease", "Chemical", "Cell type"]

# A document of distinct words "w0 w1 ... wN-1": a mention's text tells which words it covers.
N_WORDS = 12
WORDS = [f"w{i}" for i in range(N_WORDS)]
TEXT = " ".join(WORDS)
STARTS = [sum(len(w) + 1 for w in WORDS[:i]) for i in range(N_WORDS)]


coref, ee, ned, ner_bio, ner_entities, re_, text_classification = map(
    filled, (kb.coref, kb.ee, kb.ned, kb.ner_bio, kb.ner_entities, kb.re_, text.text_classification)
)


def span(i: int, j: int) -> tuple[int, int]:
    """Character offsets of words i..j (inclusive)."""
    return STARTS[i], STARTS[j] + len(WORDS[j])


def words_of(mention: str) -> list[int]:
    return [int(w[1:]) for w in mention.split()]


@st.composite
def word_ranges(draw, discontinuous=True):
    i = draw(st.integers(0, N_WORDS - 1))
    j = draw(st.integers(i, min(i + 3, N_WORDS - 1)))
    ranges = [(i, j)]
    if discontinuous and j + 2 < N_WORDS and draw(st.booleans()):
        k = draw(st.integers(j + 2, N_WORDS - 1))
        ranges.append((k, draw(st.integers(k, min(k + 2, N_WORDS - 1)))))
    return ranges


def make_entity(eid: str, type_: str, ranges, norms=()) -> Entity:
    offsets = [span(i, j) for i, j in ranges]
    return Entity(eid, type_, [TEXT[s:e] for s, e in offsets], offsets, [Normalization(*n) for n in norms])


def document(entities=(), **kw) -> KBRecord:
    return KBRecord(id="d", document_id="d", passages=[Passage("p", "abstract", TEXT, [(0, len(TEXT))])],
                    entities=entities, **kw)


def shuffled(items, seed):
    items = list(items)
    random.Random(seed).shuffle(items)
    return items


ANGLED = re.compile(r"<([^<>]*)>")


def parts(bracket: str) -> list[str]:
    """The <...> parts of a bracket, e.g. '<a> <rel> <b>' -> ['a', 'rel', 'b']."""
    found = ANGLED.findall(bracket)
    assert " ".join(f"<{p}>" for p in found) == bracket
    return found


def mention_and_tag(bracket: str) -> tuple[str, str]:
    mention, _, rest = bracket.partition(" <")
    assert rest.endswith(">")
    return mention, rest[:-1]


entity_lists = st.lists(st.tuples(word_ranges(), st.sampled_from(TYPES)), max_size=8)


@given(entity_lists, st.integers(0, 2**16))
@SETTINGS
def test_ner_entities_parse_back_in_text_order(specs, seed):
    entities = [make_entity(f"T{n}", t, r) for n, (r, t) in enumerate(specs)]
    [draft] = ner_entities(document(shuffled(entities, seed)), {})
    parsed = [mention_and_tag(b) for b in outer_brackets(draft.output)]
    expected = [(" ".join(" ".join(WORDS[i:j + 1]) for i, j in r), t) for r, t in specs]
    assert Counter(parsed) == Counter(expected)
    # text order: first word, then last word, then type
    keys = [(min(words_of(m)), max(words_of(m)), t) for m, t in parsed]
    assert keys == sorted(keys)
    # the same annotations listed in another order give the same output
    [again] = ner_entities(document(entities), {})
    assert again.output == draft.output


def merged(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Word ranges sharing a word merged into one."""
    out: list[list[int]] = []
    for i, j in sorted(ranges):
        if out and i <= out[-1][1]:
            out[-1][1] = max(out[-1][1], j)
        else:
            out.append([i, j])
    return [tuple(r) for r in out]


@given(st.lists(word_ranges(discontinuous=False), max_size=6), st.integers(0, 2**16))
@SETTINGS
def test_ner_bio_tags_decode_to_the_mentions(ranges, seed):
    entities = [make_entity(f"T{n}", "X", r) for n, r in enumerate(ranges)]
    [draft] = ner_bio(document(shuffled(entities, seed)), {"tokenizer": "whitespace"})
    pairs = re.findall(r"(\S+) \[([BIO])\]", draft.output)
    assert [w for w, _ in pairs] == WORDS and draft.input == TEXT
    decoded, current = [], None
    for n, (_, tag) in enumerate(pairs):
        if tag == "B":
            current = [n, n]
            decoded.append(current)
        elif tag == "I":
            assert current is not None, "I without B"
            current[1] = n
        else:
            current = None
    # overlapping mentions are merged into one span (documented); others come back as they were
    assert [tuple(r) for r in decoded] == merged([r[0] for r in ranges])


@given(st.lists(st.tuples(word_ranges(), st.lists(st.tuples(st.sampled_from(["MESH", "OMIM", "NCBIGene"]),
                                                              st.sampled_from(["D1", "D2", "603", "7157"])),
                                                    max_size=3)), max_size=6),
       st.sampled_from(["separate", "join"]))
@SETTINGS
def test_ned_parses_back_to_the_links(specs, multi):
    entities = [make_entity(f"T{n}", "X", r, norms) for n, (r, norms) in enumerate(specs)]
    [draft] = ned(document(entities), {"multi": multi})
    parsed = []
    for b in outer_brackets(draft.output):
        mention, ids = mention_and_tag(b)
        parsed.extend((mention, tuple(i.split("/"))) for i in ids.split("|"))
    expected = [(" ".join(" ".join(WORDS[i:j + 1]) for i, j in r), norm)
                for r, norms in specs for norm in dict.fromkeys(norms)]
    assert Counter(parsed) == Counter(expected)


@given(st.lists(st.integers(0, N_WORDS - 1), min_size=2, max_size=6, unique=True),
       st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.sampled_from(["binds", "part of", "Equal"])),
                max_size=8),
       st.integers(0, 2**16))
@SETTINGS
def test_re_parses_back_to_the_relations(positions, rels, seed):
    entities = [make_entity(f"T{p}", "X", [(p, p)]) for p in positions]
    relations = [Relation(f"R{n}", t, f"T{positions[a % len(positions)]}", f"T{positions[b % len(positions)]}")
                 for n, (a, b, t) in enumerate(rels)]
    options = {"symmetric": ["Equal"], "relations": {"binds": "binds", "part of": "is part of", "Equal": "equals"}}
    [draft] = re_(document(entities, relations=shuffled(relations, seed)), options)
    parsed = [tuple(parts(b)) for b in outer_brackets(draft.output)]
    expected = set()
    for rel in relations:
        a, b = WORDS[int(rel.arg1_id[1:])], WORDS[int(rel.arg2_id[1:])]
        if rel.type == "Equal":
            a, b = sorted((a, b), key=lambda w: int(w[1:]))
        expected.add((a, options["relations"][rel.type], b))
    assert len(parsed) == len(set(parsed)) and set(parsed) == expected
    [plain] = re_(document(entities, relations=relations), {**options, "angle_brackets": False})
    assert outer_brackets(plain.output) == [" ".join(p) for p in parsed]


@given(st.lists(st.tuples(st.integers(0, N_WORDS - 1), st.sampled_from(["Binding", "Regulation"]),
                          st.lists(st.integers(0, 9), max_size=3)), min_size=1, max_size=6))
@SETTINGS
def test_ee_parses_back_to_the_event_themes(specs):
    # entities on even words; event n has its trigger on word `trigger`; theme k < 5 is an entity, else event k-5
    entities = [make_entity(f"T{p}", "Protein", [(p, p)]) for p in range(0, N_WORDS, 2)]
    events = []
    for n, (trigger, type_, themes) in enumerate(specs):
        args = [{"role": "Theme", "ref_id": f"T{2 * k}" if k < 5 else f"E{(k - 5) % len(specs)}"} for k in themes]
        events.append(Event(f"E{n}", type_, [WORDS[trigger]], [span(trigger, trigger)], args))
    [draft] = ee(document(entities, events=events), {"no_theme": "trigger"})
    parsed = [tuple(parts(b)) for b in outer_brackets(draft.output)]
    expected = []
    for trigger, type_, themes in specs:
        shown = [WORDS[2 * k] if k < 5 else WORDS[specs[(k - 5) % len(specs)][0]] for k in themes]
        expected.extend((type_, WORDS[trigger], t) for t in shown) if shown else expected.append((type_, WORDS[trigger]))
    assert Counter(parsed) == Counter(expected)
    assert [int(p[1][1:]) for p in parsed] == sorted(int(p[1][1:]) for p in parsed)  # trigger text order


@given(st.lists(st.lists(st.integers(0, N_WORDS - 1), min_size=1, max_size=4), max_size=3), st.integers(0, 2**16))
@SETTINGS
def test_coref_samples_rebuild_each_chain(chains, seed):
    entities = [make_entity(f"T{p}", "X", [(p, p)]) for p in range(N_WORDS)]
    record = document(entities, coreferences=[Coreference(f"C{n}", shuffled([f"T{p}" for p in c], seed))
                                              for n, c in enumerate(chains)])
    drafts = list(coref(record, {"entity_prefix": "\nEntity: "}))
    assert len({d.key for d in drafts}) == len(drafts)
    for d in drafts:
        text, _, anchor = d.input.rpartition("\nEntity: ")
        assert text == TEXT and anchor == WORDS[int(d.key[1:])]
        others = outer_brackets(d.output)
        assert [int(w[1:]) for w in others] == sorted(int(w[1:]) for w in others)
        # the chain this anchor was taken from: the first one that holds it with another member
        chain = next(set(c) for c in chains if int(d.key[1:]) in c and len(set(c)) > 1)
        assert {anchor, *others} == {WORDS[p] for p in chain} and anchor not in others
    anchored = {int(d.key[1:]) for d in drafts}
    assert anchored == {p for c in chains if len(set(c)) > 1 for p in c}


labels = st.lists(st.sampled_from(["apoptosis", "angiogenesis", "invasion", "none of these", "Genome instability"]),
                  max_size=5)


@given(labels, st.sampled_from(["source", "alphabetical"]))
@SETTINGS
def test_multi_label_output_splits_back_to_the_labels(values, order):
    [draft] = text_classification(TextRecord(id="x", text="t", labels=values), {"order": order})
    back = draft.output.split(", ") if draft.output else []
    assert back == list(dict.fromkeys(back)) and set(back) == set(values)
    if order == "source":
        assert back == list(dict.fromkeys(values))
    else:
        assert back == sorted(back, key=str.lower)
