"""The servers of a prediction run: checking each before the run
(pre-flight), sharing requests among them, and taking out one that keeps
failing.

* Pre-flight: ``GET <base>/models`` on every endpoint.  A refused
  connection or an unknown host makes the endpoint unreachable; 401 and 403
  stop the run; a model list without the requested model is a warning.  When
  the list is not available (404, 405, another status, a body that is not a
  model list) one request of one token (``ping``) on the run's own endpoint
  decides: 401, 403, 404 and other 4xx answers stop the run with the
  server's reason.  A slow answer, 429 and 5xx count as reachable.
* Sharing: a request goes to the live endpoint with the lowest load
  (requests in flight over its concurrency); a retried sample avoids the
  endpoint it failed on while another healthy one is live.  A failing
  endpoint whose next probe is due gets the next new sample.
* Failing: after a transport error, a timeout or a 5xx answer an endpoint is
  *failing*: it gets one request at a time, spaced by the back-off, until one
  succeeds.  An endpoint failing for ``down_after`` seconds (and at least
  three requests) is taken out, as is one answering 401, 403 or 404; when no
  endpoint is left the run stops.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import attrs

from .errors import MedinstError
from .prompting import Generation

FATAL_STATUS = {
    401: "the server rejected the credentials (401 Unauthorized): check the API key variable",
    403: "the server refused access (403 Forbidden): the key may lack access to this model",
    404: "not found (404): check --base-url (it should end in /v1), --endpoint and --model",
}
RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
#: a failing endpoint is taken out only after this many failed requests in a row
DOWN_AFTER_REQUESTS = 3


class PredictError(MedinstError):
    """A run stopped for a reason retrying cannot fix."""


class AllDown(Exception):
    """No endpoint is left."""


def shown_url(url: str) -> str:
    """``url`` as shown and recorded: a user name or password in it is hidden."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc="<credentials>@" + parts.netloc.rsplit("@", 1)[1]))


@attrs.define(eq=False)
class Endpoint:
    url: str
    capacity: int
    in_flight: int = 0
    alive: bool = True
    #: when the current run of failures began (None: healthy)
    failing_since: float | None = None
    failures: int = 0
    next_probe: float = 0.0
    problem: str = ""
    done: int = 0

    @property
    def name(self) -> str:
        return shown_url(self.url)

    def limit(self) -> int:
        return self.capacity if self.failing_since is None else 1

    def summary(self) -> dict[str, Any]:
        return {"url": self.name, "predicted": self.done, "alive": self.alive, **({"problem": self.problem} if not self.alive else {})}


class Pool:
    def __init__(self, endpoints: list[Endpoint], *, down_after: float, probe_delay: Callable[[int], float],
                 on_message: Callable[[str], None] | None = None) -> None:
        self.endpoints = endpoints
        self.down_after = down_after
        self.probe_delay = probe_delay
        self.on_message = on_message or (lambda text: None)
        self.cond = asyncio.Condition()

    def live(self) -> list[Endpoint]:
        return [e for e in self.endpoints if e.alive]

    def _pick(self, avoid: Endpoint | None, now: float) -> tuple[Endpoint | None, float | None]:
        live = self.live()
        if not live:
            raise AllDown
        healthy_others = [e for e in live if e is not avoid and e.failing_since is None]
        choices = healthy_others if avoid is not None and healthy_others else live
        ready = [e for e in choices if e.in_flight < e.limit() and e.next_probe <= now]
        if ready:
            # a failing endpoint whose probe is due goes first: it recovers or is taken out in time
            return min(ready, key=lambda e: (e.failing_since is None, e.in_flight / e.capacity)), None
        waits = [e.next_probe - now for e in choices if e.in_flight < e.limit() and e.next_probe > now]
        return None, (min(waits) if waits else None)

    async def acquire(self, avoid: Endpoint | None = None) -> Endpoint:
        async with self.cond:
            while True:
                chosen, wait = self._pick(avoid, time.monotonic())
                if chosen is not None:
                    chosen.in_flight += 1
                    return chosen
                try:
                    await asyncio.wait_for(self.cond.wait(), wait)
                except (asyncio.TimeoutError, TimeoutError):
                    pass

    async def release(self, ep: Endpoint, outcome: str, problem: str = "") -> None:
        """``outcome``: ``ok``, ``failed`` (the endpoint's fault), or
        ``neutral`` (a 429, an answer that could not be used)."""
        now = time.monotonic()
        ep.in_flight -= 1
        if outcome == "ok":
            ep.failing_since, ep.failures, ep.next_probe = None, 0, 0.0
            ep.done += 1
        elif outcome == "failed" and ep.alive:
            ep.failures += 1
            ep.problem = problem
            if ep.failing_since is None:
                ep.failing_since = now
            ep.next_probe = now + self.probe_delay(ep.failures - 1)
            if now - ep.failing_since >= self.down_after and ep.failures >= DOWN_AFTER_REQUESTS:
                self._take_out(ep, f"failing for {now - ep.failing_since:.0f}s ({ep.failures} requests in a row; last: {problem})")
        async with self.cond:
            self.cond.notify_all()

    async def remove(self, ep: Endpoint, reason: str) -> None:
        ep.in_flight -= 1
        if ep.alive:
            ep.problem = reason
            self._take_out(ep, reason)
        async with self.cond:
            self.cond.notify_all()

    def _take_out(self, ep: Endpoint, reason: str) -> None:
        ep.alive = False
        left = len(self.live())
        if len(self.endpoints) > 1:
            self.on_message(f"endpoint {ep.name} taken out: {reason}; " + (f"{left} left" if left else "none left"))


