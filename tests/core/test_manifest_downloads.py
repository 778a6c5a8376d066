"""The ``dataset.downloads`` of the installed plugins' manifests: each file
that is not an archive lands where the task's patterns find it, and a sha256
given agrees with the ``dataset.files`` entry recorded from the real copy."""

from __future__ import annotations

import pytest

from medinst_core.datafiles import _name_of, downloads_of, expected_entry
from medinst_core.pipeline import split_roles
from medinst_core.plugins import get_registry
from medinst_core.sources import FileIndex

ARCHIVES = (".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz")


def _entries():
    reg = get_registry()
    for dataset, (task, entries) in sorted(downloads_of(reg.tasks.values()).items()):
        tasks = [t for t in reg.tasks.values() if t.dataset["name"] == dataset]
        for entry in entries:
            yield pytest.param(tasks, entry, id=f"{task.plugin}:{_name_of(entry)}")


ENTRIES = list(_entries())


def test_some_plugins_list_downloads():
    assert len({p.values[0][0].plugin for p in ENTRIES}) >= 40 or not ENTRIES  # none when no plugin is installed


@pytest.mark.parametrize(("tasks", "entry"), ENTRIES)
def test_a_downloaded_file_lands_where_the_patterns_find_it(tasks, entry, tmp_path):
    name = _name_of(entry)
    if name.lower().endswith(ARCHIVES) or entry.get("unpack"):
        pytest.skip("an archive: its members are not known without downloading it")
    target = tmp_path / tasks[0].plugin / name
    target.parent.mkdir(parents=True)
    target.write_bytes(b"")
    index = FileIndex(tmp_path)
    found = {
        path
        for task in tasks for split in task.splits
        for patterns in split_roles(task, split, bundled=False).values()
        for path in index.find(patterns)
    }
    assert target in found, f"{name} saved as {target.relative_to(tmp_path)} is matched by no pattern of {tasks[0].id}"


@pytest.mark.parametrize(("tasks", "entry"), [p for p in ENTRIES if "sha256" in p.values[1]])
def test_a_sha256_agrees_with_the_recorded_file(tasks, entry):
    name = _name_of(entry)
    recorded = [expected_entry(t.manifest, f"{t.plugin}/{name}") for t in tasks]
    recorded = [r for r in recorded if r is not None]
    assert recorded, f"{name}: a sha256 without a dataset.files entry from a real copy"
    assert all(r["sha256"] == entry["sha256"] and r["size"] == entry["size"] for r in recorded)
