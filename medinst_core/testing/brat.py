"""An independent reading of BRAT / BioNLP shared-task standoff files, for the
tests of plugins whose corpus is distributed in that format.

A plugin built on the core ``brat`` reader is best checked against the
annotation files read a second way, by code that shares nothing with the
reader: this module does not import it.  Every name here is also importable
from :mod:`medinst_core.testing` (loaded on first use)::

    from medinst_core.testing import standoff_documents, assert_samples_match_standoff

    docs = standoff_documents(real / "BioNLP-ST-2011-GE" / "train", suffixes=(".a1", ".a2"))
    samples = task_samples(registry, "bionlp_st_2011_ge.ee", "train", real)
    assert_samples_match_standoff("ee", samples, docs)

Reading
-------
:func:`parse_standoff` reads the annotation files of one document (``<stem>.a1``,
``.a2``, ``.ann``, ``.rel``: those that exist, in that order) into a
:class:`Standoff` of plain named tuples, :func:`parse_standoff_text` the same
from a string, :func:`standoff_documents` every document of a folder.  Lines
understood: ``T`` (text-bound annotations, discontinuous spans too), ``E``
(events), ``R`` (relations), ``*`` (``Equiv`` chains), ``A``/``M``
(attributes), ``N`` (normalizations), ``#`` (notes); blank lines are skipped.
Any other line, or a line not of its kind's shape, raises
:class:`~medinst_core.errors.SourceError` naming the file and line.  An id
written twice (a ``.a2`` restating a ``.a1`` line) is one annotation, the
first; written twice with different content it is an error.

Expected samples
----------------
What the core ``kb`` formatters should make of a document, in MedINST's
manner, derived from the tuples alone: :func:`ner_brackets`,
:func:`re_brackets`, :func:`ee_brackets`, :func:`coref_anchors`;
:func:`count_documents` counts the documents for which one of them is not
empty; :func:`assert_samples_match_standoff` checks built samples against
them and :func:`assert_same_brackets` compares one output with its brackets
in any order.  A mention is shown as its text with the white space at its ends
removed.

Shared-task corpora
-------------------
:class:`SharedTaskChecks` is the part of the tests every BioNLP shared-task
plugin has alike: its bundled samples give exactly the outputs listed, only
NER has a test split (the test folders hold ``.a1`` files only), and its
tasks built from the real training folder match the annotation files read
independently, in number and content.

The module is long because it is a complete second reading of the format,
sharing no code with the core reader by design.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import SourceError

__all__ = [
    "STANDOFF_SUFFIXES", "Standoff", "TextBound", "Event", "Relation", "Equivalence", "Attribute", "Normalization",
    "Note", "parse_standoff", "parse_standoff_text", "standoff_documents", "count_documents", "ner_brackets",
    "re_brackets", "ee_brackets", "coref_anchors", "assert_same_brackets", "assert_samples_match_standoff",
    "textbound", "SharedTaskChecks",
]

#: the annotation files of a document, in the order they are read
STANDOFF_SUFFIXES = (".a1", ".a2", ".ann", ".rel")


class TextBound(NamedTuple):
    """``T1<TAB>Protein 0 5;9 14<TAB>text``: a text-bound annotation (an entity,
    or the trigger of an event)."""

    id: str
    type: str
    spans: tuple[tuple[int, int], ...]  # (start, end) per fragment, as written
    text: str  # as written after the second tab (without the line end)
    suffix: str  # the file it is written in: ".a1", ".a2", ".ann" ...

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


class Event(NamedTuple):
    """``E1<TAB>Binding:T3 Theme:T1 Theme2:T2``."""

    id: str
    type: str
    trigger: str  # a T id
    args: tuple[tuple[str, str], ...]  # (role, T or E id), in the order written


class Relation(NamedTuple):
    """``R1<TAB>Part-of Arg1:T1 Arg2:T2``."""

    id: str
    type: str
    args: tuple[tuple[str, str], tuple[str, str]]  # (role, id) twice

    @property
    def arg1(self) -> str:
        return self.args[0][1]

    @property
    def arg2(self) -> str:
        return self.args[1][1]


class Equivalence(NamedTuple):
    """``*<TAB>Equiv T1 T2 T3``: the ids as written (a repeated id is kept)."""

    type: str
    ids: tuple[str, ...]


class Attribute(NamedTuple):
    """``A1<TAB>Negation E1`` or ``M1<TAB>Speculation E2`` (``value`` None), ``A2<TAB>Level T1 High``."""

    id: str
    type: str
    target: str
    value: str | None


class Normalization(NamedTuple):
    """``N1<TAB>Reference T1 Wikipedia:534366<TAB>Barack Obama``."""

    id: str
    type: str
    target: str
    ref: str
    text: str


class Note(NamedTuple):
    """``#1<TAB>AnnotatorNotes T1<TAB>free text``."""

    id: str
    type: str
    target: str
    text: str


