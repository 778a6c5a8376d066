r"""Tabular and JSON readers (``json``, ``jsonl``, ``csv``, ``tsv``) with a declarative field mapping.

These readers turn rows or JSON objects into ``qa``, ``te``, ``pairs``,
``text`` or ``t2t`` records (``record`` option) by a mapping declared in the
manifest (``fields``), so that most question-answering, entailment,
classification, similarity and summarisation datasets need no Python.

Where items come from
---------------------
``jsonl``  every non-blank line is one item (streamed).
``csv``    every row is one item (streamed, Python ``csv`` dialect); with
           ``header`` (default) the item is an object keyed by the header
           names (or by ``columns``, which renames them), otherwise a list
           (paths ``"0"``, ``"1"``...) unless ``columns`` names them.
           ``delimiter`` overrides ``,``; ``quoting: "none"`` reads quote
           characters literally.
``tsv``    as ``csv`` with a tab delimiter and ``quoting: "none"`` by default.
``json``   ``items`` is the path of the collection of items (default: the
           document itself).  A list gives its elements; an object gives its
           values, each with its key as ``$key`` (PubMedQA's
           ``ori_pqal.json`` keyed by PMID).  A document that is an array or
           an object, with ``items`` unset, is streamed: it is cut into its
           elements (or entries) without being parsed, orjson parses one at a
           time, and memory holds about one item whatever the size of the
           file; ``$line`` is the line where the item starts (an entry's
           key).  The records are those of a whole parse, except that a key
           repeated in an object is an error (a whole parse silently keeps
           its last value).  Otherwise -- ``items`` set, or a mapping that
           mentions ``$root`` -- the file is parsed whole (orjson; memory use
           is several times the size of the file).

Every format reads gzip-compressed files (``train.json.gz``; a file is
decompressed when it starts with the gzip magic bytes) the way it reads the
plain ones, streaming.  Corrupt or truncated gzip data is an error naming the
file (and the line being read when the data broke off).

Paths
-----
A path walks into the current item: ``body``, ``snippets.0.text``,
``options.A``.  Segments are object keys, or list indices (``0``, ``-1``);
``*`` takes every element of a list or every value of an object (giving a
list, nulls dropped); ``{path}`` is a key computed from another path
(``evidence.{$doc_id}.0.label``).  Paths starting with ``$`` name values
other than the item:

``$key``          the item's key when the items are an object's values
``$index``        the 0-based position of the item in its file
``$line``         the line number of the item (``jsonl``, ``csv``, ``tsv``,
                  streamed ``json``)
``$root``         the whole document (``json``; using it parses the file whole)
``$file``         the name of the item's file (``UMNSRS_similarity.csv``), for
                  a split read from several files
``$role``         the role of the item's file (option ``roles``)
``$<name>``       an exploded element or a joined item (see below), with
                  ``$<name>_key`` (its key, or list index) and
                  ``$<name>_index`` (its position)

e.g. ``$s.text`` is the ``text`` of the exploded element named ``s``.  A
path that does not resolve (missing key, index out of range, null) is
*missing*.

Field specs
-----------
``fields`` maps record fields to specs.  A spec is a path string, or an
object with one source -- ``path``, ``paths`` (several paths, concatenated
into one list), ``const`` (a literal value) or ``template`` (a string with
``{path}`` placeholders, ``{{``/``}}`` for braces) -- and optional transforms,
applied in this order:

``keys`` / ``values``  an object -> the list of its keys / values
``pick``               a list -> the elements at the indices found at path ``pick``
``flatten``            a list of lists -> one list
``split``              a string -> a list (``maxsplit`` limits the splits)
``index``              a list -> one element (an int, or a path giving one)
``regex``              keep the first group (or the whole match) of a search;
                       no match is missing (``regex_flags``: ``i``, ``m``, ``s``)
``strip``, ``lower``   string clean-up
``map``                replace values by a table; an unmapped value is an
                       error unless ``map_missing`` is ``"keep"`` or ``"drop"``
``type``               ``"str"``, ``"int"``, ``"float"`` or ``"bool"``
``reduce``             a list -> ``mean``, ``sum``, ``min``, ``max``,
                       ``first`` or ``count``
``join``               a list -> a string joined by this separator
``list``               a single value -> a one-element list (missing -> ``[]``)
``default``            the value when the result is missing

``regex``, ``strip``, ``lower``, ``map`` and ``type`` apply to each element
of a list.  A missing value stays missing through every transform.

Record fields (a missing required field is an error naming the file, the
line or item, and the field):

``qa``     ``question``, ``type`` (required); ``context``, ``question_id``,
           ``document_id``, ``choices``, ``choice_labels``, ``answers``,
           ``answer_synonyms`` (a list of lists)
``te``     ``premise``, ``hypothesis``, ``label`` (required)
``pairs``  ``text_1``, ``text_2`` (required); ``label``, ``score`` (a number),
           ``document_id``
``text``   ``text`` (required); ``labels``, ``document_id``
``t2t``    ``text_1``, ``text_2`` (required); ``text_1_lang``,
           ``text_2_lang``, ``text_1_name``, ``text_2_name``, ``document_id``

every kind: ``id``.  By default the id is ``$key`` (object items) or the
item's position over all files of the split (``$index`` when there is one
file), followed by ``_<n>`` for the element position of each explode level.
Declared ids and object keys must be unique in a split (``unique_ids``,
default on, remembers every id; switch it off for very large files whose ids
are known to be unique); positional ids are unique by construction.
String fields accept numbers (converted) but not lists (use ``join``); list
fields accept a single value.

Explode, join, where (applied in this order to each item)
---------------------------------------------------------
``explode``  one record per element of a list (or entry of an object): a path,
             ``{"path": ..., "as": name}`` (default name ``item``), or a
             list of levels for nested lists (a later level may explode
             ``$<earlier name>``).  An item whose list is missing or empty
             gives no record.
``join``     ``{"role": "corpus", "key": "doc_id", "on": "$doc_id", "as":
             "doc", "how": "required"}`` (or a list of joins): the file(s) of
             the role (format from ``format`` or the file suffix; JSON files
             may give ``items``) are loaded once into a table keyed by the
             path ``key`` of each of their items (an object document without
             ``key``: by its keys); the value at path ``on`` (compared as a
             string) selects the joined item, bound to ``$<as>`` (default: the
             role name).  ``how``: ``required`` (no match is an error),
             ``inner`` (no match: no record), ``left`` (no match: null),
             ``anti`` (keep only items with no match).
``where``    conditions every record must meet: ``{"type": "yesno"}``
             (path -> value, or -> list of allowed values), or a list of ``{"path": p, "equals": v}``,
             ``{"path": p, "in": [...]}``, ``{"path": p, "not_in": [...]}``,
             ``{"path": p, "exists": bool}``, ``{"path": p, "nonempty": bool}``.

Options
-------
``record`` (required)
    ``"qa"``, ``"te"``, ``"pairs"``, ``"text"`` or ``"t2t"``.
``fields`` (required)
    record field -> spec (above).
``items`` (``json`` only, path, ``""``)
    set: the document is parsed whole (see above).
``explode``, ``join``, ``where``
    as above.
``unique_ids`` (bool, ``true``)
``roles`` (list of str, ``["data"]``)
    the roles whose files are read, in this order.  Each role of a split is
    required, so a split made of two files that must both be there names
    them as two roles (UMNSRS: ``{"similarity": "UMNSRS_similarity.csv",
    "relatedness": "UMNSRS_relatedness.csv"}``); ``$role`` tells them apart.
``non_finite`` (``jsonl`` only, ``"error"`` | ``"null"``, ``"error"``)
    ``"null"`` reads the ``NaN``, ``Infinity`` and ``-Infinity`` that
    Python's ``json.dumps`` writes for non-finite floats (not JSON; SciCite's
    ``citeStart``/``citeEnd``) as null; a line that is invalid for another
    reason is still an error.
``header`` (``csv``/``tsv``, bool, ``true``)
``columns`` (``csv``/``tsv``, list of str)
``delimiter`` (``csv``/``tsv``, one character; ``","`` / tab)
``quoting`` (``csv``/``tsv``, ``"minimal"`` | ``"none"``; ``"minimal"`` for csv, ``"none"`` for tsv)

Examples
--------
PubMedQA, ``json`` reader, role ``data`` = ``ori_pqal.json``, role ``test`` =
``test_ground_truth.json`` (``"how": "anti"`` gives the other 500)::

    {"record": "qa",
     "join": {"role": "test", "on": "$key", "how": "inner"},
     "fields": {"question": "QUESTION", "context": {"path": "CONTEXTS", "join": " "},
                "type": {"const": "yesno"}, "choices": {"const": ["yes", "no", "maybe"]},
                "answers": {"path": "final_decision", "list": true}, "document_id": "$key"}}

BioASQ yes/no, one record per snippet, ``json``::

    {"record": "qa", "items": "questions", "where": {"type": "yesno"},
     "explode": {"path": "snippets", "as": "s"},
     "fields": {"id": {"template": "{id}_{$s_index}"}, "question_id": "id",
                "question": "body", "context": "$s.text", "type": {"const": "yesno"},
                "choices": {"const": ["yes", "no"]},
                "answers": {"path": "exact_answer", "regex": "^(yes|no)", "regex_flags": "i",
                            "lower": true, "list": true}}}

MedQA, ``jsonl``::

    {"record": "qa",
     "fields": {"question": "question", "type": {"const": "multiple_choice"},
                "choices": {"path": "options", "values": true},
                "choice_labels": {"path": "options", "keys": true},
                "answers": {"path": "answer", "list": true}}}

SciFact, ``jsonl``, role ``data`` = ``claims_train.jsonl``, role ``corpus`` =
``corpus.jsonl``; one pair per cited document::

    {"record": "te",
     "explode": {"path": "cited_doc_ids", "as": "doc_id"},
     "join": {"role": "corpus", "key": "doc_id", "on": "$doc_id", "as": "doc"},
     "fields": {"id": {"template": "{id}_{$doc_id}"}, "hypothesis": "claim",
                "premise": {"path": "$doc.abstract", "join": " "},
                "label": {"path": "evidence.{$doc_id}.0.label", "default": "NOINFO"}}}

CoVERt, ``jsonl``, tweets with evidence only::

    {"record": "te", "where": [{"path": "evidence.*.2", "nonempty": true}],
     "fields": {"premise": {"path": "evidence.*.2", "join": " "},
                "hypothesis": "claim", "label": "label"}}

MedDialog, ``json``, one record per utterance labelled with its speaker::

    {"record": "text", "explode": {"path": "utterances", "as": "u"},
     "fields": {"document_id": "$index",
                "text": {"path": "$u", "regex": "^[^:]*:\\s*(.*)$", "regex_flags": "s"},
                "labels": {"path": "$u", "split": ":", "maxsplit": 1, "index": 0,
                           "strip": true, "list": true}}}

MeDAL, ``csv`` (streamed; ``LOCATION`` is a word index into ``TEXT``)::

    {"record": "qa", "unique_ids": false,
     "fields": {"document_id": "ABSTRACT_ID", "context": "TEXT",
                "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
                "type": {"const": "factoid"}, "answers": {"path": "LABEL", "list": true}}}

Multi-XScience, ``json``::

    {"record": "t2t",
     "fields": {"document_id": "aid",
                "text_1": {"paths": ["abstract", "ref_abstract.*.abstract"], "join": "\n"},
                "text_2": "related_work"}}

BIOSSES, ``tsv`` (``annotation_pairs_scores.tsv``)::

    {"record": "pairs",
     "fields": {"id": "sentence_id", "text_1": "sentence_1", "text_2": "sentence_2",
                "score": {"paths": ["annotator_a", "annotator_b", "annotator_c",
                                    "annotator_d", "annotator_e"],
                          "type": "float", "reduce": "mean"}}}
"""

