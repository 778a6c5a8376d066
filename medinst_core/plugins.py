"""Loading plugins and collecting what they register.

The built-in readers, formatters, metrics and suites are *default plugins*
(:data:`DEFAULT_PLUGINS`), registered exactly like third-party plugins, which
come from the ``medinst`` entry-point group.  Each entry point is loaded on its
own and each of its hook implementations is called on its own, so one broken
plugin is recorded with its error and skipped while the rest keeps working.

Environment variables:

``MEDINST_LOAD_PLUGINS``
    Comma-separated entry-point or distribution names to load; empty loads
    none.  Unset loads all.
``MEDINST_STRICT_PLUGINS=1``
    Any load problem (import error, failing hook, invalid manifest, name
    conflict) makes the CLI exit with status 1.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import os
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .components import AGGREGATIONS, RECORD_KINDS, Component, PluginInfo, TaskSpec
from .envvars import switch
from .errors import MedinstError, RegistrationError, UsageError, did_you_mean

if TYPE_CHECKING:  # importlib.metadata is imported only when entry points are loaded
    from importlib import metadata

DEFAULT_PLUGINS: tuple[str, ...] = (
    "medinst_core.default_plugins.readers",
    "medinst_core.default_plugins.formatters",
    "medinst_core.default_plugins.metrics",
    "medinst_core.default_plugins.suites",
)

#: what a plugin's import or hook may raise without stopping medinst: any
#: exception, and also SystemExit and KeyboardInterrupt raised by plugin code
PLUGIN_FAULTS = (Exception, SystemExit, KeyboardInterrupt)

HOOKS = ("register_readers", "register_formatters", "register_metrics", "register_tasks", "register_suites")


def _checked(register: Callable[..., None], hook: str) -> Callable[..., None]:
    """``register`` with its arguments checked against its signature first, so
    a misspelt keyword is a :class:`RegistrationError` naming the hook and the
    keywords it takes, not a component registered with defaults."""
    signature = inspect.signature(register)
    params = [p for p in signature.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]

    @functools.wraps(register)
    def checked(*args: Any, **kwargs: Any) -> None:
        for key in kwargs:
            if key not in signature.parameters:
                known = [p.name for p in params]
                raise RegistrationError(
                    f"{hook}: register() got an unknown keyword {key!r}{did_you_mean(key, known)}; "
                    f"it takes {', '.join(known) or 'no keywords'}"
                )
        try:
            signature.bind(*args, **kwargs)
        except TypeError as exc:
            raise RegistrationError(f"{hook}: register{signature}: {exc}") from None
        register(*args, **kwargs)

    return checked


class Registry:
    """Everything the loaded plugins registered, by kind and name."""

    def __init__(self) -> None:
        import pluggy

        from . import hookspecs

        self.pm = pluggy.PluginManager("medinst")
        self.pm.add_hookspecs(hookspecs)
        self.readers: dict[str, Component] = {}
        self.formatters: dict[str, Component] = {}
        self.metrics: dict[str, Component] = {}
        self.tasks: dict[str, TaskSpec] = {}
        self.suites: dict[str, dict[str, Any]] = {}
        self.plugins: dict[str, PluginInfo] = {}
        #: (plugin name, message) for every load problem
        self.problems: list[tuple[str, str]] = []
        #: (kind, name) pairs two plugins registered: refused for good
        self._refused: set[tuple[str, str]] = set()

    # -- problems ----------------------------------------------------------
    def problem(self, plugin: str, message: str) -> None:
        self.problems.append((plugin, message))
        if plugin in self.plugins:
            self.plugins[plugin].errors.append(message)

    # -- lookups with did-you-mean -------------------------------------------
    def _get(self, table: Mapping[str, Any], kind: str, name: str) -> Any:
        try:
            return table[name]
        except KeyError:
            raise UsageError(f"unknown {kind} {name!r}{did_you_mean(name, table)}") from None

    def reader(self, name: str) -> Component:
        return self._get(self.readers, "reader", name)

    def formatter(self, name: str) -> Component:
        return self._get(self.formatters, "formatter", name)

    def metric(self, name: str) -> Component:
        return self._get(self.metrics, "metric", name)

    def task(self, task_id: str) -> TaskSpec:
        return self._get(self.tasks, "task", task_id)

    def suite(self, name: str) -> dict[str, Any]:
        return self._get(self.suites, "suite", name)

    def select_tasks(
        self,
        ids: Iterable[str] = (),
        *,
        category: str | None = None,
        dataset: str | None = None,
        suite: str | None = None,
    ) -> list[TaskSpec]:
        """Tasks by id (or all), filtered; ids may also be a plugin name (all its tasks)."""
        ids = list(ids)
        if ids:
            chosen: dict[str, TaskSpec] = {}
            for tid in ids:
                if tid in self.tasks:
                    chosen[tid] = self.tasks[tid]
                elif tid in self.plugins and self.plugins[tid].tasks:
                    chosen.update((t, self.tasks[t]) for t in self.plugins[tid].tasks if t in self.tasks)
                else:
                    self.task(tid)  # raises with did-you-mean
            tasks = list(chosen.values())
        else:
            tasks = [self.tasks[t] for t in sorted(self.tasks)]
        if category:
            tasks = [t for t in tasks if t.category.lower() == category.lower()]
        if dataset:
            tasks = [t for t in tasks if dataset.lower() in (t.dataset["name"].lower(), t.plugin.lower())]
        if suite:
            members = {entry["task"] for entry in self.suite(suite)["tasks"]}
            tasks = [t for t in tasks if t.id in members]
        return tasks

    # -- loading -----------------------------------------------------------
    def add_plugin(self, obj: Any, name: str, *, version: str | None, distribution: str | None, builtin: bool) -> None:
        """Register a plugin object with pluggy (hooks are called by :meth:`collect`)."""
        if name in self.plugins:
            other = self.plugins[name]
            raise RegistrationError(
                f"plugin name {name!r} is claimed by both {other.distribution or other.name} and {distribution or name}"
            )
        self.plugins[name] = PluginInfo(name=name, version=version, distribution=distribution, builtin=builtin)
        self.pm.register(obj, name=name)
        callers = [caller.name for caller in (self.pm.get_hookcallers(obj) or [])]
        self.plugins[name].hooks = sorted(c for c in callers if c in HOOKS)
        for hook in sorted(c for c in callers if c not in HOOKS):
            self.problem(name, f"implements the unknown hook {hook!r}{did_you_mean(hook, HOOKS)}; the hooks are {', '.join(HOOKS)}")
        for hook in HOOKS:
            if hook not in callers and callable(getattr(obj, hook, None)):
                self.problem(name, f"defines {hook}() without the @hookimpl marker, so it is never called")

    def collect(self) -> None:
        """Call every hook implementation of every plugin, one at a time, in a fixed order."""
        order = {name: i for i, name in enumerate(self.plugins)}
        for hook in HOOKS:
            impls = sorted(getattr(self.pm.hook, hook).get_hookimpls(), key=lambda i: order.get(i.plugin_name, 0))
            for impl in impls:
                plugin = impl.plugin_name
                register = _checked(functools.partial(getattr(self, "_register_" + hook[len("register_"):]), plugin), hook)
                try:
                    impl.function(**({"register": register} if "register" in impl.argnames else {}))
                except MedinstError as exc:
                    self.problem(plugin, f"{hook}: {exc}")
                except PLUGIN_FAULTS as exc:  # a plugin bug must not take the CLI down
                    self.problem(plugin, f"{hook} raised {type(exc).__name__}: {exc}")
        self._check_tasks()

    # -- namespaces ----------------------------------------------------------
    #
    # A plugin owns the names that start with its namespace (its entry-point
    # name, e.g. ``bc5cdr``): task ids ``bc5cdr.<task>``, reader, formatter and
    # metric names ``bc5cdr`` or ``bc5cdr_<name>``.  The core's default plugins
    # own the plain names.  So a plugin cannot take over another's task, and a
    # clash that still happens (two distributions of one name) keeps neither.

    def _outside_namespace(self, plugin: str, kind: str, name: str) -> str | None:
        info = self.plugins.get(plugin)
        if info is None or info.builtin:
            return None
        ns = namespace(plugin)
        if kind == "task":
            if name.startswith(ns + "."):
                return None
            return f"task id {name!r} is outside the plugin's namespace: its task ids must start with {ns + '.'!r}"
        if name == ns or name.startswith((ns + "_", ns + ".")):
            return None
        return f"{kind} name {name!r} is outside the plugin's namespace: it must be {ns!r} or start with {ns + '_'!r}"

    def _clash(self, table: dict[str, Any], kind: str, name: str, plugin: str) -> bool:
        """Report a name registered twice under both plugins; the core keeps its
        own names, between two plugins neither is kept."""
        if name not in table:
            return False
        first = table[name].plugin
        message = f"{kind} {name!r} is registered by both {self._dist(first)} and {self._dist(plugin)}"
        if self.plugins.get(first) is not None and self.plugins[first].builtin:
            self.problem(plugin, f"{message}; the core's {kind} is kept")
            return True
        self.problem(first, f"{message}; neither is used")
        self.problem(plugin, f"{message}; neither is used")
        del table[name]
        if kind == "task":
            self.plugins[first].tasks.remove(name)
        self._refused.add((kind, name))
        return True

    def _component(self, table: dict[str, Component], component: Component) -> None:
        name = component.name
        if not isinstance(name, str) or not name:
            raise RegistrationError(f"{component.kind} name must be a non-empty string, got {name!r}")
        if not isinstance(component.description, str):
            raise RegistrationError(f"{component.kind} {name!r}: description must be a string")
        outside = self._outside_namespace(component.plugin, component.kind, name)
        if outside:
            raise RegistrationError(outside)
        if (component.kind, name) in self._refused or self._clash(table, component.kind, name, component.plugin):
            return
        table[name] = component

    def _dist(self, plugin: str) -> str:
        info = self.plugins.get(plugin)
        return (info.distribution if info and info.distribution else plugin) if info else plugin

    @staticmethod
    def _check_schema(kind: str, name: str, options_schema: Any) -> None:
        if options_schema is not None and not isinstance(options_schema, Mapping):
            raise RegistrationError(f"{kind} {name!r}: options_schema must be a JSON Schema object, got {options_schema!r}")

    def _register_readers(
        self,
        plugin: str,
        name: str,
        reader: Any,
        *,
        description: str = "",
        record_kind: str = "kb",
        options_schema: Mapping[str, Any] | None = None,
    ) -> None:
        if record_kind not in (*RECORD_KINDS, "any"):
            raise RegistrationError(
                f"reader {name!r}: record_kind {record_kind!r} is not one of {', '.join((*RECORD_KINDS, 'any'))}"
                f"{did_you_mean(str(record_kind), RECORD_KINDS)}"
            )
        self._check_schema("reader", name, options_schema)
        self._component(self.readers, Component(
            kind="reader", name=name, ref=reader, plugin=plugin, description=description,
            record_kind=record_kind, options_schema=options_schema,
        ))

    def _register_formatters(
        self,
        plugin: str,
        name: str,
        formatter: Any,
        *,
        description: str = "",
        record_kinds: Iterable[str] = ("kb",),
        options_schema: Mapping[str, Any] | None = None,
    ) -> None:
        kinds = (record_kinds,) if isinstance(record_kinds, str) else tuple(record_kinds)
        bad = [k for k in kinds if k not in RECORD_KINDS]
        if bad or not kinds:
            raise RegistrationError(
                f"formatter {name!r}: record_kinds must be some of {', '.join(RECORD_KINDS)}, got {list(kinds)}"
            )
        self._check_schema("formatter", name, options_schema)
        self._component(self.formatters, Component(
            kind="formatter", name=name, ref=formatter, plugin=plugin, description=description,
            record_kinds=kinds, options_schema=options_schema,
        ))

    def _register_metrics(
        self,
        plugin: str,
        name: str,
        function: Any,
        *,
        higher_is_better: bool,
        aggregation: str,
        description: str = "",
    ) -> None:
        if not isinstance(higher_is_better, bool):
            raise RegistrationError(f"metric {name!r}: higher_is_better must be True or False, got {higher_is_better!r}")
        if aggregation not in AGGREGATIONS:
            raise RegistrationError(
                f"metric {name!r}: aggregation {aggregation!r} is not one of {', '.join(AGGREGATIONS)}"
                f"{did_you_mean(str(aggregation), AGGREGATIONS)}"
            )
        self._component(self.metrics, Component(
            kind="metric", name=name, ref=function, plugin=plugin, description=description,
            higher_is_better=higher_is_better, aggregation=aggregation,
        ))

    def _register_tasks(self, plugin: str, source: Any, *, bundled: Any = None) -> None:
        from pathlib import Path

        from .manifest import load_manifests

        for path, manifest in load_manifests(source):
            default_bundled = path.parent.parent / "samples" if path is not None else None
            bundle = Path(bundled) if bundled is not None else default_bundled
            task_id = manifest["id"]
            outside = self._outside_namespace(plugin, "task", task_id)
            if outside:
                self.problem(plugin, f"{path or task_id}: {outside}")
                continue
            if ("task", task_id) in self._refused or self._clash(self.tasks, "task", task_id, plugin):
                continue
            self.tasks[task_id] = TaskSpec(
                id=task_id,
                manifest=manifest,
                plugin=plugin,
                path=path,
                bundled=bundle if bundle is not None and bundle.is_dir() else None,
            )
            self.plugins[plugin].tasks.append(task_id)

    def _register_suites(self, plugin: str, source: Any) -> None:
        from .manifest import load_json_document

        path, suite = load_json_document(source, schema="suite")
        name = suite["id"]
        if name in self.suites:
            raise RegistrationError(f"suite {name!r} is registered twice ({self._dist(plugin)})")
        suite = dict(suite, plugin=plugin, path=str(path) if path else None)
        self.suites[name] = suite

    def _check_tasks(self) -> None:
        """Cross-reference checks that need every plugin loaded (reader/formatter/metric names)."""
        from .crosscheck import cross_check

        for task_id in list(self.tasks):
            spec = self.tasks[task_id]
            errors = cross_check(spec, self)
            if errors:
                del self.tasks[task_id]
                self.plugins[spec.plugin].tasks.remove(task_id)
                for err in errors:
                    self.problem(spec.plugin, str(err))


def namespace(plugin: str) -> str:
    """The prefix a plugin's names must carry: its entry-point name
    (``medinst_bc5cdr``, the module, gives ``bc5cdr`` too), hyphens as underscores."""
    ns = plugin.replace("-", "_")
    return ns[len("medinst_"):] if ns.startswith("medinst_") and len(ns) > len("medinst_") else ns


def _entry_points() -> list[metadata.EntryPoint]:
    from importlib import metadata

    return sorted(metadata.entry_points(group="medinst"), key=lambda ep: ep.name)


def load_registry(*, entrypoints: bool = True, plugins: Iterable[tuple[str, Any]] = ()) -> Registry:
    """A fresh registry: default plugins, then (optionally) entry points, then
    ``plugins`` given as ``(name, object)`` pairs (used by tests)."""
    reg = Registry()
    for module_name in DEFAULT_PLUGINS:
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # a broken install; report it like any plugin
            reg.plugins[module_name] = PluginInfo(module_name, __version__, "medinst-core", builtin=True)
            reg.problem(module_name, f"cannot be imported: {type(exc).__name__}: {exc}")
            continue
        reg.add_plugin(module, module_name, version=__version__, distribution="medinst-core", builtin=True)
    if entrypoints:
        _load_entrypoints(reg)
    for name, obj in plugins:
        reg.add_plugin(obj, name, version=None, distribution=None, builtin=False)
    reg.collect()
    return reg


def _name_and_version(dist: metadata.Distribution | None) -> tuple[str | None, str | None]:
    """A distribution's name and version, read from the head of its METADATA
    (``Distribution.name`` parses the whole file with the email package: a
    third of the start-up time with 93 plugins); the slow way when the head
    does not have them."""
    if dist is None:
        return None, None
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    name = version = None
    for line in text.split("\n\n", 1)[0].splitlines():
        if line.startswith("Name:"):
            name = line[5:].strip()
        elif line.startswith("Version:"):
            version = line[8:].strip()
    if not name or not version:
        return dist.name, dist.version
    return name, version


def _load_entrypoints(reg: Registry) -> None:
    wanted_env = os.environ.get("MEDINST_LOAD_PLUGINS")
    wanted = None if wanted_env is None else {w.strip() for w in wanted_env.split(",") if w.strip()}
    eps = _entry_points()
    facts = [_name_and_version(ep.dist) for ep in eps]
    claims: dict[str, list[str]] = {}
    for ep, (dist, _) in zip(eps, facts):
        claims.setdefault(ep.name, []).append(dist if dist is not None else ep.value)
    for ep, (dist, version) in zip(eps, facts):
        if wanted is not None and ep.name not in wanted and (dist or "") not in wanted:
            continue
        if len(set(claims[ep.name])) > 1 or ep.name in reg.plugins:
            # two distributions want one name (and so one namespace): load neither
            if ep.name not in reg.plugins:
                reg.plugins[ep.name] = PluginInfo(name=ep.name, version=None, distribution=None, builtin=False)
                reg.problem(ep.name, f"the plugin name {ep.name!r} is claimed by {' and '.join(sorted(set(claims[ep.name])))}; "
                                     "neither is loaded (uninstall one)")
            continue
        try:
            obj = ep.load()
        except PLUGIN_FAULTS as exc:
            reg.plugins[ep.name] = PluginInfo(name=ep.name, version=version, distribution=dist, builtin=False)
            reg.problem(ep.name, f"cannot be imported ({ep.value}): {type(exc).__name__}: {exc}")
            continue
        try:
            reg.add_plugin(obj, ep.name, version=version, distribution=dist, builtin=False)
        except PLUGIN_FAULTS as exc:  # pluggy validation errors, name clashes
            reg.plugins.setdefault(ep.name, PluginInfo(name=ep.name, version=version, distribution=dist, builtin=False))
            reg.problem(ep.name, f"cannot be registered: {type(exc).__name__}: {exc}")


_REGISTRY: Registry | None = None


def get_registry() -> Registry:
    """The process-wide registry, loaded on first use (entry points included)."""
    global _REGISTRY
    if _REGISTRY is None:
        _REGISTRY = load_registry()
    return _REGISTRY


def reset_registry() -> None:
    """Forget the process-wide registry (the next :func:`get_registry` reloads)."""
    global _REGISTRY
    _REGISTRY = None


def strict() -> bool:
    return switch("MEDINST_STRICT_PLUGINS")