@dataclass
class Standoff:
    """The annotations of one document; dicts are keyed by id, in file order."""

    textbounds: dict[str, TextBound] = field(default_factory=dict)
    events: dict[str, Event] = field(default_factory=dict)
    relations: dict[str, Relation] = field(default_factory=dict)
    equivalences: list[Equivalence] = field(default_factory=list)
    attributes: dict[str, Attribute] = field(default_factory=dict)
    normalizations: dict[str, Normalization] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)

    def triggers(self) -> set[str]:
        """The T ids that are the trigger of an event."""
        return {event.trigger for event in self.events.values()}

    def entities(self, suffixes: Iterable[str] | None = None) -> dict[str, TextBound]:
        """The text-bound annotations that are not event triggers (only those of
        the files with these suffixes, when given)."""
        triggers = self.triggers()
        wanted = None if suffixes is None else set(suffixes)
        return {
            i: t for i, t in self.textbounds.items() if i not in triggers and (wanted is None or t.suffix in wanted)
        }


# -- reading -------------------------------------------------------------------


def _ref(part: str, path: str, n: int, what: str) -> tuple[str, str]:
    role, sep, ref = part.partition(":")
    if not sep or not role or not ref:
        raise SourceError(path, n, f"{what}: expected ROLE:ID, found {part!r}")
    return role, ref


def _textbound(ident: str, body: str, suffix: str, path: str, n: int) -> TextBound:
    head, sep, text = body.partition("\t")
    typ, _, offsets = head.partition(" ")
    spans: list[tuple[int, int]] = []
    for piece in offsets.split(";") if sep else ():
        numbers = piece.split()
        if len(numbers) != 2 or not all(x.isdigit() for x in numbers) or int(numbers[0]) > int(numbers[1]):
            spans = []
            break
        spans.append((int(numbers[0]), int(numbers[1])))
    if not typ or not spans:
        raise SourceError(
            path, n, f"{ident}: expected 'TYPE START END[;START END...]<TAB>text', found {body.rstrip()!r}"
        )
    return TextBound(ident, typ, tuple(spans), text, suffix)


def _add(table: dict, item: Any, path: str, n: int, same: Callable[[Any], Any] = lambda x: x) -> None:
    first = table.setdefault(item.id, item)
    if first is not item and same(first) != same(item):
        raise SourceError(path, n, f"{item.id} is written again with other content: {item} after {first}")


def _parse_line(doc: Standoff, line: str, suffix: str, path: str, n: int) -> None:
    ident, sep, body = line.partition("\t")
    kind = ident[:1]
    if not sep or kind not in "TERAMN*#" or not kind:
        raise SourceError(path, n, f"expected an annotation line (T, E, R, *, A, M, N or # id, a tab, ...), found {line!r}")
    if kind == "T":
        _add(doc.textbounds, _textbound(ident, body, suffix, path, n), path, n, same=lambda t: t[:4])
        return
    if kind == "#":
        head, _, text = body.partition("\t")
        parts = head.split()
        if len(parts) != 2:
            raise SourceError(path, n, f"{ident}: expected 'TYPE TARGET<TAB>text', found {body!r}")
        _add(doc.notes, Note(ident, parts[0], parts[1], text), path, n)
        return
    if kind == "N":
        head, _, text = body.partition("\t")
        parts = head.split()
        if len(parts) != 3:
            raise SourceError(path, n, f"{ident}: expected 'TYPE TARGET DB:ID<TAB>text', found {body!r}")
        _add(doc.normalizations, Normalization(ident, parts[0], parts[1], parts[2], text), path, n)
        return
    parts = body.split()
    if kind == "E":
        typ, colon, trigger = parts[0].partition(":") if parts else ("", "", "")
        if not colon or not typ or not trigger:
            raise SourceError(path, n, f"{ident}: expected 'TYPE:TRIGGER [ROLE:ID ...]', found {body.rstrip()!r}")
        args = tuple(_ref(p, path, n, ident) for p in parts[1:])
        _add(doc.events, Event(ident, typ, trigger, args), path, n)
    elif kind == "R":
        if len(parts) != 3:
            raise SourceError(path, n, f"{ident}: expected 'TYPE ROLE:ID ROLE:ID', found {body.rstrip()!r}")
        args = (_ref(parts[1], path, n, ident), _ref(parts[2], path, n, ident))
        _add(doc.relations, Relation(ident, parts[0], args), path, n)
    elif kind == "*":
        if len(parts) < 2:
            raise SourceError(path, n, f"expected 'Equiv ID ID...', found {body.rstrip()!r}")
        doc.equivalences.append(Equivalence(parts[0], tuple(parts[1:])))
    else:  # A, M
        if len(parts) not in (2, 3):
            raise SourceError(path, n, f"{ident}: expected 'TYPE TARGET [VALUE]', found {body.rstrip()!r}")
        _add(doc.attributes, Attribute(ident, parts[0], parts[1], parts[2] if len(parts) == 3 else None), path, n)


