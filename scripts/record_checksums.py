"""Record the size and sha256 of every official source file found under a
data folder in the manifests' ``dataset.files`` field.

    python scripts/record_checksums.py /work/shared/data [PLUGIN_DIR ...]

For each task of the plugins (all of plugins/ by default) and each split, the
files the manifest's patterns match under the data folder are hashed; each is
recorded by the end of its path that the pattern describes (``US/test.jsonl``
for the pattern ``US/test.jsonl``, the file name for ``*.txt``).  Entries go
into the ``tasks/_dataset.json`` base when the task extends one (shared by all
tasks of the plugin), else into the task manifest.  Entries already recorded
are kept (a real copy of another split found elsewhere adds to them); an entry
whose size or sha256 changed is replaced and reported.  Only files that change
are rewritten.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from medinst_core.filefacts import sha256_file as sha256
from medinst_core.pipeline import split_roles
from medinst_core.plugins import get_registry
from medinst_core.sources import FileIndex, _compile, _match

REPO = Path(__file__).resolve().parent.parent


def recorded_path(parts: tuple[str, ...], patterns: list[str]) -> str:
    for pattern in patterns:
        segments = _compile(pattern)
        if _match(segments, parts):
            tail = 0
            for seg in reversed(segments):
                if seg is None:
                    break
                tail += 1
            return "/".join(parts[-max(tail, 1):])
    return parts[-1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("data_dir", type=Path)
    ap.add_argument("plugins", nargs="*", type=Path, help="plugin folders (default: every folder of plugins/)")
    args = ap.parse_args(argv)
    folders = [p.resolve() for p in (args.plugins or sorted((REPO / "plugins").iterdir()))]
    reg = get_registry()
    index = FileIndex(args.data_dir)
    root = args.data_dir.resolve()
    entries: dict[Path, dict[str, dict]] = {}  # file to write -> path -> entry
    hashes: dict[Path, tuple[int, str]] = {}
    for task in sorted(reg.tasks.values(), key=lambda t: t.id):
        if task.path is None or not any(task.path.resolve().is_relative_to(f) for f in folders):
            continue
        raw = json.loads(task.path.read_text(encoding="utf-8"))
        base = task.path.parent / "_dataset.json"
        target = base if raw.get("extends") == "_dataset.json" and base.is_file() else task.path
        for split in task.splits:
            for _role, patterns in split_roles(task, split, bundled=False).items():
                for path in index.find(patterns):
                    parts = path.resolve().relative_to(root).parts
                    if path not in hashes:
                        hashes[path] = (path.stat().st_size, sha256(path))
                    size, digest = hashes[path]
                    rec = recorded_path(parts, patterns)
                    entries.setdefault(target, {})[rec] = {"path": rec, "size": size, "sha256": digest}
    changed = 0
    for target, found in sorted(entries.items()):
        data = json.loads(target.read_text(encoding="utf-8"))
        dataset = data.setdefault("dataset", {})
        current = {e["path"]: e for e in dataset.get("files", [])}
        for rec, entry in found.items():
            old = current.get(rec)
            if old is not None and old != entry:
                print(f"{target}: {rec} changed (size {old.get('size')} -> {entry['size']})", file=sys.stderr)
            current[rec] = entry
        files = [current[k] for k in sorted(current)]
        if dataset.get("files") != files:
            dataset["files"] = files
            target.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            changed += 1
            print(f"{target.relative_to(REPO) if target.is_relative_to(REPO) else target}: {len(files)} file(s)")
    print(f"{sum(len(v) for v in entries.values())} file entries from {len(hashes)} files; {changed} manifest file(s) written",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
