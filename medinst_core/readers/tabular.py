"""The tabular and JSON readers (``json``, ``jsonl``, ``csv``, ``tsv``): rows
or JSON objects turned into ``qa``, ``te``, ``pairs``, ``text`` or ``t2t``
records by a field mapping declared in the manifest, so that most
question-answering, entailment, classification, similarity and summarisation
datasets need no Python.

The mapping language (item sources, paths, field specs, explode / join /
where) and examples are documented in ``docs/readers/tabular.md``; the
options, with their defaults, in the readers' JSON Schemas
(``medinst_core/default_plugins/readers.py``).  The field specs are compiled
by :mod:`.fieldspec`.

The module is long because it holds the item sources of four formats, the joins and the
record mapping; the field specs are in :mod:`.fieldspec`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from ..default_plugins.readers import JSONL_OPTIONS, TABULAR_OPTIONS
from ..diagnostics import Diagnostics
from ..errors import SourceError
from ..options import with_defaults
from ..records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord
from ..sources import SourceFiles
from .construct import fast_constructor
from .fieldspec import ITEM as _ITEM
from .fieldspec import MISSING, MapError, compile_path, compile_spec
from .fieldspec import opt_error as _opt_error
from .fieldspec import scalar_text as _scalar_text
from .files import CompressedDataError, open_binary
from .jsonstream import iter_json_items, iter_json_lines, iter_json_lines_non_finite, json_opening, load_json
from .line_ranges import CsvRanges, JsonlRanges
from .ranges import Part, open_range

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
            # csv/tsv join files: their own header / columns / delimiter (an id list has no header)
            items.update({k: spec[k] for k in ("header", "columns", "delimiter") if k in spec})
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
        # the options every tabular format shares (a plugin's reader may build a mapping of its own options)
        options = with_defaults(JSONL_OPTIONS, options)
        kind = options.get("record")
        if kind not in _FIELDS:
            raise _opt_error("/record", f"expected one of {sorted(_FIELDS)}, found {kind!r}")
        self.cls, self.shapes = _FIELDS[kind]
        # the shaped values are canonical already (str, float, tuples of str):
        # the record's slots are filled without its converters
        self.build = fast_constructor(self.cls)
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
        explode = options["explode"]
        levels = [] if explode is None else explode if isinstance(explode, list) else [explode]
        self.explode: list[_Explode] = []
        for n, level in enumerate(levels):
            if isinstance(level, str):
                level = {"path": level}
            if not isinstance(level, Mapping) or "path" not in level:
                raise _opt_error(f"/explode/{n}", "expected a path or {path, as}")
            name = level.get("as", "item" if n == 0 else f"item{n + 1}")
            self.explode.append(_Explode(compile_path(level["path"], f"/explode/{n}/path"), name, level["path"]))
        joins = options["join"]
        joins = [] if joins is None else joins if isinstance(joins, list) else [joins]
        self.joins = [_Join(j, n if len(joins) > 1 else -1, files) for n, j in enumerate(joins)]
        self.where = _compile_where(options["where"])
        self.unique = bool(options["unique_ids"])
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
        return self.build(**kwargs)


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
    path: Path, fmt: str, options: Mapping[str, Any], where: str = "", *, stream: bool = True, part: Part | None = None
) -> Iterator[tuple[dict, str]]:
    """``(context, locator)`` for each item; a context holds the item under
    ``$`` and ``$index`` / ``$key`` / ``$line`` / ``$root``.  A JSON document
    is streamed when it is an array or an object, ``items`` is unset and
    ``stream`` (the mapping does not use ``$root``)."""
    if fmt == "jsonl":
        if part is not None:  # a byte range of the file (see .ranges)
            index = part.base["index"]
            for lineno, item in iter_json_lines(path, part=part):
                yield {_ITEM: item, "$index": index, "$line": lineno}, f"line {lineno}"
                index += 1
            part.reached = {"index": index, "line": (part.reached or {})["line"]}
            return
        lines = iter_json_lines(path) if options.get("non_finite", "error") == "error" else iter_json_lines_non_finite(path)
        for index, (lineno, item) in enumerate(lines):
            yield {_ITEM: item, "$index": index, "$line": lineno}, f"line {lineno}"
        return
    if fmt == "json":
        items_path = options.get("items") or ""
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
    yield from _iter_rows(path, fmt, options, part)


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


def _uses_root(value: Any) -> bool:
    """Whether an option value mentions ``$root`` (which needs the whole document)."""
    if isinstance(value, str):
        return "$root" in value
    if isinstance(value, Mapping):
        return any(_uses_root(v) for v in value.values())
    if isinstance(value, list):
        return any(_uses_root(v) for v in value)
    return False


def row_options(fmt: str, options: Mapping[str, Any]) -> dict[str, Any]:
    """The format's defaults for what the options leave unset or null (a joined file's options are its join's)."""
    return {**with_defaults(TABULAR_OPTIONS[fmt], {}), **{k: v for k, v in options.items() if v is not None}}


