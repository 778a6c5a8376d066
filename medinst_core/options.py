"""Reader and formatter options: declared once, in the JSON Schema a
component registers (``default`` and ``description`` for each property), and
filled in from there before the component is called, so a reader or formatter
finds every option it declares in its options mapping."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any


def with_defaults(schema: Mapping[str, Any] | None, options: Mapping[str, Any] | None) -> dict[str, Any]:
    """``options`` with the ``default`` of every top-level property of
    ``schema`` the options do not set (a copy; defaults are copied too, so a
    component may keep what it is given)."""
    filled = dict(options or {})
    for name, prop in ((schema or {}).get("properties") or {}).items():
        if name not in filled and isinstance(prop, Mapping) and "default" in prop:
            filled[name] = copy.deepcopy(prop["default"])
    return filled


def describe(schema: Mapping[str, Any] | None) -> list[tuple[str, str, str, str]]:
    """``(name, accepted values, default, description)`` of each top-level
    property of ``schema``, in declaration order (required ones say so)."""
    schema = schema or {}
    required = set(schema.get("required") or ())
    rows = []
    for name, prop in (schema.get("properties") or {}).items():
        if name in required:
            default = "(required)"
        elif "default" in prop:
            default = _json(prop["default"])
        else:
            default = ""
        rows.append((name, _accepted(prop), default, str(prop.get("description", ""))))
    return rows


def _json(value: Any) -> str:
    import orjson

    return orjson.dumps(value).decode()


def _accepted(prop: Mapping[str, Any]) -> str:
    if "enum" in prop:
        return " | ".join(_json(v) for v in prop["enum"])
    kind = prop.get("type")
    if isinstance(kind, list):
        return " | ".join(kind)
    if kind:
        return str(kind)
    if "anyOf" in prop:
        return " | ".join(_accepted(p) for p in prop["anyOf"] if isinstance(p, Mapping)) or "any"
    if "$ref" in prop:
        return prop["$ref"].rsplit("/", 1)[-1]
    return "any"
