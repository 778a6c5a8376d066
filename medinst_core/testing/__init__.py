"""Test helpers for plugin authors (and the core's own tests).

Installed as a pytest plugin (entry point ``pytest11: medinst``), so any test
suite running where medinst-core is installed gets these fixtures:

``medinst_registry``
    A fresh registry holding only the core's default plugins: installed
    third-party plugins are *not* loaded, so tests are not affected by what
    happens to be installed.

``medinst_real_data``
    The folder named by ``MEDINST_REAL_DATA`` holding real downloads, for
    tests on the real files; skips the test when it is unset or missing.

``medinst_register``
    ``medinst_register(plugin_object, name="x")`` adds a plugin to a fresh
    registry, makes it the process-wide registry (what the CLI and the Python
    API use) for the rest of the test, and returns it; undone at teardown.

And a conformance base class; a plugin's whole test file can be::

    from medinst_core.testing import TaskConformance

    class TestBiosses(TaskConformance):
        plugin = "medinst_biosses"          # the module your entry point names

It checks every task the plugin registers: the manifest validates (schema,
reader/formatter/metric names, their option schemas); the bundled samples
build; sample ids are unique; samples validate against the sample schema;
building twice gives byte-identical files; and gold outputs score perfectly
on each metric where the metric allows it.

Helpers for a plugin's own tests::

    from medinst_core.testing import plugin_registry_fixture, sample_outputs, task_samples

    registry = plugin_registry_fixture("medinst_biosses")   # a module-scoped fixture

    def test_bundled_train(registry):
        folder = registry.tasks["biosses.sts"].bundled
        samples = task_samples(registry, "biosses.sts", "train", folder, bundled=True)
        assert sample_outputs(samples) == {"1": "4", "3": "0"}

``plugin_registry(plugin)``
    A fresh registry with the core's default plugins and that plugin module.
``plugin_registry_fixture(plugin)``
    The same as a pytest fixture; assign it to the name tests ask for.
``task_samples(registry, task_id, split, folder, *, bundled=False)``
    Every sample of a task split, in memory, from the files the task's
    patterns find below ``folder``.
``samples_of_files(registry, task_id, split, *paths)``
    The samples the task makes of exactly these files (role ``data``).
``sample_outputs(samples)``
    ``{key: output}``, the key being the sample id after ``task:split:``.
``require_path(path)``
    ``path``, or skip the test when it does not exist (a real file that is
    not downloaded).

For a corpus in BRAT standoff format, an independent reading of the
annotation files and the samples the core ``kb`` formatters should make of
them: :mod:`medinst_core.testing.brat` (``parse_standoff``,
``standoff_documents``, ``count_documents``, ``ner_brackets``,
``assert_samples_match_standoff``, ``SharedTaskChecks``...).  Its names are
also found here (loaded on first use), for tests written before it had a
module of its own.

The package: :mod:`.kit` (fixtures and helpers), :mod:`.conformance`
(:class:`TaskConformance`), :mod:`.brat` (the BRAT kit).
"""

from __future__ import annotations

from typing import Any

import pytest

# this package is a pytest plugin: let pytest rewrite the asserts of its modules
pytest.register_assert_rewrite("medinst_core.testing.kit", "medinst_core.testing.conformance", "medinst_core.testing.brat")

# resolve_split and SplitStats are re-exported for plugin tests (find a split's files as a
# build does; count an outcome)
from ..pipeline import SplitStats, resolve_split  # noqa: E402
from .conformance import TaskConformance  # noqa: E402
from .kit import (  # noqa: E402
    APPLEDOUBLE,
    add_macos_companions,
    assert_readme_table_current,
    assert_split_builds,
    medinst_real_data,
    medinst_register,
    medinst_registry,
    plugin_registry,
    plugin_registry_fixture,
    registered,
    require_path,
    sample_outputs,
    samples_of_files,
    task_samples,
    write_file,
)

__all__ = [
    "APPLEDOUBLE", "SplitStats", "TaskConformance", "add_macos_companions", "assert_readme_table_current",
    "assert_split_builds", "medinst_real_data",
    "medinst_register", "medinst_registry", "plugin_registry", "plugin_registry_fixture", "registered",
    "require_path", "resolve_split", "sample_outputs", "samples_of_files", "task_samples", "write_file",
]


def __getattr__(name: str) -> Any:
    # the BRAT kit (medinst_core.testing.brat) is loaded on first use, so
    # importing this package stays cheap ("brat" itself is left to the import
    # system, which asks for it before loading the submodule)
    if not name.startswith("__") and name != "brat":
        from . import brat

        if name in brat.__all__:
            return getattr(brat, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