from __future__ import annotations

import csv
import io
import re
import statistics
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from ..diagnostics import Diagnostics
from ..errors import ManifestError, SourceError
from ..records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord
from ..sources import SourceFiles
from ._common import (
    CompressedDataError, iter_json_items, iter_json_lines, json_error, json_opening, load_json, open_binary,
)


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "MISSING"


MISSING: Any = _Missing()


class MapError(Exception):
    """A mapping problem with one item; turned into a SourceError with its location."""


def _opt_error(pointer: str, message: str) -> ManifestError:
    return ManifestError(None, "/source/options" + pointer, message)


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

_ITEM = "$"  # the context key of the current item


def _split_path(path: str) -> list[str]:
    """Split on dots outside ``{...}``."""
    parts: list[str] = []
    depth = 0
    cur: list[str] = []
    for ch in path:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch == "." and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def compile_path(path: str, where: str) -> Callable[[dict], Any]:
    """A function ``context -> value | MISSING`` for a path."""
    if not isinstance(path, str):
        raise _opt_error(where, f"expected a path string, found {path!r}")
    parts = _split_path(path.strip()) if path.strip() else []
    root = _ITEM
    if parts and parts[0].startswith("$"):
        root = parts.pop(0)
    segments: list[tuple[str, Any]] = []
    for part in parts:
        if part == "*":
            segments.append(("*", None))
        elif part.startswith("{") and part.endswith("}") and len(part) > 2:
            segments.append(("dyn", compile_path(part[1:-1], where)))
        elif part == "":
            raise _opt_error(where, f"empty segment in path {path!r}")
        else:
            index = None
            try:
                index = int(part)
            except ValueError:
                pass
            segments.append(("key", (part, index)))

    def walk(obj: Any, i: int, ctx: dict) -> Any:
        while i < len(segments):
            if obj is None or obj is MISSING:
                return MISSING
            kind, arg = segments[i]
            if kind == "*":
                if isinstance(obj, dict):
                    elems = list(obj.values())
                elif isinstance(obj, list):
                    elems = obj
                else:
                    return MISSING
                out = []
                for e in elems:
                    r = walk(e, i + 1, ctx)
                    if r is not MISSING and r is not None:
                        out.append(r)
                return out
            if kind == "dyn":
                k = arg(ctx)
                if k is MISSING or k is None:
                    return MISSING
                key, index = _scalar_text(k), None
                try:
                    index = int(key)
                except ValueError:
                    pass
            else:
                key, index = arg
            if isinstance(obj, dict):
                obj = obj.get(key, MISSING)
            elif isinstance(obj, list):
                if index is None or not -len(obj) <= index < len(obj):
                    return MISSING
                obj = obj[index]
            else:
                return MISSING
            i += 1
        return MISSING if obj is None else obj

    if root == _ITEM and not segments:
        return lambda ctx: ctx[_ITEM]

    def get(ctx: dict) -> Any:
        obj = ctx.get(root, MISSING)
        if obj is MISSING:
            if root not in ctx and root != _ITEM and root not in ("$key", "$line", "$root"):
                raise MapError(f"path {path!r}: {root} is not defined here (explode/join names: "
                               f"{', '.join(k for k in ctx if k.startswith('$')) or 'none'})")
            return MISSING
        return walk(obj, 0, ctx)

    return get


