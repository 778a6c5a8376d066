"""Checks of a task's manifest against the registered components, which its
JSON Schema cannot express: the reader, formatter and metrics it names exist,
their record kinds agree, and (on request) its options match the schemas the
reader and formatter registered."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from .components import Component, TaskSpec
from .errors import ManifestError, did_you_mean
from .manifest import best_message


class ComponentTables(Protocol):
    """What the checks read of a registry: its components by name."""

    @property
    def readers(self) -> Mapping[str, Component]: ...
    @property
    def formatters(self) -> Mapping[str, Component]: ...
    @property
    def metrics(self) -> Mapping[str, Component]: ...


def cross_check(spec: TaskSpec, registry: ComponentTables, *, options: bool = False) -> list[ManifestError]:
    """Checks JSON Schema cannot express: the reader, formatter and metrics
    exist, their record kinds agree, the primary metric is one of the metrics,
    the task id starts with its plugin's slug, and (``options=True``) the
    reader and formatter options match the schemas they registered."""
    m = spec.manifest
    path = spec.path or f"<task {spec.id}>"
    errors: list[ManifestError] = []
    reader = registry.readers.get(m["source"]["reader"])
    if reader is None:
        name = m["source"]["reader"]
        errors.append(ManifestError(path, "/source/reader", f"unknown reader {name!r}{did_you_mean(name, registry.readers)}"))
    formatter = registry.formatters.get(m["formatter"]["name"])
    if formatter is None:
        name = m["formatter"]["name"]
        errors.append(
            ManifestError(path, "/formatter/name", f"unknown formatter {name!r}{did_you_mean(name, registry.formatters)}")
        )
    for i, name in enumerate(m["metrics"]):
        if name not in registry.metrics:
            errors.append(ManifestError(path, f"/metrics/{i}", f"unknown metric {name!r}{did_you_mean(name, registry.metrics)}"))
    primary = m.get("primary_metric")
    if primary is not None and primary not in m["metrics"]:
        errors.append(ManifestError(path, "/primary_metric", f"{primary!r} is not one of the task's metrics {m['metrics']}"))
    if reader is not None and formatter is not None and reader.record_kind != "any":
        kinds = formatter.record_kinds
        if reader.record_kind not in kinds:
            errors.append(
                ManifestError(
                    path,
                    "/formatter/name",
                    f"formatter {formatter.name!r} accepts {', '.join(kinds)} records but reader "
                    f"{reader.name!r} yields {reader.record_kind!r} records",
                )
            )
    errors.extend(_check_id_lists(m, path))
    errors.extend(_check_split_fields(m, path))
    if options:
        for comp, where in ((reader, "/source/options"), (formatter, "/formatter/options")):
            if comp is None or not comp.options_schema:
                continue
            import jsonschema  # loaded only when options are checked

            opts = m["source" if where.startswith("/source") else "formatter"].get("options", {})
            cls = jsonschema.validators.validator_for(comp.options_schema)
            for err in sorted(cls(comp.options_schema).iter_errors(opts), key=lambda e: list(map(str, e.absolute_path))):
                ptr, message = best_message(err)
                errors.append(ManifestError(path, where + (ptr if ptr != "/" else ""), message))
    return errors


def _check_id_lists(m: Mapping[str, Any], path) -> list[ManifestError]:
    """A ``source.select`` entry ``{"id_list": ROLE}`` names a file role the
    split declares (in ``splits`` and, when the split has them, ``bundled``)."""
    from .sources import normalize_roles

    errors = []
    source = m.get("source", {})
    for split, selection in (source.get("select") or {}).items():
        role = selection.get("id_list") if isinstance(selection, Mapping) else None
        if role is None:
            continue
        for table_name in ("splits", "bundled"):
            table = source.get(table_name) or {}
            if split not in table:
                continue
            if role not in normalize_roles(table[split]):
                errors.append(ManifestError(
                    path, f"/source/select/{split}/id_list",
                    f"role {role!r} is not among the file roles of source.{table_name}.{split} "
                    f"({', '.join(sorted(normalize_roles(table[split])))})",
                ))
    return errors


def _roles(spec: Any) -> list[str]:
    from .sources import normalize_roles

    return list(normalize_roles(spec))


def _check_split_fields(m: Mapping[str, Any], path) -> list[ManifestError]:
    """``source.optional_roles`` names roles some split has; ``source.official_splits``
    names splits the task has."""
    errors: list[ManifestError] = []
    declared = {role for table in ("splits", "bundled") for spec in (m.get("source", {}).get(table) or {}).values()
                for role in _roles(spec)}
    for i, role in enumerate(m.get("source", {}).get("optional_roles") or ()):
        if role not in declared:
            errors.append(ManifestError(path, f"/source/optional_roles/{i}", f"no split has a file role {role!r}"))
    for split in (m.get("source", {}).get("official_splits") or {}):
        if split not in m["source"].get("splits", {}):
            errors.append(ManifestError(
                path, f"/source/official_splits/{split}",
                f"the task has no {split!r} split (its splits: {', '.join(m['source'].get('splits', {}))})",
            ))
    return errors