def _csv_reader(raw: Any, options: Mapping[str, Any], encoding: str) -> tuple[io.TextIOWrapper, Any]:
    text = io.TextIOWrapper(raw, encoding=encoding, newline="")
    quoting = options["quoting"]
    reader = csv.reader(
        text, delimiter=options["delimiter"], quoting=csv.QUOTE_NONE if quoting == "none" else csv.QUOTE_MINIMAL,
        strict=quoting != "none",
    )
    return text, reader


def header_names(path: Path, options: Mapping[str, Any]) -> list[str] | None:
    """The column names of the first non-blank row of a CSV/TSV file (for a range that starts later)."""
    text, reader = _csv_reader(open_binary(path), options, options["encoding"])
    with text:
        for row in reader:
            if row and not (len(row) == 1 and not row[0].strip()):
                return [c.strip() for c in row]
    return None


# complexity above the limit: the row loop with its error mapping, kept whole for speed
def _iter_rows(path: Path, fmt: str, options: Mapping[str, Any], part: Part | None = None) -> Iterator[tuple[dict, str]]:  # noqa: C901
    options = row_options(fmt, options)
    header = bool(options["header"])
    columns = options["columns"]
    encoding = options["encoding"]
    names: list[str] | None = list(columns) if columns else None
    pending_header = header
    index = 0
    line = 1
    if part is None:
        text, reader = _csv_reader(open_binary(path), options, encoding)
    else:  # a byte range (see .ranges): the counters and the header come from before it
        index, line = part.base["index"], part.base["line"]
        text, reader = _csv_reader(
            open_range(part), options, "utf-8" if not part.first and encoding == "utf-8-sig" else encoding
        )
        if not part.first and header:
            pending_header = False
            names = names or header_names(path, options)
    line0 = line
    with text:
        try:
            for row in reader:
                start, line = line, line0 + reader.line_num
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
            if part is not None:
                part.reached = {"index": index, "line": line0 + reader.line_num}
        except UnicodeDecodeError as exc:
            raise SourceError(path, line, f"is not valid {'UTF-8' if encoding == 'utf-8-sig' else encoding} ({exc.reason})") from None
        except CompressedDataError as exc:
            raise exc.at(line) from None
        except csv.Error as exc:
            raise SourceError(path, reader.line_num or line, f"malformed {fmt.upper()}: {exc}") from None
        except OSError as exc:
            raise SourceError(path, line, f"cannot be read: {exc.strerror or exc}") from None


# ---------------------------------------------------------------------------
# Readers
# ---------------------------------------------------------------------------


def _read(fmt: str, files: SourceFiles, options: Mapping[str, Any], part: Part | None = None) -> Iterator[Any]:
    options = with_defaults(TABULAR_OPTIONS[fmt], options)
    mapping = FieldMapping(options, files)
    stream = not _uses_root({k: v for k, v in options.items() if k != "items"})
    position = 0 if part is None else part.base["index"]
    sources = data_files(files, options) if part is None else [(data_files(files, options)[0][0], part.path)]
    for role, path in sources:
        for ctx, locator in _iter_items(path, fmt, options, stream=stream, part=part):
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


def read_jsonl(
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics, part: Part | None = None
) -> Iterator[Any]:
    """JSON Lines, streamed (see the module documentation); ``part``: one byte range (see :mod:`.ranges`)."""
    return _read("jsonl", files, options, part)


def read_csv(
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics, part: Part | None = None
) -> Iterator[Any]:
    """CSV, streamed (see the module documentation); ``part``: one byte range (see :mod:`.ranges`)."""
    return _read("csv", files, options, part)


def read_tsv(
    files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics, part: Part | None = None
) -> Iterator[Any]:
    """Tab-separated values, streamed (see the module documentation); ``part``: one byte range (see :mod:`.ranges`)."""
    return _read("tsv", files, options, part)


# byte ranges of one large file, for building a split in several processes
read_jsonl.ranges = JsonlRanges()  # type: ignore[attr-defined]
read_csv.ranges = CsvRanges("csv", _iter_rows, row_options)  # type: ignore[attr-defined]
read_tsv.ranges = CsvRanges("tsv", _iter_rows, row_options)  # type: ignore[attr-defined]