def _scalar_text(v: Any) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return str(v)
    raise MapError(f"expected a single value, found {type(v).__name__}")


# ---------------------------------------------------------------------------
# Field specs
# ---------------------------------------------------------------------------

_TEMPLATE = re.compile(r"\{\{|\}\}|\{([^{}]*)\}")
_SPEC_KEYS = {
    "path", "paths", "const", "template", "keys", "values", "pick", "flatten", "split", "maxsplit", "index",
    "regex", "regex_flags", "strip", "lower", "map", "map_missing", "type", "reduce", "join", "list", "default",
}


def _elementwise(fn: Callable[[Any], Any]) -> Callable[[Any, dict], Any]:
    def apply(v: Any, ctx: dict) -> Any:
        if isinstance(v, list):
            out = []
            for e in v:
                if e is None:
                    continue
                r = fn(e)
                if r is not MISSING:
                    out.append(r)
            return out
        return fn(v)

    return apply


def _as_str(v: Any, what: str) -> str:
    if isinstance(v, str):
        return v
    if isinstance(v, (int, float, bool)):
        return _scalar_text(v)
    raise MapError(f"{what} expects a string, found {type(v).__name__}")


def compile_spec(spec: Any, where: str) -> Callable[[dict], Any]:
    """A function ``context -> value | MISSING`` for a field spec."""
    if isinstance(spec, str):
        return compile_path(spec, where)
    if not isinstance(spec, dict):
        raise _opt_error(where, f"expected a path or a spec object, found {spec!r}")
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise _opt_error(where, f"unknown spec key(s) {sorted(unknown)}; known: {sorted(_SPEC_KEYS)}")
    sources = [k for k in ("path", "paths", "const", "template") if k in spec]
    if len(sources) != 1:
        raise _opt_error(where, "a spec needs exactly one of path, paths, const, template")
    src = sources[0]
    if src == "path":
        source = compile_path(spec["path"], where + "/path")
    elif src == "const":
        const = spec["const"]
        source = lambda ctx: const  # noqa: E731
    elif src == "paths":
        getters = [compile_path(p, where + "/paths") for p in spec["paths"]]

        def source(ctx: dict) -> Any:
            out: list = []
            for g in getters:
                v = g(ctx)
                if v is MISSING:
                    continue
                if isinstance(v, list):
                    out.extend(v)
                else:
                    out.append(v)
            return out
    else:
        template = spec["template"]
        pieces: list[Any] = []
        pos = 0
        for m in _TEMPLATE.finditer(template):
            pieces.append(template[pos : m.start()])
            tok = m.group(0)
            if tok == "{{":
                pieces.append("{")
            elif tok == "}}":
                pieces.append("}")
            else:
                pieces.append(compile_path(m.group(1), where + "/template"))
            pos = m.end()
        pieces.append(template[pos:])

        def source(ctx: dict) -> Any:
            out = []
            for p in pieces:
                if isinstance(p, str):
                    out.append(p)
                    continue
                v = p(ctx)
                if v is MISSING:
                    return MISSING
                out.append(_as_str(v, "a template placeholder"))
            return "".join(out)

    steps: list[Callable[[Any, dict], Any]] = []  # applied in the documented order
    if spec.get("keys") or spec.get("values"):
        want_keys = bool(spec.get("keys"))

        def kv(v: Any, ctx: dict) -> Any:
            if not isinstance(v, dict):
                raise MapError(f"'{'keys' if want_keys else 'values'}' expects an object, found {type(v).__name__}")
            return list(v.keys() if want_keys else v.values())

        steps.append(kv)
    if "pick" in spec:
        pick_path = compile_path(spec["pick"], where + "/pick")

        def pick(v: Any, ctx: dict) -> Any:
            idx = pick_path(ctx)
            if idx is MISSING:
                return MISSING
            if not isinstance(v, list):
                raise MapError(f"'pick' expects a list, found {type(v).__name__}")
            idx = idx if isinstance(idx, list) else [idx]
            try:
                return [v[int(i)] for i in idx]
            except (ValueError, TypeError, IndexError):
                raise MapError(f"'pick' indices {idx!r} do not fit a list of {len(v)}") from None

        steps.append(pick)
    if spec.get("flatten"):
        def flatten(v: Any, ctx: dict) -> Any:
            if not isinstance(v, list):
                return v
            out = []
            for e in v:
                if isinstance(e, list):
                    out.extend(e)
                else:
                    out.append(e)
            return out

        steps.append(flatten)
    if "split" in spec:
        sep = spec["split"]
        maxsplit = spec.get("maxsplit", -1)
        if not isinstance(sep, str) or not sep:
            raise _opt_error(where + "/split", "expected a non-empty separator string")
        if not isinstance(maxsplit, int):
            raise _opt_error(where + "/maxsplit", "expected an integer")
        steps.append(lambda v, ctx: _as_str(v, "split").split(sep, maxsplit))
    if "index" in spec:
        index_spec = spec["index"]
        if isinstance(index_spec, bool) or not isinstance(index_spec, (int, str)):
            raise _opt_error(where + "/index", "expected an integer or a path")
        index_path = compile_path(index_spec, where + "/index") if isinstance(index_spec, str) else None

        def index(v: Any, ctx: dict) -> Any:
            i = index_spec
            if index_path is not None:
                i = index_path(ctx)
                if i is MISSING:
                    return MISSING
                try:
                    i = int(i)
                except (TypeError, ValueError):
                    raise MapError(f"'index' path gave {i!r}, not an integer") from None
            if not isinstance(v, list):
                raise MapError(f"'index' expects a list, found {type(v).__name__}")
            return v[i] if -len(v) <= i < len(v) else MISSING

        steps.append(index)
    if "regex" in spec:
        flags = 0
        for ch in spec.get("regex_flags", ""):
            flags |= {"i": re.I, "m": re.M, "s": re.S}.get(ch, 0)
        try:
            rx = re.compile(spec["regex"], flags)
        except (re.error, TypeError) as exc:
            raise _opt_error(where + "/regex", f"invalid regular expression: {exc}") from None

        def regex(e: Any) -> Any:
            m = rx.search(_as_str(e, "regex"))
            if m is None:
                return MISSING
            return m.group(1) if rx.groups else m.group(0)

        steps.append(_elementwise(regex))
    if spec.get("strip"):
        steps.append(_elementwise(lambda e: _as_str(e, "strip").strip()))
    if spec.get("lower"):
        steps.append(_elementwise(lambda e: _as_str(e, "lower").lower()))
    if "map" in spec:
        table = spec["map"]
        if not isinstance(table, dict):
            raise _opt_error(where + "/map", "expected an object")
        missing_mode = spec.get("map_missing", "error")
        if missing_mode not in ("error", "keep", "drop"):
            raise _opt_error(where + "/map_missing", "expected error, keep or drop")

        def mapper(e: Any) -> Any:
            k = e if isinstance(e, str) else _scalar_text(e)
            if k in table:
                return table[k]
            if missing_mode == "keep":
                return e
            if missing_mode == "drop":
                return MISSING
            raise MapError(f"value {k!r} is not in the map ({', '.join(map(repr, list(table)[:10]))}); "
                           "set map_missing to keep or drop it")

        steps.append(_elementwise(mapper))
    if "type" in spec:
        steps.append(_elementwise(_converter(spec["type"], where)))
    if "reduce" in spec:
        steps.append(_reducer(spec["reduce"], where))
    if "join" in spec:
        joiner = spec["join"]
        if not isinstance(joiner, str):
            raise _opt_error(where + "/join", "expected a separator string")

        def join(v: Any, ctx: dict) -> Any:
            if isinstance(v, list):
                return joiner.join(_as_str(e, "join") for e in v)
            return v

        steps.append(join)
    as_list = bool(spec.get("list"))
    has_default = "default" in spec
    default = spec.get("default")

    def evaluate(ctx: dict) -> Any:
        v = source(ctx)
        for step in steps:
            if v is MISSING or v is None:
                break
            v = step(v, ctx)
        if v is MISSING or v is None:
            if has_default:
                return default
            return [] if as_list else MISSING
        if as_list and not isinstance(v, list):
            return [v]
        return v

    return evaluate


