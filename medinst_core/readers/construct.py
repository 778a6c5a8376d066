"""Fast construction of records' parts from values that are already
canonical: :func:`fast_constructor` and :data:`make_entity` fill an attrs
class's slots directly instead of running its converters again (the hot
readers use them; ``MEDINST_CHECKED_RECORDS=1`` turns them back into the
ordinary constructors, which the readers' tests compare against)."""

from __future__ import annotations

from typing import Any

import attrs

from ..envvars import switch
from ..records import Entity

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
    if switch("MEDINST_CHECKED_RECORDS") or setters is None:
        return cls
    defaults: dict[str, Any] = {}
    for f in attrs.fields(cls):
        if isinstance(f.default, attrs.Factory):  # type: ignore[arg-type]  # pragma: no cover - the records use plain defaults
            return cls
        if f.default is not attrs.NOTHING:
            defaults[f.name] = f.default

    # a function with the class's fields as keyword-only parameters (their
    # defaults as defaults) that calls each slot setter once: no loop, no dict
    # of fields at run time
    namespace: dict[str, Any] = {"_new": _new, "_cls": cls}
    params, body = [], []
    for k, (name, put) in enumerate(setters):
        namespace[f"_put{k}"] = put
        if name in defaults:
            namespace[f"_default{k}"] = defaults[name]
            params.append(f"{name}=_default{k}")
        else:
            params.append(name)
        body.append(f"    _put{k}(obj, {name})")
    source = "def build(*, " + ", ".join(params) + "):\n    obj = _new(_cls)\n" + "\n".join(body) + "\n    return obj\n"
    exec(compile(source, f"<fast constructor of {cls.__name__}>", "exec"), namespace)  # noqa: S102 - generated from field names
    build = namespace["build"]
    build.__doc__ = f"Build a {cls.__name__} from canonical values (see fast_constructor)."
    return build


def positional_constructor(cls):
    """A constructor ``build(value, ...)`` taking every field of an attrs slots
    class positionally, in declaration order, from canonical values (see
    :func:`fast_constructor`): one slot store per field, no keyword handling,
    for the classes built once per mention or argument.  With
    ``MEDINST_CHECKED_RECORDS=1`` (or a class it cannot fill) it calls the
    ordinary constructor."""
    setters = _slot_setters(cls)
    names = [f.name for f in attrs.fields(cls)]
    if switch("MEDINST_CHECKED_RECORDS") or setters is None:
        def checked(*values):
            return cls(**dict(zip(names, values, strict=True)))

        return checked
    params = ", ".join(f"v{i}" for i in range(len(setters)))
    body = "".join(f"    s{i}(obj, v{i})\n" for i in range(len(setters)))
    namespace: dict[str, Any] = {"_new": _new, "_cls": cls, **{f"s{i}": put for i, (_, put) in enumerate(setters)}}
    exec(f"def build({params}):\n    obj = _new(_cls)\n{body}    return obj\n", namespace)  # noqa: S102 - generated from field counts only
    build = namespace["build"]
    build.__doc__ = f"Build a {cls.__name__} from canonical values, its fields in order (see positional_constructor)."
    return build


def _entity_maker():
    names = tuple(f.name for f in attrs.fields(Entity))
    setters = _slot_setters(Entity)
    if (
        names != ("id", "type", "text", "offsets", "normalized", "attributes")
        or setters is None
        or switch("MEDINST_CHECKED_RECORDS")
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
