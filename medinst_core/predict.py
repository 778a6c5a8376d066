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


def scrub(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` (and its start) hidden."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, "<api-key>").replace(secret[: max(4, len(secret) // 2)], "<api-key>")
    return text


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


def backoff(attempt: int, base: float, cap: float, retry_after: str | None) -> float:
    if retry_after:
        try:
            return min(cap, max(0.0, float(retry_after)))
        except ValueError:
            pass
    return min(cap, base * (2**attempt)) * (0.5 + random.random() / 2)


# complexity above the limit: the runner's set-up (inputs, resume, output) reads best as one sequence; split later
def predict(
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
        import httpx  # noqa: F401
    except ImportError:
        raise MissingExtraError("medinst predict needs httpx: pip install 'medinst-core[predict]'") from None
    if concurrency < 1:
        raise UsageError("concurrency must be at least 1")
    if not timeout > 0:
        raise UsageError("timeout must be a positive number of seconds")
    key = api_key(api_key_env)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    lock = open(out, "ab")
    try:
        lock_output(out, lock)
        return _predict_locked(source, out, lock, key, base_url=base_url, model=model, concurrency=concurrency,
                               max_tokens=max_tokens, temperature=temperature, timeout=timeout, max_retries=max_retries,
                               backoff_base=backoff_base, backoff_cap=backoff_cap, limit=limit, on_result=on_result)
    finally:
        lock.close()


def _predict_locked(  # noqa: C901
    source, out: Path, sink, key: str, *, base_url, model, concurrency, max_tokens, temperature, timeout,
                    max_retries, backoff_base, backoff_cap, limit, on_result) -> PredictStats:
    import httpx

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

            async def one(sample: dict[str, Any]) -> None:
                body = {"model": model, "messages": messages(sample), "max_tokens": max_tokens, "temperature": temperature}
                attempt = 0
                while True:
                    t0 = time.perf_counter()
                    retry_after = None
                    try:
                        # an overall deadline: httpx's timeout bounds each read, not the request
                        response = await asyncio.wait_for(client.post(url, json=body), timeout)
                    except (asyncio.TimeoutError, TimeoutError):
                        problem = f"no complete answer within {timeout:g}s"
                    except httpx.HTTPError as exc:
                        problem = scrub(f"{type(exc).__name__}: {str(exc)[:200]}", key)
                    except (ValueError, UnicodeError) as exc:  # e.g. an invalid URL or header
                        stop.append(scrub(f"{url}: {type(exc).__name__}: {str(exc)[:200]}", key))
                        return
                    else:
                        if response.status_code == 200:
                            try:
                                payload = response.json()
                                text = payload["choices"][0]["message"]["content"]
                                if text is None:
                                    text = ""
                                if not isinstance(text, str):
                                    raise TypeError("content is not a string")
                            except (ValueError, KeyError, IndexError, TypeError, UnicodeError):
                                problem = "the answer is not a chat completion (choices[0].message.content as a string)"
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
                            stop.append(scrub(f"{url}: unexpected HTTP {response.status_code}: {response.text[:200]!r}", key))
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
            raise PredictError(scrub(stop[0], key) + f" ({stats.done} predictions saved in {out}; rerun to continue)")

    asyncio.run(run())
    stats.elapsed = time.perf_counter() - started
    return stats
