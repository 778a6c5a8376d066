"""Running a model on samples through an OpenAI-compatible API.

Each sample becomes chat messages (its ``history`` pairs as earlier
user/assistant turns, then ``instruction + "\\n" + input``) posted to
``<base-url>/chat/completions`` (vLLM, llama.cpp's server, hosted APIs), or
one prompt string posted to ``<base-url>/completions``
(:mod:`medinst_core.prompting` spells out both and the settings).

* Before any sample is sent, each endpoint is checked (``GET /models``, else a
  one-token request): an unreachable or wrong endpoint stops the run at once
  with one message (:mod:`medinst_core.predict_pool`).
* Several base URLs share the requests, ``concurrency`` in flight on each; one
  that keeps failing is taken out and its samples go to the others.
* The settings, the model, the base URLs and the inputs (files with their
  sha256, task versions and manifest hashes, the suite) are recorded in
  ``<out>.meta.json``; a rerun with other settings is refused.
* Timeouts, dropped connections, 429 and 5xx answers are retried with
  exponential backoff and jitter (a ``Retry-After`` header is honoured), at
  most ``max_retries`` times and no later than ``retry_budget`` seconds after
  the sample's first attempt; 401, 403 and 404 take the endpoint out (the run
  stops when it was the last) with the reason.
* Predictions are appended to the output file as they arrive, one JSON line
  each (``id, prediction, model, usage, latency_s, finish_reason,
  prompt_hash``); a rerun skips the ids
  already there, so a killed run loses at most the requests in flight.
* The API key is read from an environment variable and never written anywhere:
  surrounding white space (a key file saved with CRLF) is dropped, a key with
  other control or non-ASCII characters is refused, and every message is
  scrubbed of the key before it is shown.
* Each request has an overall deadline (``timeout``), so a server sending its
  answer one byte at a time cannot hold a request for longer; every HTTP-layer
  error (timeout, dropped connection, protocol error, undecodable body) is
  retried and, once retries are spent, reported as a failure with a message.
* The output file is locked while a run appends to it: a second run on the
  same file stops at once instead of predicting every id twice.

Needs the ``httpx`` package: ``pip install 'medinst-core[predict]'``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from .errors import MissingExtraError, UsageError
from .predict_pool import FATAL_STATUS, RETRY_STATUS, PredictError, shown_url
from .predict_run import PredictStats, Run, backoff, done_ids, iter_samples, sample_files, scrub
from .prompting import Generation, messages

__all__ = ["predict", "PredictStats", "PredictError", "messages", "done_ids", "iter_samples", "sample_files", "scrub", "backoff",
           "FATAL_STATUS", "RETRY_STATUS"]

def api_key(api_key_env: str | None) -> str:
    """The API key from the environment: surrounding white space removed,
    anything else that cannot go into an HTTP header refused (without echoing
    the key)."""
    if not api_key_env:
        return ""
    key = os.environ.get(api_key_env, "").strip()
    if any(not (32 < ord(c) < 127) for c in key):
        raise UsageError(
            f"the API key in ${api_key_env} holds a space, a control character or a non-ASCII character "
            "(a key has printable ASCII characters only); check how the variable is set"
        )
    return key


def lock_output(path: Path, sink) -> None:
    """An exclusive lock on the predictions file for the run, or a UsageError."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        return
    try:
        fcntl.flock(sink.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise UsageError(f"{path} is being written by another medinst predict run; wait for it or choose another --out") from None


def base_urls(urls: str | Iterable[str]) -> list[str]:
    """The distinct base URLs, without a trailing slash; http(s) only."""
    items = [urls] if isinstance(urls, str) else list(urls)
    out: list[str] = []
    for url in items:
        url = url.strip().rstrip("/")
        if not url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url {shown_url(url)!r}: expected an http:// or https:// URL such as http://localhost:8000/v1")
        if url not in out:
            out.append(url)
    if not out:
        raise UsageError("give at least one --base-url")
    return out


def predict(
    source: str | os.PathLike,
    out: str | os.PathLike,
    *,
    base_url: str | Iterable[str],
    model: str,
    api_key_env: str | None = "OPENAI_API_KEY",
    concurrency: int = 8,
    max_tokens: int = 1024,
    temperature: float = 0.0,
    system: str | None = None,
    stop: Iterable[str] = (),
    seed: int | None = None,
    endpoint: str = "chat",
    timeout: float = 120.0,
    max_retries: int = 6,
    retry_budget: float = 600.0,
    backoff_base: float = 1.0,
    backoff_cap: float = 60.0,
    down_after: float = 30.0,
    check: bool = True,
    limit: int | None = None,
    registry: Any = None,
    on_result: Callable[[PredictStats], None] | None = None,
    on_message: Callable[[str], None] | None = None,
) -> PredictStats:
    """Predict every sample of ``source`` not yet in ``out``; see the module docs.

    ``concurrency`` is per base URL; ``check=False`` skips the pre-flight;
    ``on_message`` receives warnings (a model the server does not list, an
    endpoint taken out) as they happen."""
    try:
        import httpx  # noqa: F401
    except ImportError:
        raise MissingExtraError("medinst predict needs httpx: pip install 'medinst-core[predict]'") from None
    if concurrency < 1:
        raise UsageError("concurrency must be at least 1")
    if not timeout > 0:
        raise UsageError("timeout must be a positive number of seconds")
    if not retry_budget > 0:
        raise UsageError("the retry budget must be a positive number of seconds")
    gen = Generation(endpoint=endpoint, system=system or None, temperature=temperature, max_tokens=max_tokens,
                     stop=tuple(stop), seed=seed)
    urls = base_urls(base_url)
    key = api_key(api_key_env)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = open(out, "ab")
    try:
        lock_output(out, lock)
        return Run(source=source, out=out, sink=lock, key=key, urls=urls, model=model, gen=gen, concurrency=concurrency,
                   timeout=timeout, max_retries=max_retries, retry_budget=retry_budget, backoff_base=backoff_base,
                   backoff_cap=backoff_cap, down_after=down_after, check=check, limit=limit, registry=registry,
                   on_result=on_result, on_message=on_message or (lambda text: None)).go()
    finally:
        lock.close()
