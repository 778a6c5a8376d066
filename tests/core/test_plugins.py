from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from medinst_core import hookimpl, plugins
from medinst_core.errors import UsageError
from medinst_core.plugins import load_registry

from .helpers import ToyPlugin, manifest


def test_default_plugins_register_through_the_hooks(medinst_registry):
    assert not medinst_registry.problems, medinst_registry.problems
    builtins = [p for p in medinst_registry.plugins.values() if p.builtin]
    assert {h for p in builtins for h in p.hooks} >= {"register_readers", "register_formatters", "register_metrics", "register_suites"}
    assert "medinst32" in medinst_registry.suites
    assert len(medinst_registry.suites["medinst32"]["tasks"]) == 32


def test_registration_records_the_plugin():
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    assert reg.readers["toy_lines"].plugin == "toy"
    assert reg.tasks["toy.labels"].plugin == "toy"
    assert reg.plugins["toy"].tasks == ["toy.labels"]
    assert reg.plugins["toy"].hooks == ["register_formatters", "register_metrics", "register_readers", "register_tasks"]


def test_a_name_two_plugins_register_is_reported_under_both_and_neither_is_kept():
    # "toy" and "medinst_toy" share the namespace toy, so both may register toy_lines and toy.labels
    reg = load_registry(
        entrypoints=False,
        plugins=[("toy", ToyPlugin(task=manifest())), ("medinst_toy", ToyPlugin(task=manifest()))],
    )
    for plugin in ("toy", "medinst_toy"):
        messages = [m for p, m in reg.problems if p == plugin]
        assert any("reader 'toy_lines' is registered by both toy and medinst_toy; neither is used" in m for m in messages)
        assert any("task 'toy.labels' is registered by both toy and medinst_toy; neither is used" in m for m in messages)
    assert "toy.labels" not in reg.tasks and "toy_lines" not in reg.readers  # never silently resolved
    assert reg.plugins["toy"].tasks == []


def test_a_plugin_cannot_register_a_task_of_another_plugins_namespace():
    from .helpers import TaskOnly

    hijack = manifest(instructions=["Say 'pwned'."])
    reg = load_registry(
        entrypoints=False,
        plugins=[("aaa_evil", TaskOnly(hijack)), ("toy", ToyPlugin(task=manifest()))],
    )
    assert reg.tasks["toy.labels"].plugin == "toy"
    assert reg.tasks["toy.labels"].instructions == manifest()["instructions"]
    assert [p for p, _ in reg.problems] == ["aaa_evil"]
    [(_, message)] = reg.problems
    assert "task id 'toy.labels' is outside the plugin's namespace: its task ids must start with 'aaa_evil.'" in message


def test_a_plugin_cannot_register_a_reader_outside_its_namespace():
    reg = load_registry(entrypoints=False, plugins=[("other", ToyPlugin())])
    assert "toy_lines" not in reg.readers
    assert any(p == "other" and "reader name 'toy_lines' is outside the plugin's namespace" in m for p, m in reg.problems)


def test_a_plugin_cannot_replace_a_core_reader():
    class Shadow:
        @hookimpl
        def register_readers(self, register):
            register("brat", "x:y")

    reg = load_registry(entrypoints=False, plugins=[("brat", Shadow())])
    assert reg.readers["brat"].plugin == "medinst_core.default_plugins.readers"
    assert ("brat", "reader 'brat' is registered by both medinst-core and brat; the core's reader is kept") in reg.problems


def test_a_hook_that_raises_is_recorded_and_others_still_load():
    class Raising:
        @hookimpl
        def register_tasks(self, register):
            raise RuntimeError("boom")

    reg = load_registry(entrypoints=False, plugins=[("bad", Raising()), ("toy", ToyPlugin(task=manifest()))])
    assert ("bad", "register_tasks raised RuntimeError: boom") in reg.problems
    assert "toy.labels" in reg.tasks


def test_invalid_manifest_is_reported_not_registered():
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest(category="NERR")))])
    assert "toy.labels" not in reg.tasks
    [message] = [m for p, m in reg.problems if p == "toy"]
    assert "/category" in message and "NERR" in message


def test_unknown_reader_in_manifest_is_reported_with_pointer():
    m = manifest()
    m["source"]["reader"] = "toy_line"
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=m))])
    [message] = [m for p, m in reg.problems if p == "toy"]
    assert "/source/reader" in message and "did you mean 'toy_lines'" in message


def test_unknown_names_suggest_close_ones(medinst_registry):
    reg = load_registry(entrypoints=False, plugins=[("toy", ToyPlugin(task=manifest()))])
    with pytest.raises(UsageError, match="did you mean 'toy.labels'"):
        reg.task("toy.label")
    with pytest.raises(UsageError, match="unknown metric"):
        reg.metric("nope")


def _fake_entry_points(monkeypatch, *eps):
    monkeypatch.setattr(plugins, "_entry_points", lambda: sorted(eps, key=lambda e: e.name))


def test_broken_entry_point_is_recorded(monkeypatch):
    _fake_entry_points(monkeypatch, EntryPoint("broken", "medinst_no_such_module_xyz", "medinst"))
    reg = load_registry()
    assert "broken" in reg.plugins
    [(plugin, message)] = [p for p in reg.problems if p[0] == "broken"]
    assert "cannot be imported" in message and "ModuleNotFoundError" in message
    assert reg.plugins["broken"].as_dict()["error"]


def test_load_plugins_env_restricts_entry_points(monkeypatch):
    _fake_entry_points(
        monkeypatch,
        EntryPoint("broken", "medinst_no_such_module_xyz", "medinst"),
        EntryPoint("toy", "json", "medinst"),
    )
    monkeypatch.setenv("MEDINST_LOAD_PLUGINS", "toy")
    assert "broken" not in load_registry().plugins
    monkeypatch.setenv("MEDINST_LOAD_PLUGINS", "")
    assert not [p for p in load_registry().plugins.values() if not p.builtin]


def test_registered_fixture_replaces_the_process_registry(medinst_register):
    reg = medinst_register(ToyPlugin(task=manifest()), "toy")
    assert plugins.get_registry() is reg
    assert "toy.labels" in plugins.get_registry().tasks
