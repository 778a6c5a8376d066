from __future__ import annotations

import sys
from pathlib import Path

import click

from ._common import echo_json, echo_table, registry

DATA_DIR = click.option(
    "--data-dir", type=click.Path(file_okay=False), envvar="MEDINST_DATA", required=True,
    help="Folder holding the unpacked downloads. Default: $MEDINST_DATA.",
)


@click.group()
def data() -> None:
    """Which source files are present under a data folder; fetch the openly hosted ones."""


@data.command()
@click.argument("names", nargs=-1)
@DATA_DIR
@click.option("--category", help="Only tasks of this category.")
@click.option("--suite", help="Only tasks of this suite.")
@click.option("--no-verify", is_flag=True, help="Compare sizes only, do not compute sha256.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def status(ctx, names, data_dir, category, suite, no_verify, as_json) -> None:
    """For every task and split (or those named): present, missing, or
    unexpected (a file's size or sha256 differs from the manifest's), and the
    download steps for the missing ones.  Exit 1 when a file is unexpected."""
    from ..datafiles import data_status, select_for_download

    reg = registry()
    tasks = select_for_download(reg, names) if names else reg.select_tasks(category=category, suite=suite)
    if names and (category or suite):
        tasks = [t for t in tasks if t in reg.select_tasks(category=category, suite=suite)]
    if not tasks:
        click.echo("no task matches", err=True)
        ctx.exit(1)
    statuses = data_status(tasks, data_dir, verify=not no_verify)
    counts = {k: sum(1 for s in statuses if s.status == k) for k in ("present", "missing", "unexpected")}
    if as_json:
        echo_json({"data_dir": str(data_dir), "counts": counts, "splits": [s.as_dict() for s in statuses]})
    else:
        rows: list[list] = []
        for s in statuses:
            checks = [f["check"] for f in s.files]
            verified = f"{checks.count('match')}/{len(checks)} verified" if checks else ""
            # the split is in its own column: "← official test (as MedINST)" says the rest
            rows.append([s.task, s.split, s.status, len(s.files) or "", verified, s.official.partition(" ")[2]])
        headers = ["task", "split", "status", "files", "checksums", "official split"]
        if not any(s.official for s in statuses):
            rows, headers = [r[:-1] for r in rows], headers[:-1]
        echo_table(rows, headers, drop=["files", "checksums"], shrink=["task", "official split"], keep=2)
        hints: dict[str, list[str]] = {}
        for s in statuses:
            if s.status == "missing":
                hints.setdefault(s.download, []).append(f"{s.task} {s.split}")
        if hints:
            click.echo("\nto get the missing files:")
            for hint, units in hints.items():
                click.echo(f"  {', '.join(units)}:\n    {hint}")
        for s in statuses:
            for f in s.files:
                if f["check"] == "mismatch":
                    click.echo(f"UNEXPECTED {s.task} {s.split}: {f['path']} differs from the manifest's size/sha256", err=True)
        click.echo(
            f"{len(statuses)} split(s): {counts['present']} present, {counts['missing']} missing, "
            f"{counts['unexpected']} unexpected under {data_dir}", err=True,
        )
    if counts["unexpected"]:
        sys.exit(1)


@data.command()
@click.argument("names", nargs=-1, required=True)
@DATA_DIR
@click.option("--json", "as_json", is_flag=True, help="Print what was fetched as JSON.")
def download(names, data_dir, as_json) -> None:
    """Fetch the openly hosted files of tasks or datasets (TASK|DATASET|PLUGIN
    ...) into the data folder: resumed after an interruption, checked against
    the manifest's sha256, unpacked.  Registration-only datasets print their
    steps instead.  Exit 1 when a download failed or no file could be fetched."""
    from ..datafiles import download_hint, downloads_of, select_for_download

    reg = registry()
    tasks = select_for_download(reg, names)
    root = Path(data_dir)
    report = []
    bad = False
    for dataset, (task, entries) in downloads_of(tasks).items():
        if not entries:
            report.append({"dataset": dataset, "status": "manual", "steps": download_hint(task)})
            if not as_json:
                click.echo(f"{dataset}: not openly downloadable here; {download_hint(task)}", err=True)
            continue
        for entry in entries:
            item = _download_one(dataset, entry, root / task.plugin, as_json)
            bad = bad or item["status"] == "failed"
            report.append(item)
    if as_json:
        echo_json(report)
    if bad or not any(i["status"] in ("downloaded", "present") for i in report):
        sys.exit(1)


def _download_one(dataset: str, entry, folder: Path, as_json: bool) -> dict:
    """Fetch one ``downloads`` entry into ``folder`` (unless it is there),
    verify and unpack it; what happened, as reported."""
    from ..datafiles import DownloadError, _name_of, fetch, unpack
    from ..errors import UsageError
    from ._progress import Progress

    name = _name_of(entry)
    if ".." in Path(name).parts or Path(name).is_absolute():
        raise UsageError(f"{dataset}: download name {name!r} must be a path inside the dataset's folder")
    target = folder / name
    item = {"dataset": dataset, "url": entry["url"], "path": str(target)}
    if entry.get("note"):
        item["note"] = entry["note"]
    if target.exists():
        item["status"] = "present"
    else:
        bar = Progress(f"{name}", total=None, unit="byte", enabled=not as_json)

        def progress(done, total):
            bar.total = total
            bar.done = done
            bar.note("")

        try:
            with bar:
                fetch(entry["url"], target, sha256=entry.get("sha256"), size=entry.get("size"), progress=progress)
        except DownloadError as exc:
            if not as_json:
                click.echo(f"FAILED {exc}", err=True)
            return {**item, "status": "failed", "error": str(exc)}
        item["status"] = "downloaded"
    item["verified"] = "sha256" in entry
    archive = name.lower().endswith((".zip", ".tar.gz", ".tgz", ".tar", ".tar.bz2", ".tar.xz", ".gz"))
    if entry.get("unpack", archive):
        item["unpacked"] = len(unpack(target, target.parent))
    if not as_json:
        extra = f", {item['unpacked']} file(s) unpacked" if "unpacked" in item else ""
        check = "sha256 verified" if item["verified"] else "no checksum in the manifest"
        if entry.get("note"):
            check += f"; {entry['note']}"
        click.echo(f"{item['status']} {target} ({check}{extra})", err=True)
    return item