def parse_standoff_text(
    text: str, suffix: str = ".ann", *, path: str | Path = "<text>", into: Standoff | None = None
) -> Standoff:
    """The annotations written in ``text`` (the content of one ``.a1``/``.a2``/
    ``.ann`` file; ``suffix`` is recorded on its T lines, ``path`` named in
    errors), added to ``into`` when given."""
    doc = into if into is not None else Standoff()
    where = str(path)
    for n, line in enumerate(text.split("\n"), 1):
        line = line.rstrip("\r")
        if line.strip():
            _parse_line(doc, line, suffix, where, n)
    return doc


def parse_standoff(stem: str | Path, suffixes: Sequence[str] = STANDOFF_SUFFIXES, *, missing_ok: bool = False) -> Standoff:
    """The annotations of one document: the files ``<stem><suffix>`` that exist,
    read in the order of ``suffixes``.  When none exists: FileNotFoundError,
    or an empty :class:`Standoff` with ``missing_ok``."""
    stem = Path(stem)
    doc = Standoff()
    found = False
    for suffix in suffixes:
        path = stem.parent / (stem.name + suffix)
        if path.is_file():
            found = True
            parse_standoff_text(path.read_text(encoding="utf-8"), suffix, path=path, into=doc)
    if not found and not missing_ok:
        raise FileNotFoundError(f"no annotation file {stem}{{{','.join(suffixes)}}}")
    return doc


def standoff_documents(
    folder: str | Path,
    suffixes: Sequence[str] = STANDOFF_SUFFIXES,
    *,
    text_suffix: str = ".txt",
    missing_ok: bool = False,
) -> dict[str, Standoff]:
    """Every document directly inside ``folder`` (one per text file), parsed:
    stem -> :class:`Standoff`, in name order."""
    texts = sorted(Path(folder).glob(f"*{text_suffix}"))
    return {
        p.name[: -len(text_suffix)]: parse_standoff(p.parent / p.name[: -len(text_suffix)], suffixes, missing_ok=missing_ok)
        for p in texts
    }


# -- expected samples --------------------------------------------------------------


def _mention(t: TextBound) -> str:
    return t.text.strip()


def _text_order(t: TextBound) -> tuple:
    return (t.start, t.end, t.type, t.id)


def ner_brackets(doc: Standoff, suffixes: Iterable[str] | None = None) -> list[str]:
    """``[mention <Type>]`` per entity (of the files with these suffixes, when
    given: ``(".a1",)`` for the given entities of a BioNLP task), in text order
    (start, end, type, id)."""
    return [f"[{_mention(t)} <{t.type}>]" for t in sorted(doc.entities(suffixes).values(), key=_text_order)]


def re_brackets(doc: Standoff) -> list[str]:
    """``[<arg1> <Type> <arg2>]`` per relation between two entities (a relation
    naming an event is left out), once per case-insensitive reading, in file
    order."""
    entity = {i: _mention(t) for i, t in doc.entities().items()}
    found: dict[tuple[str, str, str], str] = {}
    for rel in doc.relations.values():
        if rel.arg1 in entity and rel.arg2 in entity:
            a, b = entity[rel.arg1], entity[rel.arg2]
            found.setdefault((a.lower(), rel.type, b.lower()), f"[<{a}> <{rel.type}> <{b}>]")
    return list(found.values())


def ee_brackets(doc: Standoff, *, event_themes: str = "skip", theme_roles: str = r"Theme\d*") -> list[str]:
    """``[<Type> <trigger> <theme>]`` per event and theme argument (a role
    matching ``theme_roles``: ``Theme``, ``Theme2``...), in file order.  A theme
    that is an event is left out (``event_themes="skip"``, MedINST's EE sets) or
    shown by its trigger (``"trigger"``)."""
    if event_themes not in ("skip", "trigger"):
        raise ValueError(f"event_themes: expected 'skip' or 'trigger', not {event_themes!r}")
    entity = {i: _mention(t) for i, t in doc.entities().items()}
    out = []
    for event in doc.events.values():
        for role, ref in event.args:
            if not re.fullmatch(theme_roles, role):
                continue
            if ref in entity:
                theme = entity[ref]
            elif event_themes == "trigger" and ref in doc.events:
                theme = _mention(doc.textbounds[doc.events[ref].trigger])
            else:
                continue
            out.append(f"[<{event.type}> <{_mention(doc.textbounds[event.trigger])}> <{theme}>]")
    return out