def _converter(kind: str, where: str) -> Callable[[Any], Any]:
    def to_int(e: Any) -> Any:
        try:
            return int(e) if not isinstance(e, str) else int(e.strip())
        except (TypeError, ValueError):
            try:
                f = float(e)
                if f.is_integer():
                    return int(f)
            except (TypeError, ValueError):
                pass
            raise MapError(f"cannot convert {e!r} to an integer") from None

    def to_float(e: Any) -> Any:
        try:
            return float(e)
        except (TypeError, ValueError):
            raise MapError(f"cannot convert {e!r} to a number") from None

    def to_bool(e: Any) -> Any:
        if isinstance(e, bool):
            return e
        t = _scalar_text(e).strip().lower()
        if t in ("true", "yes", "1"):
            return True
        if t in ("false", "no", "0", ""):
            return False
        raise MapError(f"cannot convert {e!r} to a boolean")

    table = {"str": lambda e: _scalar_text(e), "int": to_int, "float": to_float, "bool": to_bool}
    if kind not in table:
        raise _opt_error(where + "/type", f"expected str, int, float or bool, found {kind!r}")
    return table[kind]


def _reducer(kind: str, where: str) -> Callable[[Any, dict], Any]:
    def reduce(v: Any, ctx: dict) -> Any:
        values = v if isinstance(v, list) else [v]
        if kind == "count":
            return len(values)
        if not values:
            return MISSING
        if kind == "first":
            return values[0]
        try:
            if kind == "mean":
                return statistics.fmean(values)
            if kind == "sum":
                return sum(values)
            if kind == "min":
                return min(values)
            return max(values)
        except TypeError:
            raise MapError(f"cannot take the {kind} of {values!r} (add \"type\": \"float\")") from None

    if kind not in ("mean", "sum", "min", "max", "first", "count"):
        raise _opt_error(where + "/reduce", f"unknown reduction {kind!r}")
    return reduce


