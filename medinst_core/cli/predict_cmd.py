from __future__ import annotations

import sys

import click


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option("--base-url", "base_urls", required=True, multiple=True,
              help="The API root, e.g. http://localhost:8000/v1; repeat it to spread the requests over several servers.")
@click.option("--model", required=True, help="Model name sent with each request.")
@click.option("--api-key-env", default="OPENAI_API_KEY", show_default=True, help="Environment variable holding the API key.")
@click.option("--endpoint", type=click.Choice(["chat", "completions"]), default="chat", show_default=True,
              help="chat: POST /chat/completions with messages (MedINST's set-up); completions: POST /completions with one prompt.")
@click.option("--system", help="A system prompt (chat: a system turn; completions: text before the prompt).")
@click.option("--system-file", type=click.Path(exists=True, dir_okay=False), help="Read the system prompt from this file.")
@click.option("--max-tokens", default=1024, show_default=True, type=click.IntRange(min=1))
@click.option("--temperature", default=0.0, show_default=True, type=click.FloatRange(min=0))
@click.option("--stop", "stops", multiple=True, help="A stop sequence (repeatable).")
@click.option("--seed", type=int, help="Sampling seed sent with each request (servers that support it).")
@click.option("--concurrency", default=8, show_default=True, type=click.IntRange(min=1), help="Requests in flight per base URL.")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(min=0, min_open=True), help="Seconds per request.")
@click.option("--max-retries", default=6, show_default=True, type=click.IntRange(min=0), help="Retries per sample.")
@click.option("--retry-budget", default=600.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds after a sample's first attempt when no retry starts any more.")
@click.option("--no-preflight", is_flag=True, help="Skip the check of each endpoint before the first sample.")
@click.option("--limit", type=click.IntRange(min=1), help="Predict at most N more samples.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Predictions JSONL (appended to; rerun to resume); the settings go to <out>.meta.json.")
@click.option("--json", "as_json", is_flag=True, help="Print the run's summary as JSON on stdout.")
def predict(source, base_urls, model, api_key_env, endpoint, system, system_file, max_tokens, temperature, stops, seed,
            concurrency, timeout, max_retries, retry_budget, no_preflight, limit, out, as_json) -> None:
    """Ask a model served by an OpenAI-compatible API to answer every sample of
    SOURCE (a samples .jsonl file, or a folder of them such as a built suite)."""
    from ..errors import UsageError
    from ..predict import predict as run
    from ._common import echo_json, registry
    from ._progress import Progress

    if system and system_file:
        raise UsageError("give the system prompt either with --system or with --system-file")
    if system_file:
        try:
            with open(system_file, encoding="utf-8") as f:
                system = f.read().strip()
        except UnicodeDecodeError as exc:
            raise UsageError(f"--system-file {system_file}: not UTF-8 text (byte {exc.start})") from None
    bar = Progress("predicting", total=None, unit="sample", enabled=not as_json)

    def progress(stats) -> None:
        bar.total = stats.todo
        bar.done = stats.done + len(stats.failed)
        bar.advance(0, f"{len(stats.failed):,} failed, {stats.retries:,} retries" if stats.failed or stats.retries else "")

    with bar:
        stats = run(
            source, out, base_url=base_urls, model=model, api_key_env=api_key_env, concurrency=concurrency,
            max_tokens=max_tokens, temperature=temperature, system=system, stop=stops, seed=seed, endpoint=endpoint,
            timeout=timeout, max_retries=max_retries, retry_budget=retry_budget, check=not no_preflight, limit=limit,
            registry=registry(), on_result=progress, on_message=bar.message,
        )
    if as_json:
        echo_json({
            "out": str(out), "meta": str(stats.meta) if stats.meta else None, "total": stats.total,
            "done": stats.done, "already_done": stats.already_done, "retries": stats.retries,
            "failed": [{"id": sid, "problem": problem} for sid, problem in stats.failed],
            "elapsed_s": round(stats.elapsed, 3), "endpoints": stats.endpoints,
        })
    click.echo(
        f"{stats.done:,} new predictions, {stats.already_done:,} already done, {len(stats.failed):,} failed, "
        f"{stats.retries:,} retries, {stats.elapsed:.1f}s -> {out} (settings in {stats.meta})",
        err=True,
    )
    if len(stats.endpoints) > 1:
        for ep in stats.endpoints:
            state = "" if ep["alive"] else f" (taken out: {ep['problem']})"
            click.echo(f"  {ep['url']}: {ep['predicted']:,} predictions{state}", err=True)
    for sid, problem in stats.failed[:10]:
        click.echo(f"failed {sid}: {problem}", err=True)
    if stats.failed:
        click.echo("rerun the same command to retry the failed samples", err=True)
        sys.exit(1)
