"""The hooks a medinst plugin can implement.

A plugin is a module (or any object) with functions decorated by
:data:`medinst_core.hookimpl` whose names are the hook names below.  It is
found through the ``medinst`` entry-point group of its distribution::

    [project.entry-points.medinst]
    bc5cdr = "medinst_bc5cdr"

Every hook is *registration style*: medinst calls it with a ``register``
callable and the plugin calls ``register`` once per thing it provides.  The
core's own readers, formatters and metrics are registered through exactly the
same hooks by the default plugins in :mod:`medinst_core.default_plugins`.

Implementations may accept fewer arguments than the spec declares (pluggy's
"opt-in arguments"), so new arguments can be added without breaking plugins.

Things registered by name (readers, formatters, metrics, tasks) live in one
namespace per kind.  Registering a name that another plugin already registered
is an error that names both plugins; nothing is silently overwritten.

Heavy imports belong inside the registered callables, not at module level:
``register`` accepts a ``"package.module:function"`` string that is imported
only when the thing is first used, which keeps ``medinst`` start-up fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pluggy

if TYPE_CHECKING:  # pragma: no cover
    from collections.abc import Iterable, Iterator, Mapping, Sequence
    from pathlib import Path

    from .diagnostics import Diagnostics
    from .records import Record
    from .samples import Draft
    from .sources import SourceFiles

hookspec = pluggy.HookspecMarker("medinst")
hookimpl = pluggy.HookimplMarker("medinst")


# ---------------------------------------------------------------------------
# The callables plugins provide
# ---------------------------------------------------------------------------


class Reader(Protocol):
    """Turns the native files of one split into harmonized records, streaming.

    :param files: the resolved files of the split, by role
        (``files.one("data")``, ``files.all("data")``).
    :param options: the ``source.options`` object of the task manifest.
    :param diagnostics: counts warnings the manifest chose to tolerate
        (``diagnostics.warn(code, message)``).
    :returns: an iterator of records; it must not read a whole large file into
        memory.  Malformed input raises :class:`medinst_core.errors.SourceError`
        naming the file, the line and what was expected.

    Optional: a reader able to start at a record boundary inside a file sets
    an attribute ``ranges`` on its function (a
    :class:`medinst_core.readers.ranges.RangeReading`: cut points and counters);
    ``medinst build --jobs N`` then cuts one large file into byte ranges and
    calls the reader as ``reader(files, options, diagnostics, part=part)``
    once per range (see :mod:`medinst_core.shards`).  A reader of many files
    whose records from each file depend only on that file (and the files it
    finds beside it by name) sets an attribute ``file_groups`` (a
    :class:`medinst_core.readers.file_groups.FileGroups`): a split of many
    files is then cut into contiguous groups of its files, each read by a
    worker as if it were the split.  Readers without them are called as above.

    An empty (or white-space only) file among the split's files is an error of
    the build (a download or copy cut short), except annotation files named
    by the reader's ``suffixes`` option; a reader that reads blank files on
    purpose (and counts them) says so with ``reader.reads_blank_files = True``.
    """

    def __call__(
        self, files: SourceFiles, options: Mapping[str, Any], diagnostics: Diagnostics
    ) -> Iterator[Record]: ...


class Formatter(Protocol):
    """Turns one record into zero or more sample drafts.

    :param record: a harmonized record.
    :param options: the ``formatter.options`` object of the task manifest.
    :param diagnostics: as for readers.
    :returns: :class:`medinst_core.samples.Draft` objects (``input``,
        ``output`` and an optional ``key`` that makes the sample id unique when
        one record gives several samples).  The core adds the id, the task
        and the instruction, and applies the task's ``empty_output`` policy to
        drafts whose output is empty.
    """

    def __call__(
        self, record: Record, options: Mapping[str, Any], diagnostics: Diagnostics
    ) -> Iterable[Draft]: ...


class MetricFunction(Protocol):
    """Scores predictions against gold answers of one task.

    :param golds: gold outputs, one per sample.
    :param predictions: model answers, aligned with ``golds``.
    :returns: a :class:`medinst_core.metrics.MetricResult`: the task-level
        ``score`` and, for per-sample metrics, the ``per_sample`` scores.
    """

    def __call__(self, golds: Sequence[str], predictions: Sequence[str]) -> Any: ...


# ---------------------------------------------------------------------------
# The ``register`` callables medinst hands to the hooks
# ---------------------------------------------------------------------------
#
# Every keyword is keyword-only and checked: an unknown keyword (a misspelling)
# or a value of the wrong kind is a load problem naming the plugin, never a
# component registered with defaults.


class RegisterReader(Protocol):
    def __call__(
        self,
        name: str,
        reader: Reader | str,
        *,
        description: str = "",
        record_kind: str = "kb",
        options_schema: Mapping[str, Any] | None = None,
    ) -> None: ...


class RegisterFormatter(Protocol):
    def __call__(
        self,
        name: str,
        formatter: Formatter | str,
        *,
        description: str = "",
        record_kinds: Sequence[str] = ("kb",),
        options_schema: Mapping[str, Any] | None = None,
    ) -> None: ...


class RegisterMetric(Protocol):
    def __call__(
        self,
        name: str,
        function: MetricFunction | str,
        *,
        higher_is_better: bool,
        aggregation: str,
        description: str = "",
    ) -> None: ...


class RegisterTasks(Protocol):
    def __call__(self, source: str | Path | Mapping[str, Any], *, bundled: str | Path | None = None) -> None: ...


class RegisterSuite(Protocol):
    def __call__(self, source: str | Path | Mapping[str, Any]) -> None: ...


# ---------------------------------------------------------------------------
# Hook specifications
# ---------------------------------------------------------------------------


@hookspec
def register_readers(register: RegisterReader) -> None:
    """Register source readers.

    Call ``register(name, reader, *, description="", record_kind="kb",
    options_schema=None)`` once per reader.

    :param name: the name manifests use in ``source.reader`` (lower case,
        e.g. ``"pubtator"``).
    :param reader: a :class:`Reader` or a ``"module:function"`` string.
    :param description: one line shown by ``medinst plugins``.
    :param record_kind: the kind of record it yields (``kb``, ``qa``, ``te``,
        ``pairs``, ``text``, ``t2t``), or ``"any"`` when the manifest options decide.
    :param options_schema: a JSON Schema for ``source.options``; manifests are
        validated against it by ``medinst validate``.

    An unknown keyword, a record kind that does not exist or a hook name that
    is not one of these (``register_task``) is a load problem reported under
    the plugin's name by ``medinst plugins`` (fatal with
    ``MEDINST_STRICT_PLUGINS=1``).

    Example::

        @hookimpl
        def register_readers(register):
            register("bioinfer_xml", "medinst_bioinfer.reader:read",
                     description="BioInfer unified PPI XML")
    """


@hookspec
def register_formatters(register: RegisterFormatter) -> None:
    """Register task formatters.

    Call ``register(name, formatter, *, description="", record_kinds=("kb",),
    options_schema=None)`` once per formatter; ``formatter`` is a
    :class:`Formatter` or a ``"module:function"`` string.  ``record_kinds``
    lists the record kinds it accepts; a manifest pairing it with a reader of
    another kind fails validation.
    """


@hookspec
def register_metrics(register: RegisterMetric) -> None:
    """Register metrics.

    Call ``register(name, function, *, higher_is_better, aggregation,
    description="")`` once per metric.  ``function`` is a
    :class:`MetricFunction` or a ``"module:function"`` string;
    ``aggregation`` is ``"mean"`` (average of per-sample scores) or
    ``"corpus"`` (computed over all samples at once, e.g. macro F1).
    """


@hookspec
def register_tasks(register: RegisterTasks) -> None:
    """Register task manifests.

    Call ``register(path, *, bundled=None)`` where ``path`` is a manifest JSON
    file or a folder of them (every ``*.json`` file in it, one task each,
    except bases named ``_*.json``), or a manifest already loaded as a
    ``dict``.  A manifest may ``"extends"`` bases (see CONTRIBUTING.md).  ``bundled`` is the folder of
    small native-format sample files used by ``medinst build --bundled`` and
    the conformance tests; by default the ``samples`` folder next to the
    manifest folder.

    Example, the whole ``__init__.py`` of a typical dataset plugin::

        from pathlib import Path
        from medinst_core import hookimpl

        @hookimpl
        def register_tasks(register):
            register(Path(__file__).parent / "tasks")
    """


@hookspec
def register_suites(register: RegisterSuite) -> None:
    """Register suites: named, declarative selections of tasks (``medinst32``).

    Call ``register(path)`` with a suite JSON file (``schema/suite.schema.json``)
    or ``register(dict)``.
    """
