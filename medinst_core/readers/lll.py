"""Reader ``lll``: the data files of the LLL'05 genic interaction challenge
(Learning Language in Logic, task 2: ``genic_interaction_linguistic_data.txt``,
``genic_interaction_linguistic_data_coref.txt``, ``enriched_test_data.txt``).

Format
------
One block of lines per sentence, blocks separated by blank lines; a line
starting with ``%`` is a comment.  Each line is a key, a tab and tab-separated
Prolog-style atoms::

    ID	11069677-3
    sentence	GerE stimulates cotD transcription.
    words	word(W0,'GerE',0,3)	word(W1,'stimulates',5,14)	word(W2,'cotD',16,19)	...
    agents	agent(W0)
    targets	target(W2)
    genic_interactions	genic_interaction(W0,W2)
    lemmas	lemma(W0,'gere')	...
    syntactic_relations	relation('subj:V_N',W1,W0)	...

Word offsets are character positions of the word's first and last character
(end inclusive).

Records
-------
One :class:`~medinst_core.records.KBRecord` per block: ``id`` and
``document_id`` the ``ID``; one passage (type ``sentence``) holding the
sentence.  Entities: one ``agent`` per ``agent(W)`` and one ``target`` per
``target(W)``, at the word's offsets (a word that is both gives two entities,
ids ``agent-W`` / ``target-W``); relations: one ``genic_interaction`` per
``genic_interaction(A,T)`` from ``agent-A`` to ``target-T``.  Lemmas and
syntactic relations are not kept.  A block without agents, targets or
interactions (the test file) gives a record without them.

Options
-------
``offset_check`` (``"error"`` | ``"warn"``, ``"error"``)
    a word whose text differs from the sentence at its offsets.
``relation_type`` (str, ``"genic_interaction"``)
    the type of the relations.

Errors
------
A line without a tab, an unknown key, a malformed atom, a word, agent or
target naming an unknown word, an interaction whose agent or target is not
declared as one, a block without ``ID`` or ``sentence`` raise
:class:`~medinst_core.errors.SourceError` with file and line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import Entity, KBRecord, Passage, Relation
from ..sources import SourceFiles
from .checks import OffsetChecker
from .files import iter_lines

_ATOM = re.compile(r"^(\w+)\((.*)\)$", re.S)
_WORD = re.compile(r"^\s*([^,\s]+)\s*,\s*'(.*)'\s*,\s*(\d+)\s*,\s*(\d+)\s*$", re.S)
_KEYS = {"ID", "sentence", "words", "agents", "targets", "genic_interactions", "lemmas", "syntactic_relations"}
_ATOMS = {"words": "word", "agents": "agent", "targets": "target", "genic_interactions": "genic_interaction"}


def read_lll(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[KBRecord]:
    """The sentences of every ``data`` file (see the module documentation)."""
    checker = OffsetChecker(options, diagnostics)
    rtype = options.get("relation_type", "genic_interaction")
    if not isinstance(rtype, str) or not rtype:
        raise ManifestError(None, "/source/options/relation_type", f"expected a non-empty string, found {rtype!r}")
    for path in files.all("data"):
        block: list[tuple[int, str]] = []
        for lineno, line in iter_lines(path):
            if line.startswith("%"):
                continue
            if line.strip():
                block.append((lineno, line.rstrip("\r")))
            elif block:
                yield _record(block, path, checker, rtype)
                block = []
        if block:
            yield _record(block, path, checker, rtype)


def _atoms(value: str, name: str, path, lineno: int) -> list[str]:
    out = []
    for atom in value.split("\t"):
        atom = atom.strip()
        if not atom:
            continue
        m = _ATOM.match(atom)
        if not m or m.group(1) != name:
            raise SourceError(path, lineno, f"expected {name}(...) atoms separated by tabs, found {atom!r}")
        out.append(m.group(2))
    return out


# complexity above the limit: written on the dataset branches before the complexity limit; to be split into steps
def _record(block: list[tuple[int, str]], path, checker: OffsetChecker, rtype: str) -> KBRecord:  # noqa: C901
    fields: dict[str, tuple[int, str]] = {}
    for lineno, line in block:
        key, sep, value = line.partition("\t")
        key = key.strip()
        if not sep or key not in _KEYS:
            raise SourceError(path, lineno, f"expected a line 'key<TAB>value' with a key among {sorted(_KEYS)}, "
                              f"found {line[:40]!r}")
        if key in fields:
            raise SourceError(path, lineno, f"a second {key!r} line in the block of line {block[0][0]}")
        fields[key] = (lineno, value)
    for key in ("ID", "sentence"):
        if key not in fields:
            raise SourceError(path, block[0][0], f"the block starting here has no {key!r} line")
    doc_id = fields["ID"][1].strip()
    text = fields["sentence"][1]

    words: dict[str, tuple[int, int, str]] = {}
    if "words" in fields:
        lineno, value = fields["words"]
        for args in _atoms(value, "word", path, lineno):
            m = _WORD.match(args)
            if not m:
                raise SourceError(path, lineno, f"expected word(id,'text',start,end), found word({args})")
            wid, wtext, start, end = m.group(1), m.group(2), int(m.group(3)), int(m.group(4)) + 1
            words[wid] = (start, end, wtext)

    def word(wid: str, key: str) -> tuple[int, int, str]:
        if wid not in words:
            raise SourceError(path, fields[key][0], f"sentence {doc_id}: {key} names word {wid!r}, which is not among its words")
        return words[wid]

    entities: list[Entity] = []
    declared: dict[str, set[str]] = {"agent": set(), "target": set()}
    for key, role in (("agents", "agent"), ("targets", "target")):
        if key not in fields:
            continue
        lineno, value = fields[key]
        for wid in _atoms(value, role, path, lineno):
            wid = wid.strip()
            if wid in declared[role]:
                continue
            declared[role].add(wid)
            start, end, wtext = word(wid, key)
            fragments = checker.fragments(text, ((start, end),), wtext, path, fields["words"][0], doc_id, f"word {wid}")
            entities.append(Entity(id=f"{role}-{wid}", type=role, text=fragments, offsets=((start, end),)))

    relations: list[Relation] = []
    if "genic_interactions" in fields:
        lineno, value = fields["genic_interactions"]
        for k, args in enumerate(_atoms(value, "genic_interaction", path, lineno), 1):
            parts = [a.strip() for a in args.split(",")]
            if len(parts) != 2:
                raise SourceError(path, lineno, f"expected genic_interaction(agent,target), found genic_interaction({args})")
            agent, target = parts
            for wid, role in ((agent, "agent"), (target, "target")):
                if wid not in declared[role]:
                    raise SourceError(path, lineno, f"sentence {doc_id}: genic_interaction({args}) names {wid!r}, "
                                      f"which is not declared as {role}({wid})")
            relations.append(Relation(id=f"R{k}", type=rtype, arg1_id=f"agent-{agent}", arg2_id=f"target-{target}"))

    return KBRecord(
        id=doc_id,
        document_id=doc_id,
        passages=(Passage(id="P0", type="sentence", text=text, offsets=((0, len(text)),)),),
        entities=entities,
        relations=relations,
        source=f"{path}:{block[0][0]}",
    )
