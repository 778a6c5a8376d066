"""A real local HTTP server speaking the chat-completions protocol, for tests.

It answers deterministically, can be told to misbehave per prompt and attempt
(429, 500, slow answers, dropped connections, 401), and counts requests and the
most requests it had in flight at once.  It listens on a free loopback port.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


class ChatServer:
    def __init__(self, *, answer: Callable[[str], str] | None = None,
                 plan: Callable[[str, int], str] | None = None, api_key: str | None = None, delay: float = 0.0):
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
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_POST(self):
                with server.lock:
                    server.requests += 1
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                try:
                    self._handle()
                finally:
                    with server.lock:
                        server.in_flight -= 1

            def _send(self, status: int, body: dict, headers: dict | None = None):
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
                server.seen_auth.add(auth)
                if self.path != "/v1/chat/completions":
                    return self._send(404, {"error": "no such route"})
                if server.api_key is not None and auth != f"Bearer {server.api_key}":
                    return self._send(401, {"error": "bad key"})
                prompt = body["messages"][-1]["content"]
                with server.lock:
                    attempt = server.attempts[prompt]
                    server.attempts[prompt] += 1
                action = server.plan(prompt, attempt)
                if server.delay:
                    time.sleep(server.delay)
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
                text = server.answer(prompt)
                self._send(200, {
                    "id": "x", "object": "chat.completion", "model": body["model"],
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()),
                              "total_tokens": len(prompt.split()) + len(text.split())},
                })

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> "ChatServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