# -- pre-flight --------------------------------------------------------------------------------


async def _get_models(client: Any, ep: Endpoint, deadline: float) -> tuple[str, Any]:
    import httpx

    try:
        response = await asyncio.wait_for(client.get(ep.url + "/models"), deadline)
    except (asyncio.TimeoutError, TimeoutError):
        return "reachable", None
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
        return "unreachable", exc
    except (httpx.HTTPError, ValueError, UnicodeError):
        return "ping", None
    return "answer", response


async def _ping(client: Any, ep: Endpoint, gen: Generation, model: str, deadline: float) -> tuple[str, str]:
    import httpx

    body = gen.body(model, gen.prompt({"instruction": "Reply with OK.", "input": ""}), max_tokens=1)
    try:
        response = await asyncio.wait_for(client.post(ep.url + gen.path, json=body), deadline)
    except (asyncio.TimeoutError, TimeoutError):
        return "reachable", ""
    except (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol) as exc:
        return "unreachable", f"{type(exc).__name__}: {str(exc)[:200]}"
    except (ValueError, UnicodeError) as exc:
        return "fatal", f"{type(exc).__name__}: {str(exc)[:200]}"
    except httpx.HTTPError:
        return "reachable", ""
    status = response.status_code
    if status == 200 or status in RETRY_STATUS or status >= 500:
        return "reachable", ""
    if status in FATAL_STATUS:
        return "fatal", FATAL_STATUS[status]
    return "fatal", f"HTTP {status} for a one-token request: {response.text[:200]!r}"


async def preflight(client: Any, ep: Endpoint, gen: Generation, model: str, deadline: float) -> tuple[str, str]:
    """``(state, message)``: state ``reachable`` (message: a warning or ''),
    ``unreachable`` or ``fatal``."""
    state, got = await _get_models(client, ep, deadline)
    if state == "unreachable":
        return state, f"{type(got).__name__}: {str(got)[:200] or 'connection failed'}"
    if state == "reachable":
        return state, ""
    if state == "answer":
        status = got.status_code
        if status in (401, 403):
            return "fatal", FATAL_STATUS[status]
        if status in RETRY_STATUS or status >= 500:
            return "reachable", ""
        if status == 200:
            try:
                ids = [m["id"] for m in got.json()["data"]]
            except (ValueError, KeyError, TypeError, UnicodeError):
                ids = None
            if isinstance(ids, list) and all(isinstance(i, str) for i in ids):
                if ids and model not in ids:
                    return "reachable", f"{ep.name} lists the models {', '.join(ids[:5])}, not {model!r}"
                return "reachable", ""
    return await _ping(client, ep, gen, model, deadline)
