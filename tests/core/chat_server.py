"""A real local HTTP server speaking the chat-completions protocol, for tests.

It answers deterministically, can be told to misbehave per prompt and attempt
(429, 500, slow answers, dropped connections, 401), and counts requests and the
most requests it had in flight at once.  It listens on a free loopback port.
It also serves ``GET /v1/models`` (listing ``models``), ``POST
/v1/completions`` (the prompt's last line is answered), keeps the request
bodies (``bodies``), and ``kill()`` makes it die: requests in flight are
dropped unanswered and new connections are refused.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # quiet
        pass

    @property
    def chat(self) -> "ChatServer":
        return self.server.chat  # type: ignore[attr-defined]

    def do_GET(self):
        self.chat.get_requests += 1
        self.chat.seen_auth.add(self.headers.get("Authorization", ""))
        if self.path != "/v1/models" or self.chat.dead:
            return self._send(404, {"error": "no such route"})
        if self.chat.api_key is not None and self.headers.get("Authorization", "") != f"Bearer {self.chat.api_key}":
            return self._send(401, {"error": "bad key"})
        names = self.chat.models if self.chat.models is not None else ["m"]
        self._send(200, {"object": "list", "data": [{"id": n, "object": "model"} for n in names]})

    def do_POST(self):
        with self.chat.lock:
            self.chat.requests += 1
            self.chat.in_flight += 1
            self.chat.max_in_flight = max(self.chat.max_in_flight, self.chat.in_flight)
        self._counted = True
        try:
            self._handle()
        finally:
            self._done()

    def _done(self):
        # before the answer is written: the client may send its next request as soon as it has the answer
        if getattr(self, "_counted", False):
            self._counted = False
            with self.chat.lock:
                self.chat.in_flight -= 1

    def _send(self, status: int, body: dict, headers: dict | None = None):
        self._done()
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _handle(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length))
        auth = self.headers.get("Authorization", "")
        self.chat.seen_auth.add(auth)
        with self.chat.lock:
            self.chat.bodies.append(body)
        if self.path not in ("/v1/chat/completions", "/v1/completions"):
            return self._send(404, {"error": "no such route"})
        if self.chat.api_key is not None and auth != f"Bearer {self.chat.api_key}":
            return self._send(401, {"error": "bad key"})
        chat = self.path == "/v1/chat/completions"
        prompt = body["messages"][-1]["content"] if chat else body["prompt"].rstrip("\n")
        with self.chat.lock:
            attempt = self.chat.attempts[prompt]
            self.chat.attempts[prompt] += 1
        action = self.chat.plan(prompt, attempt)
        if self.chat.delay:
            time.sleep(self.chat.delay)
        if self.chat.dead:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if action == "429":
            return self._send(429, {"error": "slow down"}, {"Retry-After": "0"})
        if action == "500":
            return self._send(500, {"error": "oops"})
        if action == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if action.startswith("sleep:"):
            time.sleep(float(action.split(":")[1]))
        text = self.chat.answer(prompt)
        choice = {"index": 0, "finish_reason": "stop"}
        choice.update({"message": {"role": "assistant", "content": text}} if chat else {"text": text})
        self._send(200, {
            "id": "x", "object": "chat.completion" if chat else "text_completion", "model": body["model"],
            "choices": [choice],
            "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()),
                      "total_tokens": len(prompt.split()) + len(text.split())},
        })


class ChatServer:
    def __init__(self, *, answer: Callable[[str], str] | None = None,
                 plan: Callable[[str, int], str] | None = None, api_key: str | None = None, delay: float = 0.0,
                 models: list[str] | None = None):
        self.answer = answer or (lambda prompt: "answer: " + prompt.rsplit("\n", 1)[-1][:40])
        self.plan = plan or (lambda prompt, attempt: "ok")
        self.api_key = api_key
        self.delay = delay
        self.requests = 0
        self.attempts: Counter[str] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.seen_auth: set[str] = set()
        self.models = models
        self.bodies: list[dict] = []
        self.dead = False
        self.get_requests = 0
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.chat = self  # type: ignore[attr-defined]
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def kill(self) -> None:
        """Die: in-flight requests are dropped, new connections refused."""
        if not self.dead:
            self.dead = True
            self.httpd.shutdown()
            self.httpd.server_close()

    def __exit__(self, *exc) -> None:
        if not self.dead:
            self.httpd.shutdown()
            self.httpd.server_close()