# ---------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------

# field -> (shape, required); shapes: str, list, listlist, float, optstr
_FIELDS: dict[str, tuple[type, dict[str, tuple[str, bool]]]] = {
    "qa": (QARecord, {
        "question": ("str", True), "type": ("str", True), "context": ("str", False),
        "question_id": ("str", False), "document_id": ("str", False), "choices": ("list", False),
        "choice_labels": ("list", False), "answers": ("list", False), "answer_synonyms": ("listlist", False),
    }),
    "te": (TERecord, {"premise": ("str", True), "hypothesis": ("str", True), "label": ("str", True)}),
    "pairs": (PairsRecord, {
        "text_1": ("str", True), "text_2": ("str", True), "label": ("str", False), "score": ("float", False),
        "document_id": ("str", False),
    }),
    "text": (TextRecord, {"text": ("str", True), "labels": ("list", False), "document_id": ("str", False)}),
    "t2t": (T2TRecord, {
        "text_1": ("str", True), "text_2": ("str", True), "text_1_lang": ("str", False),
        "text_2_lang": ("str", False), "text_1_name": ("str", False), "text_2_name": ("str", False),
        "document_id": ("str", False),
    }),
}


def _shape(value: Any, shape: str, field: str) -> Any:
    # the common cases first: a string for a string field, a list of strings for a list field
    kind = value.__class__
    if kind is str and shape == "str":
        return value
    if kind is list and shape == "list" and all(e.__class__ is str for e in value):
        return tuple(value)
    if shape == "str":
        if isinstance(value, (list, dict)):
            raise MapError(f"field {field!r} expects a single value, found a {type(value).__name__} (add \"join\")")
        return _scalar_text(value)
    if shape == "float":
        if isinstance(value, bool) or isinstance(value, (list, dict)):
            raise MapError(f"field {field!r} expects a number, found {value!r}")
        try:
            return float(value)
        except (TypeError, ValueError):
            raise MapError(f"field {field!r} expects a number, found {value!r}") from None
    values = value if isinstance(value, list) else [value]
    if shape == "list":
        out = []
        for e in values:
            if isinstance(e, (list, dict)):
                raise MapError(f"field {field!r} expects a list of strings, found a nested {type(e).__name__} "
                               "(add \"flatten\")")
            out.append(_scalar_text(e))
        return tuple(out)
    # listlist
    out2 = []
    for e in values:
        group = e if isinstance(e, list) else [e]
        if any(isinstance(x, (list, dict)) for x in group):
            raise MapError(f"field {field!r} expects a list of lists of strings")
        out2.append(tuple(_scalar_text(x) for x in group))
    return tuple(out2)


class _Explode:
    def __init__(self, path: Callable[[dict], Any], name: str, raw: str):
        self.path = path
        self.name = "$" + name
        self.key = "$" + name + "_key"
        self.index = "$" + name + "_index"
        self.raw = raw


