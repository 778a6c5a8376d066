"""Concept identifiers in annotation files:

* :class:`IdSplitter` -- an identifier column (``D001|D002``, ``OMIM:123``,
  tmVar ``p|SUB|V|600|E``) into :class:`Normalization` objects;
* :func:`expand_concept_relations` -- concept-level relations to mention pairs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..default_plugins.readers import _IDS
from ..options import with_defaults
from ..records import JOINED_ID_SEPARATORS, Entity, Normalization, Relation

# tmVar variant identifiers: <sequence type>|<mutation type>|<wild type>|<position>|<mutant>, the
# sequence type one lower-case letter (c, g, p, r, m) or none, the mutation type a capitalised word
# (SUB, DEL, INS, INDEL, DUP, FS, Allele...): p|SUB|V|600|E, c|DEL|1314_1328|, |INS|..., and the
# older joined form c|DEL888|C (mutation type and position in one field).  Other '|'-joined values
# (A|B|0, D001|D002) are several identifiers.
_TMVAR = re.compile(r"^[a-z]?\|[A-Z][A-Za-z]*[0-9_+\-*?]*\|")
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_#\-]*):(.+)$", re.S)
DEFAULT_SEPARATORS: tuple[str, ...] = tuple(_IDS["id_separators"]["default"])
DEFAULT_NULL_IDS: tuple[str, ...] = tuple(_IDS["null_ids"]["default"])


def _sep_pattern(seps: Sequence[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(x) for x in seps) if seps else r"(?!x)x")


class IdSplitter:
    """Splits an identifier column into normalizations (the options it reads
    are declared with their defaults in the PubTator and BioC readers'
    schemas, which share them)."""

    def __init__(self, options: Mapping[str, Any]):
        options = with_defaults({"properties": _IDS}, options)
        self.db_name = str(options["db_name"])
        self.db_names = dict(options["db_names"] or {})
        self.separators = tuple(options["id_separators"])
        self.type_separators = {k: tuple(v) for k, v in (options["type_id_separators"] or {}).items()}
        self.null_ids = frozenset(options["null_ids"])
        self.split_prefix = bool(options["split_id_prefix"])
        self._seps_re = {
            None: _sep_pattern(self.separators),
            **{t: _sep_pattern(v) for t, v in self.type_separators.items()},
        }
        self._cache: dict[Any, tuple[tuple[str, ...], tuple[Normalization, ...]]] = {}

    def parts(self, raw: str, etype: str) -> tuple[str, ...]:
        """The individual identifiers of a column value, as written."""
        return self.split(raw, etype)[0]

    def split(self, raw: str, etype: str) -> tuple[tuple[str, ...], tuple[Normalization, ...]]:
        """``(identifiers as written, normalizations)`` of a column value."""
        typed = etype in self.type_separators
        key: Any = (raw, etype) if typed or etype in self.db_names else raw
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        seps = self.type_separators[etype] if typed else self.separators
        raw = raw.strip()
        if not self._seps_re[etype if typed else None].search(raw):
            pieces = [raw]
        else:
            pieces = [raw]
            # split on every separator but '|' first, then on '|' unless tmVar
            for sep in seps:
                if sep != "|":
                    pieces = [q for p in pieces for q in p.split(sep)]
            if "|" in seps:
                pieces = [q for p in pieces for q in ((p,) if _TMVAR.match(p) else p.split("|"))]
        ids: list[str] = []
        norms: list[Normalization] = []
        default_db = self.db_names.get(etype, self.db_name)
        for p in pieces:
            p = p.strip()
            if p in self.null_ids or p in ids:
                continue
            ids.append(p)
            m = _PREFIX.match(p) if self.split_prefix and ":" in p else None
            if m:
                norms.append(Normalization(m.group(1), m.group(2)))
            else:
                norms.append(Normalization(default_db, p))
        result = (tuple(ids), tuple(norms))
        if len(self._cache) >= 50_000:  # corpora repeat identifiers; bound the memory anyway
            self._cache.clear()
        self._cache[key] = result
        return result


def expand_concept_relations(
    entities: Sequence[Entity], raw_ids: Sequence[Iterable[str]], concept_relations: Sequence[Relation]
) -> list[Relation]:
    """Mention-level relations: for each concept relation, every ordered pair
    of distinct mentions (in document order) whose identifiers, as written,
    include its first and its second concept id; ids ``<relation id>.<n>``."""
    if not concept_relations:
        return []
    keys = []
    for ids in raw_ids:
        key = set(ids)
        if len(key) > 1:
            # a relation may name a mention's identifiers the way the mention
            # line wrote them together, e.g. D017180|D014693
            key.update(sep.join(ids) for sep in JOINED_ID_SEPARATORS)
        keys.append(key)
    out: list[Relation] = []
    for rel in concept_relations:
        left = [i for i, k in enumerate(keys) if rel.arg1_id in k]
        right = [i for i, k in enumerate(keys) if rel.arg2_id in k]
        n = 0
        for i in left:
            for j in right:
                if i == j:
                    continue
                out.append(
                    Relation(
                        id=f"{rel.id}.{n}",
                        type=rel.type,
                        arg1_id=entities[i].id,
                        arg2_id=entities[j].id,
                        attributes=rel.attributes,
                    )
                )
                n += 1
    return out
