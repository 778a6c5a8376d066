from __future__ import annotations

import click

from ..tables import fit_table, terminal_width
from ._common import echo_json, echo_table, registry
from ._licence import license_options


@click.group(invoke_without_command=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array instead of a table.")
@click.option("--category", help="Only tasks of this MedINST category (NER, RE, QA, ...).")
@click.option("--dataset", help="Only tasks of this dataset (name or plugin).")
@click.option("--suite", help="Only tasks of this suite, e.g. medinst32.")
@license_options
@click.pass_context
def tasks(ctx: click.Context, as_json: bool, category: str | None, dataset: str | None, suite: str | None, license_filter) -> None:
    """List the installed tasks (``tasks show ID`` for one in full)."""
    if ctx.invoked_subcommand is not None:
        return
    selected = registry(listing=True).select_tasks(category=category, dataset=dataset, suite=suite)
    selected, _ = license_filter.split(selected)
    summaries = [t.summary() for t in selected]
    filtered = bool(category or dataset or suite or license_filter.active)
    if as_json:
        echo_json(summaries)
        if not summaries and filtered:
            ctx.exit(1)
        return
    if not summaries:
        if filtered:
            click.echo("no task matches " + " ".join(
                f"--{k} {v}" for k, v in (("category", category), ("dataset", dataset), ("suite", suite)) if v
            ), err=True)
            ctx.exit(1)
        click.echo("no tasks installed")
        return
    rows = [
        (s["id"], s["category"], s["dataset"], s["medinst_config"] or "", ",".join(s["splits"]), s["primary_metric"], s["licence"])
        for s in summaries
    ]
    echo_table(
        rows, ["task", "category", "dataset", "medinst config", "splits", "metric", "licence"],
        drop=["licence", "dataset", "metric", "medinst config"], shrink=["task"],
    )


@tasks.command()
@click.argument("task_id")
@click.option("--json", "as_json", is_flag=True, help="Print the manifest and facts as JSON.")
def show(task_id: str, as_json: bool) -> None:
    """Everything about one task: provenance, files, instruction, metrics."""
    import textwrap

    from ..datafiles import official_split_note
    from ..licenses import commercial_use, license_text
    from ..sources import normalize_roles

    reg = registry()
    task = reg.task(task_id)
    m = task.manifest
    info = {
        **task.summary(),
        "manifest": str(task.path) if task.path else None,
        "bundled_samples": str(task.bundled) if task.bundled else None,
    }
    if as_json:
        echo_json({**info, "definition": m})
        return
    prose = min(88, (terminal_width() or 88) - 1)
    out = [f"{task.id}  ({task.name})", "", textwrap.fill(m["description"], prose), ""]
    d = m["dataset"]
    lic = license_text(d["license"])
    out += [
        f"category:      {task.category}",
        f"dataset:       {d['name']}  <{d['homepage']}>",
        f"licence:       {lic}   access: {d['access']}   commercial use: "
        + {True: "yes", False: "no", None: "unknown"}[commercial_use(d)],
        f"download:      {d.get('download') or d['homepage']}",
        f"plugin:        {task.plugin} (version {reg.plugins[task.plugin].version})   task version: {task.version}",
    ]
    if m.get("medinst"):
        c = m["medinst"]["counts"]
        out.append(f"MedINST:       {m['medinst']['config']}  published train/dev/test = {c['train']}/{c['dev']}/{c['test']}")
        if m["medinst"].get("note"):
            out.append("               " + m["medinst"]["note"])
    src = m["source"]
    out += ["", f"reader:        {src['reader']}", *_options(reg.reader(src["reader"]).options_schema, src.get("options")),
            "files:"]
    for split in task.splits:
        note = official_split_note(m, split)
        if note:
            out.append(f"  {split:<6} {note.partition(' ')[2]}")
        for role, patterns in normalize_roles(src["splits"][split]).items():
            out.append(f"  {split:<6} {role}: {', '.join(patterns)}")
    for split, selection in (src.get("select") or {}).items():
        if "id_list" in selection:
            what = f"the documents listed in the {selection['id_list']!r} file(s)"
        elif "ids" in selection:
            what = f"{len(selection['ids'])} listed document id(s)"
        else:
            what = "records [{}, {}) by position".format(*selection["range"])
        out.append(f"  {split:<6} keeps {what}")
    out += [f"formatter:     {m['formatter']['name']}",
            *_options(reg.formatter(m["formatter"]["name"]).options_schema, m["formatter"].get("options"))]
    out += [f"empty output:  {m.get('empty_output', 'keep')}"]
    out += [f"metrics:       {', '.join(task.metrics)}   (primary: {task.primary_metric})", "", "instruction:"]
    for text in task.instructions:
        out.append(textwrap.indent(textwrap.fill(text, prose - 4), "  "))
    out += ["", f"manifest:      {info['manifest']}", f"samples:       {info['bundled_samples']}"]
    click.echo("\n".join(out))


def _options(schema, given) -> list[str]:
    """The options of a reader or formatter as a table: the value the task
    uses (set by the manifest, else the default), the default and the
    description, all from the schema the component registered."""
    import textwrap

    from ..options import describe

    given = given or {}
    rows = []
    for name, accepted, default, description in describe(schema):
        value = _json(given[name]) if name in given else ""
        rows.append((name, value, default, accepted, description))
    for name in sorted(set(given) - {row[0] for row in rows}):  # a component without a schema
        rows.append((name, _json(given[name]), "", "", ""))
    if not rows:
        return []
    width = terminal_width()
    text = fit_table(rows, ["option", "set by the task", "default", "values", "description"],
                     width=None if width is None else width - 2, drop=["values"], shrink=["set by the task", "description", "default"])
    return [textwrap.indent(text, "  ")]


def _json(value) -> str:
    import orjson

    return orjson.dumps(value).decode()