class _Join:
    def __init__(self, spec: Mapping[str, Any], n: int, files: SourceFiles):
        where = f"/join/{n}" if n >= 0 else "/join"
        if not isinstance(spec, Mapping) or "role" not in spec or "on" not in spec:
            raise _opt_error(where, "a join needs 'role' and 'on'")
        self.role = spec["role"]
        self.on = compile_path(spec["on"], where + "/on")
        self.name = "$" + spec.get("as", self.role)
        self.how = spec.get("how", "required")
        if self.how not in ("required", "inner", "left", "anti"):
            raise _opt_error(where + "/how", f"expected required, inner, left or anti, found {self.how!r}")
        key = spec.get("key")
        key_path = compile_path(key, where + "/key") if key is not None else None
        paths = files.all(self.role)
        if not paths:
            raise SourceError(files.root, None, f"no file for role {self.role!r}, which the join needs")
        self.table: dict[str, Any] = {}
        for path in paths:
            fmt = spec.get("format") or _format_of(path)
            if fmt is None:
                raise _opt_error(where + "/format", f"cannot tell the format of {path.name}; give json, jsonl, csv or tsv")
            items = {"items": spec.get("items", "")}
            for ctx, _loc in _iter_items(path, fmt, items, where, stream=not _uses_root(key)):
                if key_path is None:
                    if "$key" not in ctx:
                        raise _opt_error(where + "/key", f"the items of {path.name} are not keyed by an object; give 'key'")
                    k = ctx["$key"]
                else:
                    try:
                        k = key_path(ctx)
                    except MapError as exc:
                        raise SourceError(path, None, f"join key: {exc}") from None
                    if k is MISSING:
                        continue
                try:
                    k = _scalar_text(k)
                except MapError:
                    raise SourceError(path, None, f"join key {spec.get('key')!r} is not a single value") from None
                self.table.setdefault(k, ctx[_ITEM])


def _format_of(path: Path) -> str | None:
    name = path.name.lower()
    for suffix, fmt in ((".jsonl", "jsonl"), (".ndjson", "jsonl"), (".json", "json"), (".csv", "csv"),
                        (".tsv", "tsv"), (".txt", "tsv")):
        if name.endswith(suffix) or name.endswith(suffix + ".gz"):
            return fmt
    return None


class FieldMapping:
    """A compiled ``fields`` / ``explode`` / ``join`` / ``where`` mapping."""

    def __init__(self, options: Mapping[str, Any], files: SourceFiles):
        kind = options.get("record")
        if kind not in _FIELDS:
            raise _opt_error("/record", f"expected one of {sorted(_FIELDS)}, found {kind!r}")
        self.cls, self.shapes = _FIELDS[kind]
        fields = options.get("fields")
        if not isinstance(fields, Mapping):
            raise _opt_error("/fields", "expected an object mapping record fields to specs")
        self.fields: list[tuple[str, Callable[[dict], Any], str, bool]] = []
        #: each field's spec as the manifest wrote it, for "is missing" messages
        self.specs: dict[str, str] = {
            name: orjson.dumps(spec).decode() if not isinstance(spec, str) else repr(spec) for name, spec in fields.items()
        }
        for name, spec in fields.items():
            if name == "id":
                continue
            if name not in self.shapes:
                known = ", ".join(["id", *self.shapes])
                raise _opt_error(f"/fields/{name}", f"{kind} records have no field {name!r}; known: {known}")
            shape, required = self.shapes[name]
            self.fields.append((name, compile_spec(spec, f"/fields/{name}"), shape, required))
        missing = [n for n, (_, req) in self.shapes.items() if req and n not in fields]
        if missing:
            raise _opt_error("/fields", f"{kind} records need field(s) {', '.join(missing)}")
        self.id = compile_spec(fields["id"], "/fields/id") if "id" in fields else None
        explode = options.get("explode")
        levels = [] if explode is None else explode if isinstance(explode, list) else [explode]
        self.explode: list[_Explode] = []
        for n, level in enumerate(levels):
            if isinstance(level, str):
                level = {"path": level}
            if not isinstance(level, Mapping) or "path" not in level:
                raise _opt_error(f"/explode/{n}", "expected a path or {path, as}")
            name = level.get("as", "item" if n == 0 else f"item{n + 1}")
            self.explode.append(_Explode(compile_path(level["path"], f"/explode/{n}/path"), name, level["path"]))
        joins = options.get("join")
        joins = [] if joins is None else joins if isinstance(joins, list) else [joins]
        self.joins = [_Join(j, n if len(joins) > 1 else -1, files) for n, j in enumerate(joins)]
        self.where = _compile_where(options.get("where"))
        self.unique = bool(options.get("unique_ids", True))
        self.seen: set[str] = set()

    def records(
        self, ctx: dict, default_id: str, path, line: int | None, locator: str, *, keyed: bool = False
    ) -> Iterator[Any]:
        try:
            for c, suffix in self._expand(ctx, 0, default_id):
                if not self._joined(c):
                    continue
                if self.where is not None and not self.where(c):
                    continue
                yield self._record(c, suffix, path, line, locator, keyed)
        except MapError as exc:
            # a line says where a row is; the key or position of a JSON item still helps (one-line documents)
            located = line is not None and locator.startswith("line ")
            raise SourceError(path, line, str(exc) if located else f"{locator}: {exc}") from None

    def _expand(self, ctx: dict, level: int, rid: str) -> Iterator[tuple[dict, str]]:
        if level == len(self.explode):
            yield ctx, rid
            return
        ex = self.explode[level]
        value = ex.path(ctx)
        if value is MISSING:
            return
        if isinstance(value, dict):
            entries = list(value.items())
        elif isinstance(value, list):
            entries = list(enumerate(value))
        else:
            raise MapError(f"explode {ex.raw!r} expects a list or an object, found {type(value).__name__}")
        for i, (key, elem) in enumerate(entries):
            c = dict(ctx)
            c[ex.name] = MISSING if elem is None else elem
            c[ex.key] = key
            c[ex.index] = i
            yield from self._expand(c, level + 1, f"{rid}_{i}")

    def _joined(self, ctx: dict) -> bool:
        for j in self.joins:
            on = j.on(ctx)
            hit = MISSING
            if on is not MISSING:
                if isinstance(on, (list, dict)):
                    raise MapError(f"join on a {type(on).__name__}; 'on' must give a single value")
                hit = j.table.get(_scalar_text(on), MISSING)
            if j.how == "anti":
                if hit is not MISSING:
                    return False
            elif hit is MISSING:
                if j.how == "inner":
                    return False
                if j.how == "required":
                    raise MapError(f"no item of role {j.role!r} has the key {on!r}")
            ctx[j.name] = hit
        return True

    def _record(self, ctx: dict, default_id: str, path, line, locator: str, keyed: bool) -> Any:
        kwargs: dict[str, Any] = {}
        for name, fn, shape, required in self.fields:
            value = fn(ctx)
            if value is MISSING:
                if required:
                    raise MapError(
                        f"field {name!r} is missing: its spec {self.specs[name]} gave no value "
                        "(a missing key, an index out of range, or null)"
                    )
                continue
            kwargs[name] = _shape(value, shape, name)
        if self.id is not None:
            rid = self.id(ctx)
            if rid is MISSING:
                raise MapError("field 'id' is missing")
            rid = _shape(rid, "str", "id")
            check = self.unique
        else:
            rid = default_id
            # positional default ids are unique by construction; keys may repeat across files
            check = self.unique and keyed
        if check:
            if rid in self.seen:
                raise MapError(f"record id {rid!r} occurs twice in this split")
            self.seen.add(rid)
        kwargs["id"] = rid
        kwargs["source"] = f"{path}:{line}" if line is not None else f"{path}:{locator}"
        return self.cls(**kwargs)


