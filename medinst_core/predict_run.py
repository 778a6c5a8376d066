"""The request loop of ``medinst predict`` (see :mod:`medinst_core.predict`):
reading the samples, resuming, the workers with their retries and failover,
the output lines and the ``.meta.json`` record."""

from __future__ import annotations

import asyncio
import datetime as _dt
import os
import random
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import attrs
import orjson

from ._version import __version__
from .errors import UsageError
from .filefacts import sha256_file
from .io import read_jsonl, write_json
from .predict_pool import FATAL_STATUS, RETRY_STATUS, AllDown, Endpoint, Pool, PredictError, preflight, shown_url
from .prompting import Generation, prompt_hash, settings_hash
from .provenance import META_FORMAT, input_context, merge_inputs, meta_path, read_meta, resume_conflicts, task_facts


@attrs.define
class PredictStats:
    total: int = 0
    already_done: int = 0
    #: samples this run sends (not done yet, within the limit)
    todo: int = 0
    done: int = 0
    retries: int = 0
    failed: list[tuple[str, str]] = attrs.field(factory=list)
    elapsed: float = 0.0
    #: per endpoint: url, predicted, alive (and the problem of one taken out)
    endpoints: list[dict[str, Any]] = attrs.field(factory=list)
    #: the sidecar written beside the predictions
    meta: Path | None = None


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
            history = sample.get("history")
            pairs = isinstance(history, list) and all(
                isinstance(turn, list) and len(turn) == 2 and all(isinstance(x, str) for x in turn) for turn in history
            )
            if history is not None and not pairs:
                raise UsageError(f"{path}:{lineno}: history must be a list of [user, assistant] string pairs")
            yield sample


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


