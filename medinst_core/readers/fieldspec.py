"""The field mapping of the tabular readers: paths into an item and field
specs (a source, then transforms), each compiled once into a function of the
item's context.  The language is documented in ``docs/readers/tabular.md``.

The module is long because each transform of the mapping language is a
small builder of its own.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Callable
from typing import Any

from ..errors import ManifestError


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "MISSING"


MISSING: Any = _Missing()


class MapError(Exception):
    """A mapping problem with one item; turned into a SourceError with its location."""


def opt_error(pointer: str, message: str) -> ManifestError:
    """The error for a bad option at ``/source/options<pointer>``."""
    return ManifestError(None, "/source/options" + pointer, message)


# ---------------------------------------------------------------------------
# Paths
# ---------------------------------------------------------------------------

#: the context key of the current item
ITEM = "$"


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


# complexity above the limit: the path walker is one closure, called for every field of every item
def compile_path(path: str, where: str) -> Callable[[dict], Any]:  # noqa: C901
    """A function ``context -> value | MISSING`` for a path."""
    if not isinstance(path, str):
        raise opt_error(where, f"expected a path string, found {path!r}")
    parts = _split_path(path.strip()) if path.strip() else []
    root = ITEM
    if parts and parts[0].startswith("$"):
        root = parts.pop(0)
    segments: list[tuple[str, Any]] = []
    for part in parts:
        if part == "*":
            segments.append(("*", None))
        elif part.startswith("{") and part.endswith("}") and len(part) > 2:
            segments.append(("dyn", compile_path(part[1:-1], where)))
        elif part == "":
            raise opt_error(where, f"empty segment in path {path!r}")
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
                key, index = scalar_text(k), None
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

    if root == ITEM and not segments:
        return lambda ctx: ctx[ITEM]

    def get(ctx: dict) -> Any:
        obj = ctx.get(root, MISSING)
        if obj is MISSING:
            if root not in ctx and root != ITEM and root not in ("$key", "$line", "$root"):
                raise MapError(f"path {path!r}: {root} is not defined here (explode/join names: "
                               f"{', '.join(k for k in ctx if k.startswith('$')) or 'none'})")
            return MISSING
        return walk(obj, 0, ctx)

    return get


def scalar_text(v: Any) -> str:
    """A scalar as text (``true``/``false`` for booleans); a list or object is a MapError."""
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
        return scalar_text(v)
    raise MapError(f"{what} expects a string, found {type(v).__name__}")


def compile_spec(spec: Any, where: str) -> Callable[[dict], Any]:
    """A function ``context -> value | MISSING`` for a field spec: its source,
    then its transforms in the documented order, then ``list`` / ``default``."""
    if isinstance(spec, str):
        return compile_path(spec, where)
    if not isinstance(spec, dict):
        raise opt_error(where, f"expected a path or a spec object, found {spec!r}")
    unknown = set(spec) - _SPEC_KEYS
    if unknown:
        raise opt_error(where, f"unknown spec key(s) {sorted(unknown)}; known: {sorted(_SPEC_KEYS)}")
    source = _source(spec, where)
    steps = [step for build in _STEP_BUILDERS if (step := build(spec, where)) is not None]
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


# -- sources: path, paths, const, template ------------------------------------

_Getter = Callable[[dict], Any]
_Step = Callable[[Any, dict], Any]


def _source(spec: dict, where: str) -> _Getter:
    sources = [k for k in ("path", "paths", "const", "template") if k in spec]
    if len(sources) != 1:
        raise opt_error(where, "a spec needs exactly one of path, paths, const, template")
    src = sources[0]
    if src == "path":
        return compile_path(spec["path"], where + "/path")
    if src == "const":
        const = spec["const"]
        return lambda ctx: const
    if src == "paths":
        return _paths_source(spec["paths"], where)
    return _template_source(spec["template"], where)


def _paths_source(paths: Any, where: str) -> _Getter:
    getters = [compile_path(p, where + "/paths") for p in paths]

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

    return source


def _template_source(template: str, where: str) -> _Getter:
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

    return source


# -- transforms: one builder per spec key, in the order they apply -------------
# Each builder returns the step for its key, or None when the spec does not use it.


def _keys_values_step(spec: dict, where: str) -> _Step | None:
    if not (spec.get("keys") or spec.get("values")):
        return None
    want_keys = bool(spec.get("keys"))

    def kv(v: Any, ctx: dict) -> Any:
        if not isinstance(v, dict):
            raise MapError(f"'{'keys' if want_keys else 'values'}' expects an object, found {type(v).__name__}")
        return list(v.keys() if want_keys else v.values())

    return kv


def _pick_step(spec: dict, where: str) -> _Step | None:
    if "pick" not in spec:
        return None
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

    return pick


def _flatten_step(spec: dict, where: str) -> _Step | None:
    if not spec.get("flatten"):
        return None

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

    return flatten


def _split_step(spec: dict, where: str) -> _Step | None:
    if "split" not in spec:
        return None
    sep = spec["split"]
    maxsplit = spec.get("maxsplit", -1)
    if not isinstance(sep, str) or not sep:
        raise opt_error(where + "/split", "expected a non-empty separator string")
    if not isinstance(maxsplit, int):
        raise opt_error(where + "/maxsplit", "expected an integer")
    return lambda v, ctx: _as_str(v, "split").split(sep, maxsplit)


def _index_step(spec: dict, where: str) -> _Step | None:
    if "index" not in spec:
        return None
    index_spec = spec["index"]
    if isinstance(index_spec, bool) or not isinstance(index_spec, (int, str)):
        raise opt_error(where + "/index", "expected an integer or a path")
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
            if i < 0:
                # a position read from the data counts from the start
                # (a constant in the manifest may count from the end)
                raise MapError(f"'index' path gave {i}, a negative position")
        if not isinstance(v, list):
            raise MapError(f"'index' expects a list, found {type(v).__name__}")
        assert isinstance(i, int)
        return v[i] if -len(v) <= i < len(v) else MISSING

    return index


def _regex_step(spec: dict, where: str) -> _Step | None:
    if "regex" not in spec:
        return None
    flags = 0
    for ch in spec.get("regex_flags", ""):
        flags |= {"i": re.I, "m": re.M, "s": re.S}.get(ch, 0)
    try:
        rx = re.compile(spec["regex"], flags)
    except (re.error, TypeError) as exc:
        raise opt_error(where + "/regex", f"invalid regular expression: {exc}") from None

    def regex(e: Any) -> Any:
        m = rx.search(_as_str(e, "regex"))
        if m is None:
            return MISSING
        return m.group(1) if rx.groups else m.group(0)

    return _elementwise(regex)


def _strip_step(spec: dict, where: str) -> _Step | None:
    return _elementwise(lambda e: _as_str(e, "strip").strip()) if spec.get("strip") else None


def _lower_step(spec: dict, where: str) -> _Step | None:
    return _elementwise(lambda e: _as_str(e, "lower").lower()) if spec.get("lower") else None


def _map_step(spec: dict, where: str) -> _Step | None:
    if "map" not in spec:
        return None
    table = spec["map"]
    if not isinstance(table, dict):
        raise opt_error(where + "/map", "expected an object")
    missing_mode = spec.get("map_missing", "error")
    if missing_mode not in ("error", "keep", "drop"):
        raise opt_error(where + "/map_missing", "expected error, keep or drop")

    def mapper(e: Any) -> Any:
        k = e if isinstance(e, str) else scalar_text(e)
        if k in table:
            return table[k]
        if missing_mode == "keep":
            return e
        if missing_mode == "drop":
            return MISSING
        raise MapError(f"value {k!r} is not in the map ({', '.join(map(repr, list(table)[:10]))}); "
                       "set map_missing to keep or drop it")

    return _elementwise(mapper)


def _type_step(spec: dict, where: str) -> _Step | None:
    return _elementwise(_converter(spec["type"], where)) if "type" in spec else None


def _reduce_step(spec: dict, where: str) -> _Step | None:
    return _reducer(spec["reduce"], where) if "reduce" in spec else None


def _join_step(spec: dict, where: str) -> _Step | None:
    if "join" not in spec:
        return None
    joiner = spec["join"]
    if not isinstance(joiner, str):
        raise opt_error(where + "/join", "expected a separator string")

    def join(v: Any, ctx: dict) -> Any:
        if isinstance(v, list):
            return joiner.join(_as_str(e, "join") for e in v)
        return v

    return join


#: the transforms' builders, in the order the transforms apply
_STEP_BUILDERS: tuple[Callable[[dict, str], _Step | None], ...] = (
    _keys_values_step, _pick_step, _flatten_step, _split_step, _index_step, _regex_step, _strip_step,
    _lower_step, _map_step, _type_step, _reduce_step, _join_step,
)


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
        t = scalar_text(e).strip().lower()
        if t in ("true", "yes", "1"):
            return True
        if t in ("false", "no", "0", ""):
            return False
        raise MapError(f"cannot convert {e!r} to a boolean")

    table = {"str": lambda e: scalar_text(e), "int": to_int, "float": to_float, "bool": to_bool}
    if kind not in table:
        raise opt_error(where + "/type", f"expected str, int, float or bool, found {kind!r}")
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
        raise opt_error(where + "/reduce", f"unknown reduction {kind!r}")
    return reduce