def _compile_where(where: Any) -> Callable[[dict], bool] | None:
    if where is None:
        return None
    if isinstance(where, Mapping):
        conds = [{"path": k, ("in" if isinstance(v, list) else "equals"): v} for k, v in where.items()]
    elif isinstance(where, list):
        conds = where
    else:
        raise _opt_error("/where", "expected an object or a list of conditions")
    tests: list[Callable[[dict], bool]] = []
    for n, c in enumerate(conds):
        if not isinstance(c, Mapping) or "path" not in c:
            raise _opt_error(f"/where/{n}", "a condition needs a 'path'")
        get = compile_path(c["path"], f"/where/{n}/path")
        ops = [k for k in c if k != "path"]
        if len(ops) != 1 or ops[0] not in ("equals", "in", "not_in", "exists", "nonempty"):
            raise _opt_error(f"/where/{n}", "a condition needs exactly one of equals, in, not_in, exists, nonempty")
        op, arg = ops[0], c[ops[0]]
        tests.append(_condition(get, op, arg))

    def check(ctx: dict) -> bool:
        return all(t(ctx) for t in tests)

    return check


def _condition(get: Callable[[dict], Any], op: str, arg: Any) -> Callable[[dict], bool]:
    if op == "equals":
        return lambda ctx: (v := get(ctx)) is not MISSING and v == arg
    if op == "in":
        return lambda ctx: (v := get(ctx)) is not MISSING and not isinstance(v, (list, dict)) and v in arg
    if op == "not_in":
        return lambda ctx: (v := get(ctx)) is MISSING or isinstance(v, (list, dict)) or v not in arg
    if op == "exists":
        return lambda ctx: (get(ctx) is not MISSING) == bool(arg)
    return lambda ctx: ((v := get(ctx)) is not MISSING and v not in ("", [], {})) == bool(arg)


# ---------------------------------------------------------------------------
# Items of each format
# ---------------------------------------------------------------------------


def _iter_items(
    path: Path, fmt: str, options: Mapping[str, Any], where: str = "", *, stream: bool = True
) -> Iterator[tuple[dict, str]]:
    """``(context, locator)`` for each item; a context holds the item under
    ``$`` and ``$index`` / ``$key`` / ``$line`` / ``$root``.  A JSON document
    is streamed when it is an array or an object, ``items`` is unset and
    ``stream`` (the mapping does not use ``$root``)."""
    if fmt == "jsonl":
        lines = iter_json_lines(path) if options.get("non_finite", "error") == "error" else _lenient_json_lines(path)
        for index, (lineno, item) in enumerate(lines):
            yield {_ITEM: item, "$index": index, "$line": lineno}, f"line {lineno}"
        return
    if fmt == "json":
        items_path = options.get("items", "") or ""
        if stream and not items_path and json_opening(path) in ("[", "{"):
            yield from _streamed_items(path)
            return
        root = load_json(path)
        try:
            container = compile_path(items_path, where + "/items")({_ITEM: root, "$root": root})
        except MapError as exc:
            raise SourceError(path, None, str(exc)) from None
        label = items_path
        if container is MISSING:
            raise SourceError(path, None, f"no {items_path!r} in the JSON document (option items)")
        if isinstance(container, list):
            for i, item in enumerate(container):
                yield {_ITEM: item, "$index": i, "$root": root}, f"{label}[{i}]"
        elif isinstance(container, dict):
            for i, (k, item) in enumerate(container.items()):
                yield {_ITEM: item, "$index": i, "$key": k, "$root": root}, f"{label}[{k!r}]"
        else:
            raise SourceError(
                path, None, f"expected {label or 'the document'} to be a list or an object, found {type(container).__name__}"
            )
        return
    yield from _iter_rows(path, fmt, options)


