from __future__ import annotations

import click

from ._common import echo_json, echo_table, registry
from ._licence import license_options


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("--format", "fmt", required=True, type=click.Choice(["chat", "alpaca", "parquet", "hf", "lm-eval"]),
              help="chat: messages JSONL; alpaca: LLaMA-Factory JSON + dataset_info.json; parquet; "
              "hf: Hugging Face dataset folder with a card; lm-eval: lm-evaluation-harness tasks of the test sets.")
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.option("--task", "tasks", multiple=True, help="Only this task (repeatable).")
@click.option("--system", help="A system prompt added as the first turn (chat) or the system column (alpaca).")
@click.option("--name", default="medinst", show_default=True,
              help="Dataset name: alpaca file and dataset_info.json entry prefix, card title.")
@click.option("--json", "as_json", is_flag=True, help="Print what was written as JSON on stdout.")
@license_options
def export(source, fmt, out, tasks, system, name, as_json, license_filter) -> None:
    """Export a build folder, a suite folder or a mixture file for training tools."""
    from ..export import export as run_export

    if fmt == "lm-eval":
        from ..errors import UsageError
        from ..lmeval import export_lmeval

        if system:
            raise UsageError("--system does not apply to --format lm-eval (lm_eval --system_instruction sets one)")

        result = export_lmeval(source, out, tasks=list(tasks) or None, name=name, license_filter=license_filter,
                               registry=registry())
    else:
        result = run_export(source, out, fmt, tasks=list(tasks) or None, system=system, name=name,
                            license_filter=license_filter, registry=registry())
    for task, why in result.left_out.items():
        click.echo(f"left out {task}: {why}", err=True)
    rows = [(task, split, n) for (task, split), n in result.counts.items()]
    if as_json:
        echo_json({
            "format": fmt, "out": str(out), "samples": sum(result.counts.values()),
            "counts": [{"task": t, "split": s, "samples": n} for t, s, n in rows],
            "files": [str(f) for f in result.files], "left_out": result.left_out,
        })
        return
    echo_table(rows, ["task", "split", "samples"], shrink=["task"])
    click.echo(f"{sum(result.counts.values()):,} samples exported as {fmt} to {out} ({len(result.files)} files)", err=True)
