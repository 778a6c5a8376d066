from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import click
import orjson

from .._version import __version__
from ..errors import UsageError


def dataset_base(title: str) -> dict:
    """``tasks/_dataset.json``: what every task of the plugin shares (its tasks extend it)."""
    return {
        "languages": ["en"],
        "dataset": {
            "name": title,
            "homepage": "https://example.org/replace-me",
            "citation": "Replace with the citation the dataset's authors ask for.",
            "license": "CC-BY-4.0",
            "access": "public",
            "download": "Replace with where the files come from and the names inside the archive.",
        },
        "empty_output": "drop",
    }


def task_manifest(slug: str, title: str) -> dict:
    """The example task the scaffold starts from: a TSV of labelled texts."""
    return {
        "extends": "_dataset.json",
        "id": f"{slug}.txtclass",
        "version": 1,
        "name": f"{title} text classification",
        "description": f"Classify each text of {title} into one of its labels. Replace this with what the task really is.",
        "category": "TXTCLASS",
        "source": {
            "reader": "tsv",
            "options": {"record": "text", "fields": {"id": "id", "text": "text", "labels": {"path": "label", "list": True}}},
            "splits": {"train": ["train.tsv"], "test": ["test.tsv"]},
        },
        "formatter": {"name": "text_classification"},
        "instructions": [
            "Read the clinical note and decide which specialty it belongs to. The possible labels are "
            "cardiology and dermatology. Answer with the label only."
        ],
        "metrics": ["label_f1", "rouge_l", "word_f1"],
        "primary_metric": "label_f1",
    }


@click.command("new-plugin")
@click.argument("name")
@click.option("--dir", "parent", type=click.Path(file_okay=False), default=".", show_default=True,
              help="Folder in which to create medinst-NAME/.")
@click.option("--title", help="Human name of the dataset (default: NAME).")
@click.option("--json", "as_json", is_flag=True, help="Print the folder and files written as JSON.")
def new_plugin(name: str, parent: str, title: str | None, as_json: bool) -> None:
    """Write a new plugin folder, medinst-NAME/, that passes its own tests."""
    hyphenated = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    hyphenated = hyphenated.removeprefix("medinst-")
    slug = hyphenated.replace("-", "_")
    if not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
        raise UsageError(f"plugin name {name!r} must start with a letter and use letters, digits and hyphens")
    title = title or name
    root = Path(parent) / f"medinst-{hyphenated}"
    if root.exists():
        raise UsageError(f"{root} already exists")
    values = {"slug": slug, "hyphenated": hyphenated, "title": title, "core_version": __version__}
    templates = resources.files("medinst_core.scaffold")

    def render(template: str) -> str:
        return templates.joinpath(template).read_text(encoding="utf-8").format(**values)

    package = root / f"medinst_{slug}"
    files = {
        root / "pyproject.toml": render("pyproject.toml.tmpl"),
        root / "README.md": render("README.md.tmpl"),
        package / "__init__.py": render("init.py.tmpl"),
        package / "samples" / "train.tsv": render("train.tsv.tmpl"),
        package / "samples" / "test.tsv": render("test.tsv.tmpl"),
        root / "tests" / f"test_{slug}.py": render("test.py.tmpl"),
    }
    manifest = orjson.dumps(task_manifest(slug, title), option=orjson.OPT_INDENT_2).decode() + "\n"
    files[package / "tasks" / "txtclass.json"] = manifest
    files[package / "tasks" / "_dataset.json"] = orjson.dumps(dataset_base(title), option=orjson.OPT_INDENT_2).decode() + "\n"
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    from ..packaging import apply
    from ..readme import update

    # the packaging convention every plugin follows (pyproject, LICENSE, MANIFEST.in, py.typed)
    apply(root, data={"project": {
        "name": f"medinst-{hyphenated}", "version": "0.1.0", "description": f"medinst plugin: {title}",
        "keywords": ["medinst-plugin"], "dependencies": [f"medinst-core>={__version__}"],
        "optional-dependencies": {"test": ["pytest"]},
        "entry-points": {"medinst": {slug: f"medinst_{slug}"}},
    }})
    update(root)  # the README's task table, from the manifest
    if as_json:
        from ._common import echo_json

        echo_json({"plugin": str(root), "task": f"{slug}.txtclass", "files": sorted(str(p) for p in files)})
        return
    click.echo(f"created {root}/ with the task {slug}.txtclass")
    click.echo(f"next: pip install -e {root} && medinst tasks show {slug}.txtclass && pytest {root}")
