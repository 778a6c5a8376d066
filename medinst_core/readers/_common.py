"""Helpers shared by the built-in readers.

* :func:`iter_lines` -- line-numbered streaming of a UTF-8 text file (LF or
  CRLF, a missing final newline, a leading BOM), with undecodable bytes and
  unreadable files reported as :class:`SourceError`;
* :func:`read_text` -- a whole small file, exactly (no newline translation);
* :func:`read_bytes`, :func:`load_json` -- a whole file's bytes, a whole JSON
  file's value, with unreadable files and malformed JSON as :class:`SourceError`;
* :class:`OffsetChecker` -- the ``offset_check: "error" | "warn"`` option;
* :class:`IdSplitter` -- concept identifiers (``D001|D002``, ``OMIM:123``,
  tmVar ``p|SUB|V|600|E``) into :class:`Normalization` objects;
* :func:`expand_concept_relations` -- concept-level relations to mention pairs;
* :class:`UniqueIds` -- the ``duplicate_ids`` option;
* :data:`make_entity` -- an Entity from canonical values, without re-running converters.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import orjson

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import JOINED_ID_SEPARATORS, Entity, Normalization, Relation

OFFSET_MISMATCH = "offset_mismatch"


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------


def open_binary(path: str | os.PathLike):
    try:
        return open(path, "rb")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None


def open_text(path: str | os.PathLike):
    """``path`` opened for reading UTF-8 text, splitting lines on ``\\n`` only
    (a ``\\r`` stays in the line) and dropping a leading BOM."""
    try:
        return open(path, encoding="utf-8-sig", newline="\n")
    except OSError as exc:
        raise SourceError(path, None, f"cannot be opened: {exc.strerror or exc}") from None


def decoding_error(path) -> SourceError:
    """The SourceError for a file that is not UTF-8, naming the first bad line."""
    line, message = _first_undecodable_line(path)
    return SourceError(path, line, message)


def iter_lines(path: str | os.PathLike) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` for every line of a UTF-8 file, without its
    ``\\n`` / ``\\r\\n`` ending; a leading BOM is dropped.  Streams."""
    f = open_text(path)
    with f:
        lineno = 0
        try:
            for lineno, line in enumerate(f, 1):
                if line[-1:] == "\n":
                    line = line[:-2] if line[-2:] == "\r\n" else line[:-1]
                yield lineno, line
        except UnicodeDecodeError:
            raise decoding_error(path) from None
        except OSError as exc:
            raise SourceError(path, lineno or None, f"cannot be read: {exc.strerror or exc}") from None


