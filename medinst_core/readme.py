"""Plugin README task tables, generated from the manifests.

A plugin README holds the two marker lines :data:`BEGIN` and :data:`END`;
``medinst readme PLUGIN_DIR`` writes the table of the plugin's tasks between
them (``--check`` only compares), so a README never restates counts that the
manifests no longer say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .errors import ManifestError, UsageError
from .manifest import is_base_file, load_manifests

BEGIN = "<!-- BEGIN medinst tasks -->"
END = "<!-- END medinst tasks -->"
SPLITS = ("train", "dev", "test")


def _licence(dataset: Mapping[str, Any]) -> str:
    lic = dataset.get("license")
    if isinstance(lic, Mapping) and lic.get("id"):
        text = f"[{lic['id']}]({lic['url']})" if lic.get("url") else str(lic["id"])
        return text + (f" ({lic['name']})" if lic.get("name") else "")
    if isinstance(lic, Mapping):
        name = lic.get("name") or lic.get("url") or "custom"
        return f"[{name}]({lic['url']})" if lic.get("url") and lic.get("name") else str(name)
    return str(lic)


def _counts(manifest: Mapping[str, Any]) -> str:
    counts = (manifest.get("medinst") or {}).get("counts") or {}
    return " / ".join(f"{counts[s]:,}" if isinstance(counts.get(s), int) else "–" for s in SPLITS)


def task_table(manifests: Iterable[Mapping[str, Any]]) -> str:
    """The Markdown table of the given task manifests, ordered by id, the
    licence and access, and each manifest's ``medinst.note``."""
    manifests = list(manifests)
    rows = [
        "| task | MedINST config | category | splits | MedINST train / dev / test | metrics (primary first) |",
        "|---|---|---|---|---|---|",
    ]
    licences: dict[str, str] = {}
    for m in sorted(manifests, key=lambda m: m["id"]):
        primary = m.get("primary_metric") or m["metrics"][0]
        metrics = [primary] + [x for x in m["metrics"] if x != primary]
        splits = ", ".join(s for s in SPLITS if s in m["source"]["splits"])
        config = (m.get("medinst") or {}).get("config") or "–"
        rows.append(
            f"| `{m['id']}` | {config} | {m['category']} | {splits} | {_counts(m)} | {', '.join(metrics)} |"
        )
        dataset = m["dataset"]
        licences.setdefault(f"{_licence(dataset)}; access: {dataset.get('access', 'public')}", m["id"])
    lines = rows + [""]
    for text in licences:
        lines.append(f"Licence: {text}.")
    notes = [(m["id"], (m.get("medinst") or {}).get("note")) for m in sorted(manifests, key=lambda m: m["id"])]
    if any(note for _, note in notes):
        lines += ["", "How the counts relate to the files (the manifests' notes):", ""]
        lines += [f"* `{task}`: {note}" for task, note in notes if note]
    return "\n".join(lines)


def plugin_manifests(plugin_dir: Path) -> list[dict[str, Any]]:
    """Every task manifest of a plugin folder (``<package>/tasks/*.json``), bases merged."""
    folders = sorted({p.parent for p in plugin_dir.glob("*/tasks/*.json") if not is_base_file(p)})
    if not folders:
        raise UsageError(f"{plugin_dir}: no task manifests found (expected <package>/tasks/*.json)")
    return [m for folder in folders for _, m in load_manifests(folder)]


def render(readme_text: str, table: str, path: Path) -> str:
    lines = readme_text.split("\n")
    try:
        start = lines.index(BEGIN)
        end = lines.index(END, start)
    except ValueError:
        raise ManifestError(path, "/", f"has no task table markers: add the lines {BEGIN} and {END} where the table goes") from None
    return "\n".join(lines[: start + 1] + table.split("\n") + lines[end:])


def update(plugin_dir: str | Path, *, check: bool = False) -> bool:
    """Write (or with ``check`` only compare) the task table of a plugin's
    README.md; True when the file is (or was already) up to date."""
    plugin_dir = Path(plugin_dir)
    path = plugin_dir / "README.md"
    if not path.is_file():
        raise UsageError(f"{plugin_dir}: no README.md")
    text = path.read_text(encoding="utf-8")
    new = render(text, task_table(plugin_manifests(plugin_dir)), path)
    if new == text:
        return True
    if not check:
        from .io import atomic_write

        with atomic_write(path) as f:
            f.write(new.encode("utf-8"))
    return False