def _streamed_items(path: Path) -> Iterator[tuple[dict, str]]:
    """The items of a JSON array or object, one at a time (see :func:`iter_json_items`)."""
    first_line: dict[str, int] = {}
    for index, item in enumerate(iter_json_items(path)):
        key = item.key
        if isinstance(key, int):
            yield {_ITEM: item.value, "$index": index, "$line": item.line}, f"[{index}]"
            continue
        if key in first_line:
            # a whole parse would silently keep the last entry; streamed, the first is already read
            raise SourceError(path, item.line, f"the key {key!r} occurs again (first at line {first_line[key]}); "
                              "the keys of a JSON object must be unique")
        first_line[key] = item.line
        yield {_ITEM: item.value, "$index": index, "$key": key, "$line": item.line}, f"[{key!r}]"


def _lenient_json_lines(path: Path) -> Iterator[tuple[int, Any]]:
    """:func:`iter_json_lines`, except that a line orjson refuses is parsed
    again by Python's ``json`` with ``NaN``/``Infinity``/``-Infinity`` as null
    (option ``non_finite: "null"``); a line neither accepts is the same error."""
    import json

    def constant(name: str) -> None:
        return None

    f = open_binary(path)
    with f:
        lineno = 0
        loads = orjson.loads
        try:
            for lineno, line in enumerate(f, 1):
                if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]
                if not line.strip():
                    continue
                try:
                    value = loads(line)
                except orjson.JSONDecodeError as exc:
                    try:
                        value = json.loads(line.decode("utf-8"), parse_constant=constant)
                    except ValueError:
                        error = json_error(path, line, exc, "expected one JSON value per line, found invalid JSON ({error})")
                        raise SourceError(path, lineno, error.message) from None
                yield lineno, value
        except CompressedDataError as exc:
            raise exc.at(lineno + 1) from None
        except OSError as exc:
            raise SourceError(path, lineno + 1, f"cannot be read: {exc.strerror or exc}") from None


def _uses_root(value: Any) -> bool:
    """Whether an option value mentions ``$root`` (which needs the whole document)."""
    if isinstance(value, str):
        return "$root" in value
    if isinstance(value, Mapping):
        return any(_uses_root(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_root(v) for v in value)
    return False


def _iter_rows(path: Path, fmt: str, options: Mapping[str, Any]) -> Iterator[tuple[dict, str]]:
    delimiter = options.get("delimiter") or ("\t" if fmt == "tsv" else ",")
    quoting = options.get("quoting") or ("none" if fmt == "tsv" else "minimal")
    header = bool(options.get("header", True))
    columns = options.get("columns")
    raw = open_binary(path)
    text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    reader = csv.reader(
        text, delimiter=delimiter, quoting=csv.QUOTE_NONE if quoting == "none" else csv.QUOTE_MINIMAL,
        strict=quoting != "none",
    )
    names: list[str] | None = list(columns) if columns else None
    pending_header = header
    index = 0
    line = 1
    with text:
        try:
            for row in reader:
                start, line = line, reader.line_num + 1
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if pending_header:
                    pending_header = False
                    if names is None:
                        names = [c.strip() for c in row]
                    elif len(names) != len(row):
                        raise SourceError(path, start, f"option columns names {len(names)} columns, the header has {len(row)}")
                    continue
                if names is not None:
                    if len(row) != len(names):
                        raise SourceError(path, start, f"expected {len(names)} columns ({', '.join(names[:8])}), found {len(row)}")
                    item: Any = dict(zip(names, row))
                else:
                    item = row
                yield {_ITEM: item, "$index": index, "$line": start}, f"line {start}"
                index += 1
        except UnicodeDecodeError as exc:
            raise SourceError(path, line, f"is not valid UTF-8 ({exc.reason})") from None
        except CompressedDataError as exc:
            raise exc.at(line) from None
        except csv.Error as exc:
            raise SourceError(path, reader.line_num or line, f"malformed {fmt.upper()}: {exc}") from None
        except OSError as exc:
            raise SourceError(path, line, f"cannot be read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------


def _read(fmt: str, files: SourceFiles, options: Mapping[str, Any]) -> Iterator[Any]:
    mapping = FieldMapping(options, files)
    stream = not _uses_root({k: v for k, v in options.items() if k != "items"})
    position = 0
    for role, path in data_files(files, options):
        for ctx, locator in _iter_items(path, fmt, options, stream=stream):
            ctx["$file"] = path.name
            ctx["$role"] = role
            key = ctx.get("$key")
            default_id = _scalar_text(key) if key is not None else str(position)
            position += 1
            yield from mapping.records(ctx, default_id, path, ctx.get("$line"), locator, keyed=key is not None)


def data_files(files: SourceFiles, options: Mapping[str, Any]) -> list[tuple[str, Path]]:
    """``(role, path)`` of the files whose items are read: those of role
    ``data``, or of each role of the option ``roles`` in its order."""
    return [(role, path) for role in options.get("roles") or ("data",) for path in files.all(role)]


def read_json(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """JSON documents (a top-level array or object streamed; see the module documentation)."""
    return _read("json", files, options)


def read_jsonl(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """JSON Lines, streamed (see the module documentation)."""
    return _read("jsonl", files, options)


def read_csv(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """CSV, streamed (see the module documentation)."""
    return _read("csv", files, options)


def read_tsv(files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics) -> Iterator[Any]:
    """Tab-separated values, streamed (see the module documentation)."""
    return _read("tsv", files, options)