def _first_undecodable_line(path) -> tuple[int | None, str]:
    """Where a file stops being UTF-8 (slow path, only after a decoding error)."""
    with open_binary(path) as f:
        for lineno, raw in enumerate(f, 1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                return lineno, f"is not valid UTF-8 ({exc.reason} at byte {exc.start} of the line)"
    return None, "is not valid UTF-8"


def read_bytes(path: str | os.PathLike) -> bytes:
    """The whole of a file; one that cannot be opened or read is a :class:`SourceError`."""
    f = open_binary(path)
    with f:
        try:
            return f.read()
        except OSError as exc:
            raise SourceError(path, None, f"cannot be read: {exc.strerror or exc}") from None


def load_json(path: str | os.PathLike, *, message: str = "invalid JSON ({error})") -> Any:
    """The JSON value of a whole file (orjson).  Malformed JSON raises a
    :class:`SourceError` naming the line where parsing stopped, saying
    ``message`` with ``{error}`` replaced by the parser's explanation."""
    data = read_bytes(path)
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        pos = getattr(exc, "pos", None)
        line = data.count(b"\n", 0, pos) + 1 if isinstance(pos, int) else None
        raise SourceError(path, line, message.format(error=exc)) from None


def read_text(path: str | os.PathLike, *, bom: bool = False) -> str:
    """The whole of a (small) UTF-8 file exactly as written: no newline
    translation, so character offsets into it are those of the file."""
    data = read_bytes(path)
    if bom and data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(path, line, f"is not valid UTF-8 ({exc.reason})") from None


# ---------------------------------------------------------------------------
# Fast construction of records' parts
# ---------------------------------------------------------------------------

_new = object.__new__


def _slot_setters(cls) -> list[tuple[str, Any]] | None:
    """``(field name, slot setter)`` of an attrs slots class, or None."""
    out = []
    for f in attrs.fields(cls):
        descriptor = cls.__dict__.get(f.name)
        if descriptor is None or not hasattr(descriptor, "__set__"):
            return None
        out.append((f.name, descriptor.__set__))
    return out


def fast_constructor(cls):
    """A constructor ``build(**fields)`` for an attrs record class that fills
    the slots directly, without running the converters again: the caller passes
    values that are already canonical (tuples of str, of ``(int, int)`` pairs,
    of Normalization / Entity / Relation objects, of ``(str, str)`` pairs),
    which the readers' tests check by comparing with ordinarily built records.
    Several times faster than the attrs ``__init__``; the hot readers use it.
    With ``MEDINST_CHECKED_RECORDS=1`` it is the ordinary constructor."""
    setters = _slot_setters(cls)
    if os.environ.get("MEDINST_CHECKED_RECORDS") == "1" or setters is None:
        return cls
    defaults: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if isinstance(f.default, attrs.Factory):  # pragma: no cover - the records use plain defaults
            return cls
        if f.default is not attrs.NOTHING:
            defaults[f.name] = f.default

    def build(**fields):
        obj = _new(cls)
        for name, put in setters:
            put(obj, fields[name] if name in fields else defaults[name])
        return obj

    build.__doc__ = f"Build a {cls.__name__} from canonical values (see fast_constructor)."
    return build


def _entity_maker():
    names = tuple(f.name for f in attrs.fields(Entity))
    setters = _slot_setters(Entity)
    if (
        names != ("id", "type", "text", "offsets", "normalized", "attributes")
        or setters is None
        or os.environ.get("MEDINST_CHECKED_RECORDS") == "1"
    ):
        def checked(id, type, text, offsets, normalized=(), attributes=()):  # noqa: A002
            return Entity(id=id, type=type, text=text, offsets=offsets, normalized=normalized, attributes=attributes)

        return checked
    s_id, s_type, s_text, s_offsets, s_norm, s_attr = (put for _, put in setters)

    def make(id, type, text, offsets, normalized=(), attributes=()):  # noqa: A002
        e = _new(Entity)
        s_id(e, id)
        s_type(e, type)
        s_text(e, text)
        s_offsets(e, offsets)
        s_norm(e, normalized)
        s_attr(e, attributes)
        return e

    return make


#: ``make_entity(id, type, text, offsets, normalized=(), attributes=())``: an
#: :class:`Entity` from canonical values, without converters (see
#: :func:`fast_constructor`).
make_entity = _entity_maker()


# ---------------------------------------------------------------------------
# Offset check
# ---------------------------------------------------------------------------


class OffsetChecker:
    """Applies the ``offset_check`` option: a mention whose annotated text is
    not the document text at its offsets is an error (``"error"``, default)
    or a counted ``offset_mismatch`` warning (``"warn"``)."""

    def __init__(self, options: Mapping[str, Any], diagnostics: Diagnostics):
        mode = options.get("offset_check", "error")
        if mode not in ("error", "warn"):
            raise ManifestError(None, "/source/options/offset_check", f"expected 'error' or 'warn', found {mode!r}")
        self.warn = mode == "warn"
        self.diagnostics = diagnostics

    def mismatch(self, path, line: int | None, doc_id: str, what: str, expected: str, found: str) -> None:
        """Report that ``what`` is annotated as ``expected`` but the text there is ``found``."""
        message = f"document {doc_id}: {what} is annotated as {expected!r} but the text at its offsets is {found!r}"
        if self.warn:
            where = f"{path}:{line}" if line is not None else str(path)
            self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {message}")
            return
        raise SourceError(path, line, message)

    def fragments(
        self,
        text: str,
        offsets: Sequence[tuple[int, int]],
        annotated: str,
        path,
        line: int | None,
        doc_id: str,
        what: str,
    ) -> tuple[str, ...]:
        """The text of each fragment; checks the fragments (joined by a space)
        against the annotated text.  Out-of-range offsets are a mismatch too.
        Returns the annotated text split into fragments when the check is
        only a warning and fails."""
        n = len(text)
        frags = []
        for s, e in offsets:
            if s < 0 or e < s or e > n:
                msg = f"document {doc_id}: {what} has offsets {s}-{e} outside the text (length {n})"
                if self.warn:
                    where = f"{path}:{line}" if line is not None else str(path)
                    self.diagnostics.warn(OFFSET_MISMATCH, f"{where}: {msg}")
                    return split_fragments(annotated, offsets)
                raise SourceError(path, line, msg)
            frags.append(text[s:e])
        found = frags[0] if len(frags) == 1 else " ".join(frags)
        if found != annotated:
            self.mismatch(path, line, doc_id, what, annotated, found)
            return split_fragments(annotated, offsets)
        return tuple(frags)


def split_fragments(annotated: str, offsets: Sequence[tuple[int, int]]) -> tuple[str, ...]:
    """Best effort split of an annotated text into one piece per fragment
    (used only when a mismatch was tolerated)."""
    if len(offsets) == 1:
        return (annotated,)
    pieces: list[str] = []
    pos = 0
    for i, (s, e) in enumerate(offsets):
        if i == len(offsets) - 1:
            pieces.append(annotated[pos:])
        else:
            pieces.append(annotated[pos : pos + max(e - s, 0)])
            pos += max(e - s, 0) + 1
    return tuple(pieces)


# ---------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------

# tmVar variant identifiers: <seq type>|<mutation type>|... e.g. p|SUB|V|600|E, c|DEL|1314_1328|,
# and the older joined form c|DEL888|C (mutation type and position in one field)
_TMVAR = re.compile(r"^[A-Za-z]?\|[A-Za-z]+[0-9_+\-*?]*\|")
_PREFIX = re.compile(r"^([A-Za-z][A-Za-z0-9_#\-]*):(.+)$", re.S)
DEFAULT_SEPARATORS = ("|", ",", ";", "+")
DEFAULT_NULL_IDS = ("-1", "-", "")


def _sep_pattern(seps: Sequence[str]) -> re.Pattern:
    return re.compile("|".join(re.escape(x) for x in seps) if seps else r"(?!x)x")


class IdSplitter:
    """Splits an identifier column into normalizations (see the PubTator
    reader's documentation for the options it reads)."""

    def __init__(self, options: Mapping[str, Any]):
        self.db_name = str(options.get("db_name", ""))
        self.db_names = dict(options.get("db_names") or {})
        self.separators = tuple(options.get("id_separators", DEFAULT_SEPARATORS))
        self.type_separators = {k: tuple(v) for k, v in (options.get("type_id_separators") or {}).items()}
        self.null_ids = frozenset(options.get("null_ids", DEFAULT_NULL_IDS))
        self.split_prefix = bool(options.get("split_id_prefix", True))
        self._seps_re = {
            None: _sep_pattern(self.separators),
            **{t: _sep_pattern(v) for t, v in self.type_separators.items()},
        }
        self._cache: dict[tuple[str, str], tuple[tuple[str, ...], tuple[Normalization, ...]]] = {}

    def parts(self, raw: str, etype: str) -> tuple[str, ...]:
        """The individual identifiers of a column value, as written."""
        return self.split(raw, etype)[0]

    def split(self, raw: str, etype: str) -> tuple[tuple[str, ...], tuple[Normalization, ...]]:
        """``(identifiers as written, normalizations)`` of a column value."""
        typed = etype in self.type_separators
        key = (raw, etype) if typed or etype in self.db_names else raw
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


# ---------------------------------------------------------------------------
# Document ids
# ---------------------------------------------------------------------------


class UniqueIds:
    """Applies ``duplicate_ids`` (``error`` | ``skip`` | ``suffix``) to document ids."""

    def __init__(self, options: Mapping[str, Any]):
        mode = options.get("duplicate_ids", "error")
        if mode not in ("error", "skip", "suffix"):
            raise ManifestError(
                None, "/source/options/duplicate_ids", f"expected 'error', 'skip' or 'suffix', found {mode!r}"
            )
        self.mode = mode
        self.seen: dict[str, int] = {}

    def take(self, doc_id: str, path, line: int | None) -> str | None:
        """The id to use, or ``None`` when the document is to be skipped."""
        n = self.seen.get(doc_id)
        if n is None:
            self.seen[doc_id] = 1
            return doc_id
        if self.mode == "error":
            raise SourceError(
                path, line, f"document id {doc_id!r} occurs twice in this split (option duplicate_ids: skip or suffix)"
            )
        if self.mode == "skip":
            return None
        while True:
            n += 1
            candidate = f"{doc_id}_{n}"
            if candidate not in self.seen:
                self.seen[doc_id] = n
                self.seen[candidate] = 1
                return candidate