def coref_anchors(doc: Standoff, *, anchors: str = "first") -> list[tuple[str, tuple[str, ...]]]:
    """``(anchor id, other mention ids in text order)`` per sample a coreference
    task should make: for each ``Equiv`` chain with two or more distinct
    entities, one on its first mention in text order (``anchors="first"``,
    MedINST's COREF sets) or one on each (``"each"``).  Chains in file order;
    an id anchoring two chains is listed twice."""
    if anchors not in ("first", "each"):
        raise ValueError(f"anchors: expected 'first' or 'each', not {anchors!r}")
    entity = doc.entities()
    out = []
    for chain in doc.equivalences:
        members = sorted({entity[i] for i in chain.ids if i in entity}, key=_text_order)
        if len(members) < 2:
            continue
        for anchor in members[:1] if anchors == "first" else members:
            out.append((anchor.id, tuple(m.id for m in members if m.id != anchor.id)))
    return out


def count_documents(docs: Mapping[str, Standoff] | Iterable[Standoff], what: Callable[[Standoff], Any] | None = None) -> int:
    """How many documents ``what(doc)`` is not empty (or true) for; by default,
    the documents with an entity.  ``count_documents(docs, ee_brackets)`` is the
    number of samples an EE task dropping empty outputs makes."""
    values = docs.values() if isinstance(docs, Mapping) else docs
    what = what or Standoff.entities
    return sum(1 for doc in values if what(doc))


def assert_same_brackets(output: str, items: Sequence[str], where: str = "") -> None:
    """``output`` is the brackets ``items`` joined by spaces, in any order."""
    joined = " ".join(items)
    assert len(output) == len(joined), f"{where}: {output!r} is not made of {list(items)!r}"
    for item, count in Counter(items).items():
        assert output.count(item) >= count, f"{where}: {output!r} lacks {item!r} (x{count})"


def _key(sample: Mapping[str, Any]) -> str:
    return sample["id"].split(":", 2)[2]


def assert_samples_match_standoff(
    kind: str,
    samples: Iterable[Mapping[str, Any]],
    docs: Mapping[str, Standoff],
    *,
    ner_suffixes: Iterable[str] | None = None,
    event_themes: str = "skip",
    anchors: str = "first",
    entity_prefix: str = "\nEntity: ",
) -> None:
    """Assert that ``samples`` (one task split, ``kind`` ``"ner"``, ``"re"``,
    ``"ee"`` or ``"coref"``) are exactly those ``docs`` (stem -> Standoff, as
    :func:`standoff_documents` gives) call for, empty outputs dropped:

    - ner/re/ee: one sample per document with a bracket, keyed by its stem; a
      NER output is its brackets in text order, an RE/EE output its brackets
      in any order;
    - coref: one sample per anchor (:func:`coref_anchors`), keyed
      ``stem:anchor``; the input ends with ``entity_prefix`` and the anchor
      mention, the output holds the other mentions' ``[mention]`` in any
      order; no mention may anchor two chains.
    """
    samples = list(samples)
    keys = sorted(_key(s) for s in samples)
    got = {_key(s): s for s in samples}
    if kind == "coref":
        wanted: dict[str, tuple[str, list[str]]] = {}
        for name, doc in docs.items():
            for anchor, others in coref_anchors(doc, anchors=anchors):
                key = f"{name}:{anchor}"
                assert key not in wanted, f"{key} anchors two chains"
                wanted[key] = (_mention(doc.textbounds[anchor]), [f"[{_mention(doc.textbounds[m])}]" for m in others])
        assert keys == sorted(wanted), _difference(keys, wanted)
        for key, sample in got.items():
            anchor, items = wanted[key]
            assert sample["input"].endswith(entity_prefix + anchor), f"{key}: input does not end with {anchor!r}"
            assert_same_brackets(sample["output"], items, key)
        return
    builders: dict[str, Callable[[Standoff], list[str]]] = {
        "ner": lambda doc: ner_brackets(doc, ner_suffixes),
        "re": re_brackets,
        "ee": lambda doc: ee_brackets(doc, event_themes=event_themes),
    }
    if kind not in builders:
        raise ValueError(f"kind: expected 'ner', 're', 'ee' or 'coref', not {kind!r}")
    expected = {name: builders[kind](doc) for name, doc in docs.items()}
    expected = {name: items for name, items in expected.items() if items}
    assert keys == sorted(expected), _difference(keys, expected)
    for key, sample in got.items():
        if kind == "ner":
            assert sample["output"] == " ".join(expected[key]), f"{key}: {sample['output']!r} != {expected[key]!r}"
        else:
            assert_same_brackets(sample["output"], expected[key], key)


