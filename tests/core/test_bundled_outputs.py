"""A task whose version did not change builds byte-identical outputs from its
plugin's bundled samples.

``data/bundled_outputs.json`` records, per task, the manifest version and the
sha256 of each split built from the bundled files.  A refactoring of the core
or of a plugin must leave them as they are; a change of a task's samples must
bump its ``version`` (the manifest rule), and then the task is compared no
more until the file is rewritten:

    .venv/bin/python tests/core/test_bundled_outputs.py --update
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import orjson

GOLDEN = Path(__file__).resolve().parent / "data" / "bundled_outputs.json"


def bundled_outputs(out: Path) -> dict[str, dict]:
    """Build every installed task from its bundled samples into ``out``; version and hashes per task."""
    from medinst_core.api import build
    from medinst_core.plugins import get_registry

    registry = get_registry()
    build(sorted(registry.tasks), out, bundled=True)
    found: dict[str, dict] = {}
    for task_id, spec in sorted(registry.tasks.items()):
        splits = {p.stem: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted((out / task_id).glob("*.jsonl"))}
        found[task_id] = {"version": spec.version, "splits": splits}
    return found


def test_unchanged_task_versions_build_byte_identical_outputs(tmp_path):
    golden = orjson.loads(GOLDEN.read_bytes())
    now = bundled_outputs(tmp_path)
    compared, changed = 0, []
    for task_id, expected in golden.items():
        got = now.get(task_id)
        if got is None or got["version"] != expected["version"]:
            continue  # uninstalled, or its samples changed on purpose (version bumped)
        compared += 1
        if got["splits"] != expected["splits"]:
            changed.append(task_id)
    assert compared >= len(golden) // 2, "most recorded tasks should still be installed at their recorded version"
    assert changed == [], f"outputs changed without a version bump: {changed}"


if __name__ == "__main__" and "--update" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        built = {task: entry for task, entry in bundled_outputs(Path(tmp)).items() if entry["splits"]}
        GOLDEN.write_bytes(orjson.dumps(built, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n")
    print(f"wrote {GOLDEN}")