def scrub(text: str, secret: str) -> str:
    """``text`` with every occurrence of ``secret`` (and its start) hidden."""
    if secret and len(secret) >= 4:
        text = text.replace(secret, "<api-key>").replace(secret[: max(4, len(secret) // 2)], "<api-key>")
    return text


def backoff(attempt: int, base: float, cap: float, retry_after: str | None) -> float:
    if retry_after:
        try:
            return min(cap, max(0.0, float(retry_after)))
        except ValueError:
            pass
    return min(cap, base * (2**attempt)) * (0.5 + random.random() / 2)




def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@attrs.define
class _Outcome:
    #: ok, retry (the endpoint's fault), busy (429 and the like), bad (an unusable answer), fatal
    kind: str
    problem: str = ""
    text: str = ""
    payload: Any = None
    finish_reason: str | None = None
    retry_after: str | None = None


@attrs.define
class Run:
    """One ``medinst predict`` run on a locked output file."""

    source: str | os.PathLike
    out: Path
    sink: Any
    key: str
    urls: list[str]
    model: str
    gen: Generation
    concurrency: int
    timeout: float
    max_retries: int
    retry_budget: float
    backoff_base: float
    backoff_cap: float
    down_after: float
    check: bool
    limit: int | None
    registry: Any
    on_result: Callable[[PredictStats], None] | None
    on_message: Callable[[str], None]
    stats: PredictStats = attrs.field(factory=PredictStats)
    todo: list[dict[str, Any]] = attrs.field(factory=list)
    stop: list[str] = attrs.field(factory=list)

    def go(self) -> PredictStats:
        started = time.perf_counter()
        inputs = self._read_inputs()
        meta = self._write_meta(inputs)
        run_entry = meta["runs"][-1]
        self.stats.todo = len(self.todo)
        self._report()
        try:
            if self.todo:
                asyncio.run(self._run())
        finally:
            self.stats.elapsed = time.perf_counter() - started
            run_entry.update(finished=_now(), predicted=self.stats.done, failed=len(self.stats.failed),
                             retries=self.stats.retries, elapsed_s=round(self.stats.elapsed, 3),
                             endpoints=self.stats.endpoints or None)
            write_json(meta_path(self.out), meta)
        return self.stats

    # -- inputs and the record ---------------------------------------------------------------

    def _read_inputs(self) -> dict[str, Any]:
        already = done_ids(self.out)
        seen: set[str] = set()
        files = sample_files(self.source)
        file_facts = []
        task_counts: dict[str, int] = {}
        for path in files:
            n = 0
            for sample in iter_samples([path]):
                n += 1
                if sample["id"] in seen:
                    raise UsageError(f"sample id {sample['id']!r} occurs twice in {self.source}")
                seen.add(sample["id"])
                task: str = sample["task"] if isinstance(sample.get("task"), str) else sample["id"].split(":")[0]
                task_counts[task] = task_counts.get(task, 0) + 1
                self.stats.total += 1
                if sample["id"] in already:
                    self.stats.already_done += 1
                elif self.limit is None or len(self.todo) < self.limit:
                    self.todo.append(sample)
            file_facts.append({"path": str(path), "sha256": sha256_file(path), "samples": n})
        if self.registry is None:
            from .plugins import get_registry

            self.registry = get_registry()
        tasks = task_facts(task_counts, self.registry)
        context = input_context(files)
        for task, facts in tasks.items():
            facts["samples"] = task_counts[task]
            if task in context["built_versions"]:
                facts["built_version"] = context["built_versions"][task]
        return {"files": file_facts, "tasks": tasks, "suite": context["suite"]}

    def _write_meta(self, inputs: dict[str, Any]) -> dict[str, Any]:
        generation = self.gen.as_dict()
        meta: dict[str, Any] = {
            "format": META_FORMAT,
            "medinst_version": __version__,
            "model": self.model,
            "generation": generation,
            "settings_sha256": settings_hash(self.model, generation),
            "base_urls": [shown_url(u) for u in self.urls],
            "inputs": inputs,
            "runs": [],
        }
        self.stats.meta = path = meta_path(self.out)
        old = read_meta(self.out)
        if old is not None:
            conflicts = resume_conflicts(old, meta)
            if conflicts and (self.stats.already_done or self.out.stat().st_size):
                raise UsageError(
                    f"{self.out} holds predictions made with other settings ({'; '.join(conflicts)}; see {path}): "
                    "rerun with the same settings to continue it, or choose another --out"
                )
            if not conflicts:
                meta["inputs"] = merge_inputs(old.get("inputs") or {}, inputs)
                meta["base_urls"] = list(dict.fromkeys([*old.get("base_urls", []), *map(shown_url, self.urls)]))
                meta["runs"] = list(old.get("runs") or [])
                if isinstance(old.get("note"), str):
                    meta["note"] = old["note"]
        elif self.out.stat().st_size:
            meta["note"] = "the predictions file existed before this record was written: its earlier lines' settings are not known"
        meta["runs"].append({"started": _now(), "base_urls": [shown_url(u) for u in self.urls], "medinst_version": __version__})
        write_json(path, meta)
        return meta

    # -- the requests --------------------------------------------------------------------------

    def _endpoint_message(self, text: str) -> None:
        self.on_message(scrub(text, self.key))

    async def _preflight(self, client: Any, pool: Pool) -> None:
        deadline = min(self.timeout, 10.0)
        checks = await asyncio.gather(*(preflight(client, ep, self.gen, self.model, deadline) for ep in pool.endpoints))
        unreachable = []
        for ep, (state, message) in zip(pool.endpoints, checks):
            message = scrub(message, self.key)
            if state == "fatal":
                raise PredictError(f"{ep.name}: {message} (found before sending any sample)")
            if state == "unreachable":
                ep.alive, ep.problem = False, f"unreachable ({message})"
                unreachable.append(f"{ep.name}: {message}")
            elif message:
                self.on_message(f"warning: {message}")
        if not pool.live():
            raise PredictError(
                "cannot reach " + "; ".join(unreachable) + ": is the server running, and is --base-url right "
                "(e.g. http://localhost:8000/v1)?"
            )
        for text in unreachable:
            self.on_message(f"endpoint {text}: unreachable, left out of this run")

    async def _run(self) -> None:
        import httpx

        endpoints = [Endpoint(url, self.concurrency) for url in self.urls]
        pool = Pool(endpoints, down_after=self.down_after,
                    probe_delay=lambda n: backoff(n, self.backoff_base, self.backoff_cap, None), on_message=self._endpoint_message)
        headers = {"Authorization": f"Bearer {self.key}"} if self.key else {}
        total = self.concurrency * len(endpoints)
        limits = httpx.Limits(max_connections=total + len(endpoints), max_keepalive_connections=total)
        try:
            # no TLS set-up (certificate loading) when every endpoint is plain http
            tls = any(url.startswith("https://") for url in self.urls)
            async with httpx.AsyncClient(timeout=self.timeout, limits=limits, headers=headers, verify=tls) as client:
                if self.check:
                    await self._preflight(client, pool)
                queue = deque(self.todo)

                async def worker() -> None:
                    while queue and not self.stop:
                        await self._one(client, pool, queue.popleft())

                await asyncio.gather(*(worker() for _ in range(min(total, len(self.todo)))))
        finally:
            self.stats.endpoints = [ep.summary() for ep in endpoints]
        if self.stop:
            raise PredictError(scrub(self.stop[0], self.key) + f" ({self.stats.done} predictions saved in {self.out}; rerun to continue)")

    async def _send(self, client: Any, ep: Endpoint, body: dict[str, Any]) -> _Outcome:
        import httpx

        url = ep.url + self.gen.path
        try:
            # an overall deadline: httpx's timeout bounds each read, not the request
            response = await asyncio.wait_for(client.post(url, json=body), self.timeout)
        except (asyncio.TimeoutError, TimeoutError):
            return _Outcome("retry", f"no complete answer within {self.timeout:g}s")
        except httpx.HTTPError as exc:
            return _Outcome("retry", scrub(f"{type(exc).__name__}: {str(exc)[:200]}", self.key))
        except (ValueError, UnicodeError) as exc:  # e.g. an invalid URL or header
            return _Outcome("fatal", scrub(f"POST {self.gen.path}: {type(exc).__name__}: {str(exc)[:200]}", self.key))
        status = response.status_code
        if status == 200:
            try:
                payload = response.json()
            except (ValueError, UnicodeError):
                payload = None
            try:
                text, reason = self.gen.answer(payload)
            except ValueError as exc:
                return _Outcome("bad", str(exc))
            return _Outcome("ok", text=text, payload=payload, finish_reason=reason)
        if status in FATAL_STATUS:
            return _Outcome("fatal", f"POST {self.gen.path}: {FATAL_STATUS[status]}")
        if status in RETRY_STATUS:
            kind = "busy" if status < 500 else "retry"
            return _Outcome(kind, f"HTTP {status}", retry_after=response.headers.get("retry-after"))
        return _Outcome("fatal", scrub(f"POST {self.gen.path}: unexpected HTTP {status}: {response.text[:200]!r}", self.key))

    def _write(self, sample: dict[str, Any], got: _Outcome, phash: str, latency: float) -> None:
        payload = got.payload if isinstance(got.payload, dict) else {}
        line = {"id": sample["id"], "prediction": got.text, "model": self.model, "usage": payload.get("usage"),
                "latency_s": round(latency, 3), "finish_reason": got.finish_reason, "prompt_hash": phash}
        self.sink.write(orjson.dumps(line) + b"\n")
        self.sink.flush()
        self.stats.done += 1
        self._report()

    def _report(self) -> None:
        if self.on_result:
            self.on_result(self.stats)

    def _fail(self, sid: str, problem: str) -> None:
        self.stats.failed.append((sid, problem))
        self._report()

    async def _one(self, client: Any, pool: Pool, sample: dict[str, Any]) -> None:
        prompt = self.gen.prompt(sample)
        body = self.gen.body(self.model, prompt)
        phash = prompt_hash(prompt)
        first = time.monotonic()
        attempt = 0
        avoid: Endpoint | None = None
        while True:
            try:
                ep = await pool.acquire(avoid)
            except AllDown:
                self._all_down(pool)
                return
            t0 = time.perf_counter()
            got = await self._send(client, ep, body)
            if got.kind == "fatal":
                await pool.remove(ep, got.problem)
                avoid = ep
                continue
            await pool.release(ep, {"ok": "ok", "retry": "failed"}.get(got.kind, "neutral"), got.problem)
            if got.kind == "ok":
                self._write(sample, got, phash, time.perf_counter() - t0)
                return
            spent = time.monotonic() - first
            delay = backoff(attempt, self.backoff_base, self.backoff_cap, got.retry_after)
            if attempt >= self.max_retries:
                self._fail(sample["id"], got.problem)
                return
            if spent + delay > self.retry_budget:
                self._fail(sample["id"], f"{got.problem} (retry budget of {self.retry_budget:g}s spent)")
                return
            self.stats.retries += 1
            await asyncio.sleep(delay)
            attempt += 1
            avoid = ep

    def _all_down(self, pool: Pool) -> None:
        if not self.stop:
            reasons = "; ".join(f"{ep.name}: {ep.problem}" for ep in pool.endpoints)
            self.stop.append(reasons if len(pool.endpoints) == 1 else f"every endpoint is out ({reasons})")