def _difference(keys: Sequence[str], wanted: Mapping[str, Any]) -> str:
    extra, missing = sorted(set(keys) - set(wanted)), sorted(set(wanted) - set(keys))
    repeated = sorted(k for k, n in Counter(keys).items() if n > 1)
    return f"samples not called for: {extra[:10]}; missing: {missing[:10]}; repeated: {repeated[:10]}"


def textbound(text: str, ident: str, etype: str, mention: str | Sequence[tuple[str, str]], before: str = "") -> str:
    """A ``T`` line for ``mention``, found in ``text`` right after ``before``
    (for a test's hand-written annotation files).  A discontinuous mention is
    a list of ``(fragment, text right before it)`` pairs, in the order the
    line lists them."""
    fragments = [(mention, before)] if isinstance(mention, str) else list(mention)
    spans = []
    for fragment, prefix in fragments:
        start = text.index(prefix + fragment) + len(prefix)
        spans.append(f"{start} {start + len(fragment)}")
    return f"{ident}\t{etype} {';'.join(spans)}\t{' '.join(f for f, _ in fragments)}\n"


class SharedTaskChecks:
    """Subclass in the tests of a BioNLP shared-task plugin, set the class
    attributes, and give the module a ``registry`` fixture
    (``registry = plugin_registry_fixture(PLUGIN)``)::

        class TestSharedTask(SharedTaskChecks):
            plugin = "medinst_bionlp_st_2009"
            tasks = ("bionlp_st_2009.ner", "bionlp_st_2009.ee", "bionlp_st_2009.coref")
            real_train = "BioNLP-ST-2009/original-data/train"   # below the real-data folder
            real_counts = {"ner": 756, "ee": 695, "coref": 536}
            bundled = {"bionlp_st_2009.ner:train": {"PMID-1": "[p53 <Protein>]"}}
    """

    plugin: str
    tasks: tuple[str, ...] = ()
    #: the real training folder, relative to the real-data folder
    real_train: str = ""
    #: the file next to ``.a1`` holding events, relations and coreference
    gold: str = ".a2"
    #: training samples the build makes of the real files, per task kind ("ner", "ee"...)
    real_counts: Mapping[str, int] = {}
    #: "task:split" -> {sample key: output} of the bundled samples, every sample listed
    bundled: Mapping[str, Mapping[str, str]] = {}

    def pytest_generate_tests(self, metafunc) -> None:
        if "bundled_split" in metafunc.fixturenames:
            metafunc.parametrize("bundled_split", sorted(self.bundled))
        if "task_id" in metafunc.fixturenames:
            metafunc.parametrize("task_id", self.tasks)

    def test_bundled_splits(self, registry, bundled_split) -> None:
        from .kit import sample_outputs, task_samples

        task_id, split = bundled_split.split(":")
        samples = task_samples(registry, task_id, split, registry.tasks[task_id].bundled)
        assert sample_outputs(samples) == self.bundled[bundled_split]

    def test_splits_without_gold_files(self, registry) -> None:
        for task_id in self.tasks:
            splits = registry.tasks[task_id].manifest["source"]["splits"]
            if not task_id.endswith(".ner"):  # the test folders hold .a1 files only
                assert "test" not in splits

    def test_real_train(self, registry, medinst_real_data, task_id) -> None:
        from .kit import require_path, task_samples

        task = task_id.split(".")[1]
        docs = standoff_documents(require_path(medinst_real_data / self.real_train), (".a1", self.gold))
        samples = task_samples(registry, task_id, "train", medinst_real_data)
        assert len(samples) == self.real_counts[task]
        # every sample is what the annotation lines call for: NER the .a1 entities, EE the events'
        # entity themes, COREF one sample per Equiv chain, anchored on its first mention in text order
        assert_samples_match_standoff(task, samples, docs, ner_suffixes=(".a1",))
        medinst = registry.tasks[task_id].manifest["medinst"]["counts"]["train"]
        if task == "coref":  # MedINST counts the Equiv chains
            assert sum(len(doc.equivalences) for doc in docs.values()) == medinst
        elif task != "re":  # documents with an .a1 entity (NER), with an event whose theme is an entity (EE)
            assert len(samples) == medinst
