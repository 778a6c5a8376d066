"""Running a model on samples through an OpenAI-compatible chat-completions API.

Each sample becomes chat messages (its ``history`` pairs as earlier
user/assistant turns, then ``instruction + "\\n" + input``) posted to
``<base-url>/chat/completions`` (vLLM, llama.cpp's server, hosted APIs).

* Requests run concurrently, at most ``concurrency`` at a time.
* Timeouts, dropped connections, 429 and 5xx answers are retried with
  exponential backoff and jitter (a ``Retry-After`` header is honoured);
  401, 403 and 404 stop the run at once with the reason.
* Predictions are appended to the output file as they arrive, one JSON line
  each (``id, prediction, model, usage, latency_s``); a rerun skips the ids
  already there, so a killed run loses at most the requests in flight.
* The API key is read from an environment variable and never written anywhere.

Needs the ``httpx`` package: ``pip install 'medinst-core[predict]'``.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson

from .errors import MedinstError, MissingExtraError, UsageError
from .io import read_jsonl

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
FATAL_STATUS = {
    401: "the server rejected the credentials (401 Unauthorized): check the API key variable",
    403: "the server refused access (403 Forbidden): the key may lack access to this model",
    404: "not found (404): check --base-url (it should end in /v1) and --model",
}


class PredictError(MedinstError):
    """A run stopped for a reason retrying cannot fix."""


@attrs.define
class PredictStats:
    total: int = 0
    already_done: int = 0
    done: int = 0
    retries: int = 0
    failed: list[tuple[str, str]] = attrs.field(factory=list)
    elapsed: float = 0.0


def sample_files(source: str | os.PathLike) -> list[Path]:
    path = Path(source)
    if path.is_file():
        return [path]
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.jsonl") if not p.name.startswith("."))
        if files:
            return files
        raise UsageError(f"{path} holds no .jsonl sample files")
    raise UsageError(f"{path} does not exist")


def iter_samples(files: Iterable[Path]) -> Iterator[dict[str, Any]]:
    for path in files:
        for lineno, sample in read_jsonl(path, what="a sample"):
            if not isinstance(sample, dict) or not all(isinstance(sample.get(k), str) for k in ("id", "instruction", "input")):
                raise UsageError(f"{path}:{lineno}: expected a sample with string id, instruction and input")
            yield sample


def messages(sample: dict[str, Any]) -> list[dict[str, str]]:
    """The chat messages of a sample."""
    out = []
    for user, assistant in sample.get("history") or []:
        out.append({"role": "user", "content": user})
        out.append({"role": "assistant", "content": assistant})
    out.append({"role": "user", "content": sample["instruction"] + "\n" + sample["input"]})
    return out


def done_ids(path: Path) -> set[str]:
    """Ids already predicted; a last line cut short by a kill is removed."""
    if not path.exists():
        return set()
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
        with open(path, "r+b") as f:
            f.truncate(cut)
        data = data[:cut]
    ids = set()
    for lineno, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        try:
            ids.add(orjson.loads(line)["id"])
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise UsageError(f"{path}:{lineno}: not a prediction line; move the file away or fix it") from None
    return ids


def backoff(attempt: int, base: float, cap: float, retry_after: str | None) -> float:
    if retry_after:
        try:
            return min(cap, max(0.0, float(retry_after)))
        except ValueError:
            pass
    return min(cap, base * (2**attempt)) * (0.5 + random.random() / 2)


# complexity above the limit: the runner's set-up (inputs, resume, output) reads best as one sequence; split later
def predict(  # noqa: C901
    source: str | os.PathLike,
    out: str | os.PathLike,
    *,
    base_url: str,
    model: str,
    api_key_env: str | None = "OPENAI_API_KEY",
    concurrency: int = 8,
    max_tokens: int = 1024,
    temperature: float = 0.0,
    timeout: float = 120.0,
    max_retries: int = 6,
    backoff_base: float = 1.0,
    backoff_cap: float = 60.0,
    limit: int | None = None,
    on_result: Callable[[PredictStats], None] | None = None,
) -> PredictStats:
    """Predict every sample of ``source`` not yet in ``out``; see the module docs."""
    try:
        import httpx
    except ImportError:
        raise MissingExtraError("medinst predict needs httpx: pip install 'medinst-core[predict]'") from None
    if concurrency < 1:
        raise UsageError("concurrency must be at least 1")
    key = os.environ.get(api_key_env, "") if api_key_env else ""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    already = done_ids(out)
    todo: list[Any] = []
    stats = PredictStats()
    seen: set[str] = set()
    for sample in iter_samples(sample_files(source)):
        if sample["id"] in seen:
            raise UsageError(f"sample id {sample['id']!r} occurs twice in {source}")
        seen.add(sample["id"])
        stats.total += 1
        if sample["id"] in already:
            stats.already_done += 1
        elif limit is None or len(todo) < limit:
            todo.append(sample)
    url = base_url.rstrip("/") + "/chat/completions"
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    started = time.perf_counter()

    # complexity above the limit: the request loop with its retries and rate limit is one coroutine
    async def run() -> None:  # noqa: C901
        queue: asyncio.Queue = asyncio.Queue()
        for sample in todo:
            queue.put_nowait(sample)
        stop: list[str] = []
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        async with httpx.AsyncClient(timeout=timeout, limits=limits, headers=headers) as client:
            with open(out, "ab") as sink:

                async def one(sample: dict[str, Any]) -> None:
                    body = {"model": model, "messages": messages(sample), "max_tokens": max_tokens, "temperature": temperature}
                    attempt = 0
                    while True:
                        t0 = time.perf_counter()
                        retry_after = None
                        try:
                            response = await client.post(url, json=body)
                        except (httpx.TimeoutException, httpx.TransportError) as exc:
                            problem = f"{type(exc).__name__}: {exc}"
                        else:
                            if response.status_code == 200:
                                try:
                                    payload = response.json()
                                    text = payload["choices"][0]["message"]["content"] or ""
                                except (ValueError, KeyError, IndexError, TypeError):
                                    problem = "the answer is not a chat completion"
                                else:
                                    line = {
                                        "id": sample["id"], "prediction": text, "model": model,
                                        "usage": payload.get("usage"), "latency_s": round(time.perf_counter() - t0, 3),
                                    }
                                    sink.write(orjson.dumps(line) + b"\n")
                                    sink.flush()
                                    stats.done += 1
                                    if on_result:
                                        on_result(stats)
                                    return
                            elif response.status_code in FATAL_STATUS:
                                stop.append(f"{url}: {FATAL_STATUS[response.status_code]}")
                                return
                            elif response.status_code in RETRY_STATUS:
                                problem = f"HTTP {response.status_code}"
                                retry_after = response.headers.get("retry-after")
                            else:
                                stop.append(f"{url}: unexpected HTTP {response.status_code}: {response.text[:200]}")
                                return
                        if attempt >= max_retries:
                            stats.failed.append((sample["id"], problem))
                            return
                        stats.retries += 1
                        await asyncio.sleep(backoff(attempt, backoff_base, backoff_cap, retry_after))
                        attempt += 1

                async def worker() -> None:
                    while not stop:
                        try:
                            sample = queue.get_nowait()
                        except asyncio.QueueEmpty:
                            return
                        await one(sample)

                await asyncio.gather(*(worker() for _ in range(min(concurrency, len(todo)) or 1)))
        if stop:
            raise PredictError(stop[0] + f" ({stats.done} predictions saved in {out}; rerun to continue)")

    asyncio.run(run())
    stats.elapsed = time.perf_counter() - started
    return stats
