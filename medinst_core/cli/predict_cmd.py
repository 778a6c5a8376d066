from __future__ import annotations

import sys

import click


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("--base-url", required=True, help="The API root, e.g. http://localhost:8000/v1")
@click.option("--model", required=True, help="Model name sent with each request.")
@click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True, help="Environment variable holding the API key.")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(min=1), help="Requests in flight at most.")
@click.option("--max-tokens", default=1024, show_default=True, type=click.IntRange(min=1))
@click.option("--temperature", default=0.0, show_default=True, type=float)
@click.option("--timeout", default=120.0, show_default=True, type=float, help="Seconds per request.")
@click.option("--max-retries", default=6, show_default=True, type=click.IntRange(min=0))
@click.option("--limit", type=click.IntRange(min=1), help="Predict at most N more samples.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Predictions JSONL (appended to; rerun to resume).")
def predict(source, base_url, model, api_key_env, concurrency, max_tokens, temperature, timeout, max_retries, limit, out) -> None:
    """Ask a model served by an OpenAI-compatible API to answer every sample of
    SOURCE (a samples .jsonl file, or a folder of them such as a built suite)."""
    from ..predict import predict as run

    interactive = sys.stderr.isatty()

    def progress(stats) -> None:
        if interactive:
            click.echo(f"\r  {stats.done + stats.already_done:,}/{stats.total:,} predicted", nl=False, err=True)

    stats = run(
        source, out, base_url=base_url, model=model, api_key_env=api_key_env, concurrency=concurrency,
        max_tokens=max_tokens, temperature=temperature, timeout=timeout, max_retries=max_retries, limit=limit,
        on_result=progress,
    )
    if interactive:
        click.echo("", err=True)
    click.echo(
        f"{stats.done:,} new predictions, {stats.already_done:,} already done, {len(stats.failed):,} failed, "
        f"{stats.retries:,} retries, {stats.elapsed:.1f}s -> {out}",
        err=True,
    )
    for sid, problem in stats.failed[:10]:
        click.echo(f"failed {sid}: {problem}", err=True)
    if stats.failed:
        click.echo("rerun the same command to retry the failed samples", err=True)
        sys.exit(1)
