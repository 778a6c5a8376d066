"""Throughput of `medinst predict` against 1 and 3 local servers with a fixed
latency per request (a stand-in for a model server whose batch is full).

    python benchmarks/bench_predict.py [--samples N] [--latency S] [--concurrency C] [--repeats R]

The servers run in their own processes.  Each run predicts the same samples into a fresh file; 1-server and 3-server
runs are interleaved and the median of the repeats is reported with the ratio.
With ``C`` requests in flight per server and latency ``L`` the ideal is
``N * L / (C * servers)`` seconds.  Synthetic samples; loopback HTTP only.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import statistics
import tempfile
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from medinst_core.predict import predict


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _json(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self._json({"object": "list", "data": [{"id": "m"}]})

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        time.sleep(self.server.latency)  # type: ignore[attr-defined]
        text = "answer: " + body["messages"][-1]["content"][-20:]
        self._json({"choices": [{"message": {"role": "assistant", "content": text}, "finish_reason": "stop"}]})


def _serve(latency: float, ports) -> None:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.latency = latency  # type: ignore[attr-defined]
    ports.put(httpd.server_address[1])
    httpd.serve_forever()


def servers(n: int, latency: float) -> tuple[list[str], list[multiprocessing.Process]]:
    """``n`` servers, each in its own process (not sharing the client's interpreter lock)."""
    ports: multiprocessing.Queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_serve, args=(latency, ports), daemon=True) for _ in range(n)]
    for p in procs:
        p.start()
    return [f"http://127.0.0.1:{ports.get(timeout=30)}/v1" for _ in procs], procs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--samples", type=int, default=240)
    ap.add_argument("--latency", type=float, default=0.1)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--repeats", type=int, default=3)
    args = ap.parse_args()
    urls, procs = servers(3, args.latency)
    times: dict[int, list[float]] = {1: [], 3: []}
    with tempfile.TemporaryDirectory(prefix="medinst-bench-predict-") as tmp:
        samples = Path(tmp) / "samples.jsonl"
        with open(samples, "w") as f:
            for i in range(args.samples):
                sample = {"id": f"t.x:test:{i}", "task": "t.x", "instruction": "Answer.", "input": f"q{i}", "output": "a"}
                f.write(json.dumps(sample) + "\n")
        run = 0
        for _ in range(args.repeats):
            for n in (1, 3):
                run += 1
                out = Path(tmp) / f"p{run}.jsonl"
                t0 = time.perf_counter()
                stats = predict(samples, out, base_url=urls[:n], model="m", concurrency=args.concurrency, api_key_env=None)
                times[n].append(time.perf_counter() - t0)
                assert stats.done == args.samples and not stats.failed
    for p in procs:
        p.terminate()
    ideal = {n: args.samples * args.latency / (args.concurrency * n) for n in times}
    for n, ts in times.items():
        med = statistics.median(ts)
        print(f"{n} server(s): median {med:.2f}s over {len(ts)} runs ({args.samples / med:.0f} samples/s; ideal {ideal[n]:.2f}s)")
    print(f"speed-up 3 vs 1: {statistics.median(times[1]) / statistics.median(times[3]):.2f}x (ideal 3x)")


if __name__ == "__main__":
    main()
