"""What the registry holds: the registered components (readers, formatters,
metrics), tasks and plugins, as plain data classes.  :mod:`.plugins` fills a
registry with them; this module knows nothing of plugins or manifests files."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs

from .errors import RegistrationError

SPLITS = ("train", "dev", "test")


def _resolve(ref: Any) -> Any:
    if not isinstance(ref, str):
        return ref
    module, _, attr = ref.partition(":")
    obj = importlib.import_module(module)
    for part in attr.split(".") if attr else ():
        obj = getattr(obj, part)
    return obj


RECORD_KINDS = ("kb", "qa", "te", "pairs", "text", "t2t")
AGGREGATIONS = ("mean", "corpus")


@attrs.define
class Component:
    """A registered reader, formatter or metric.

    Readers have ``record_kind`` (one of :data:`RECORD_KINDS` or ``"any"``),
    formatters ``record_kinds``, both may have an ``options_schema``; metrics
    have ``higher_is_better`` and ``aggregation`` (:data:`AGGREGATIONS`)."""

    kind: str
    name: str
    ref: Any
    plugin: str
    description: str = ""
    record_kind: str = "kb"
    record_kinds: tuple[str, ...] = ("kb",)
    options_schema: Mapping[str, Any] | None = None
    higher_is_better: bool = True
    aggregation: str = "mean"
    _loaded: Any = None

    def load(self) -> Callable:
        """Import (once) and return the callable."""
        if self._loaded is None:
            try:
                self._loaded = _resolve(self.ref)
            except Exception as exc:  # a plugin bug, reported as such
                raise RegistrationError(
                    f"{self.kind} {self.name!r} of plugin {self.plugin!r} cannot be imported from {self.ref!r}: "
                    f"{type(exc).__name__}: {exc}"
                ) from exc
        return self._loaded


@attrs.define
class TaskSpec:
    """A registered task: its manifest, where it came from, and its bundled samples."""

    id: str
    manifest: dict[str, Any]
    plugin: str
    path: Path | None = None
    bundled: Path | None = None

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def category(self) -> str:
        return self.manifest["category"]

    @property
    def version(self) -> int:
        return int(self.manifest["version"])

    @property
    def dataset(self) -> Mapping[str, Any]:
        return self.manifest["dataset"]

    @property
    def metrics(self) -> list[str]:
        return list(self.manifest["metrics"])

    @property
    def primary_metric(self) -> str:
        return self.manifest.get("primary_metric") or self.manifest["metrics"][0]

    @property
    def instructions(self) -> list[str]:
        return list(self.manifest["instructions"])

    @property
    def splits(self) -> list[str]:
        return [s for s in SPLITS if s in self.manifest["source"]["splits"]]

    @property
    def medinst_config(self) -> str | None:
        return (self.manifest.get("medinst") or {}).get("config")

    @property
    def license(self) -> str:
        """The licence expression (an old custom licence without an id: its name)."""
        from .licenses import license_id

        return license_id(self.dataset.get("license"))

    def summary(self) -> dict[str, Any]:
        """The object ``medinst tasks --json`` prints."""
        from .licenses import commercial_use

        medinst = self.manifest.get("medinst") or {}
        return {
            "id": self.id,
            "name": self.name,
            "category": self.category,
            "dataset": self.dataset["name"],
            "plugin": self.plugin,
            "medinst_config": medinst.get("config"),
            "splits": self.splits,
            "published_counts": medinst.get("counts"),
            "metrics": self.metrics,
            "primary_metric": self.primary_metric,
            "licence": self.license,
            "access": self.dataset.get("access"),
            "commercial_use": commercial_use(self.dataset),
            "version": self.version,
        }


@attrs.define
class PluginInfo:
    """What ``medinst plugins`` reports about one plugin."""

    name: str
    version: str | None
    distribution: str | None
    builtin: bool
    hooks: list[str] = attrs.field(factory=list)
    tasks: list[str] = attrs.field(factory=list)
    errors: list[str] = attrs.field(factory=list)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "version": self.version,
            "distribution": self.distribution,
            "builtin": self.builtin,
            "hooks": self.hooks,
            "tasks": self.tasks,
        }
        if self.errors:
            data["error"] = "; ".join(self.errors)
        return data
