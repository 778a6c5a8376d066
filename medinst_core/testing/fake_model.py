"""A stand-in model behind an OpenAI-compatible chat-completions API, to try
``medinst predict`` (and test it) without a real model::

    python -m medinst_core.testing.fake_model --gold suite/zero-shot --port 8000
    medinst predict suite/zero-shot --base-url http://127.0.0.1:8000/v1 --model fake --out predictions.jsonl

With ``--gold`` (a samples file or a folder of them) it answers a prompt with
the gold output of the sample that makes this prompt (``instruction + "\\n" +
input``, as ``medinst predict`` sends it), except every ``--wrong``-th prompt
(chosen by a hash of the prompt, so the same ones every run), which gets "I do
not know." like any prompt it does not know.  The scores are then those of a
model right on about ``1 - 1/wrong`` of the samples.  It listens on 127.0.0.1
only and answers ``POST /v1/chat/completions``; nothing else.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

UNKNOWN = "I do not know."


def gold_answers(source: str | Path) -> dict[str, str]:
    """Prompt -> gold output of every sample in a samples file or folder."""
    path = Path(source)
    files = [path] if path.is_file() else sorted(path.rglob("*.jsonl"))
    answers: dict[str, str] = {}
    for file in files:
        with open(file, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    sample = json.loads(line)
                    answers[sample["instruction"] + "\n" + sample["input"]] = sample["output"]
    return answers


class FakeModel:
    """The server; a context manager that serves in a thread (``port=0``
    takes a free port; :attr:`base_url` is the API root to give predict)."""

    def __init__(self, answers: dict[str, str] | None = None, *, wrong: int = 0, port: int = 0) -> None:
        self.answers = answers or {}
        self.wrong = wrong
        model = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                if self.path.rstrip("/") != "/v1/chat/completions":
                    return self._send(404, {"error": {"message": f"no route {self.path}"}})
                try:
                    body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                    prompt = body["messages"][-1]["content"]
                except (ValueError, KeyError, IndexError, TypeError):
                    return self._send(400, {"error": {"message": "expected a chat-completions request"}})
                text = model.answer(prompt)
                self._send(200, {
                    "id": "fake", "object": "chat.completion", "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": len(prompt.split()), "completion_tokens": len(text.split()),
                              "total_tokens": len(prompt.split()) + len(text.split())},
                })

            def _send(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    def answer(self, prompt: str) -> str:
        if self.wrong and int(hashlib.sha256(prompt.encode()).hexdigest(), 16) % self.wrong == 0:
            return UNKNOWN
        return self.answers.get(prompt, UNKNOWN)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeModel:
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m medinst_core.testing.fake_model", description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", help="samples file or folder whose outputs are the answers")
    ap.add_argument("--wrong", type=int, default=3, help="answer every N-th prompt wrongly (0: never; default 3)")
    ap.add_argument("--port", type=int, default=8000)
    args = ap.parse_args(argv)
    answers = gold_answers(args.gold) if args.gold else {}
    server = FakeModel(answers, wrong=args.wrong, port=args.port)
    print(f"fake model with {len(answers):,} known prompts on {server.base_url}", file=sys.stderr, flush=True)
    try:
        server.httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
