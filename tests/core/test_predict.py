from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from medinst_core.predict import PredictError, messages, predict

from .chat_server import ChatServer


def write_samples(path, n, history=False):
    with open(path, "wb") as f:
        for i in range(n):
            sample = {"id": f"t.x:test:{i}", "task": "t.x", "instruction": "Answer.", "input": f"question {i}", "output": f"gold {i}"}
            if history:
                sample["history"] = [["Answer.\nexample q", "example a"]]
            f.write(orjson.dumps(sample) + b"\n")
    return path


def read(path):
    return [orjson.loads(x) for x in path.read_bytes().splitlines()]


FAST = dict(backoff_base=0.01, backoff_cap=0.05, timeout=2.0)


def test_messages_put_history_first():
    sample = {"instruction": "Do it.", "input": "text", "history": [["u1", "a1"], ["u2", "a2"]]}
    assert messages(sample) == [
        {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"},
        {"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"},
        {"role": "user", "content": "Do it.\ntext"},
    ]


def test_all_samples_once_with_bounded_concurrency(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 24, history=True)
    out = tmp_path / "p.jsonl"
    with ChatServer(delay=0.05) as server:
        stats = predict(samples, out, base_url=server.base_url, model="m", concurrency=4, **FAST)
    lines = read(out)
    assert sorted(x["id"] for x in lines) == sorted(f"t.x:test:{i}" for i in range(24))
    assert stats.done == 24 and server.requests == 24
    assert 2 <= server.max_in_flight <= 4
    first = next(x for x in lines if x["id"] == "t.x:test:3")
    assert first["prediction"] == "answer: question 3" and first["model"] == "m"
    assert first["usage"]["total_tokens"] > 0 and first["latency_s"] >= 0


def test_retries_429_500_drops_and_timeouts(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 12)
    bad = {"question 1": ["429", "429"], "question 2": ["500"], "question 3": ["drop"], "question 4": ["sleep:3"]}

    def plan(prompt, attempt):
        steps = bad.get(prompt.split("\n")[-1], [])
        return steps[attempt] if attempt < len(steps) else "ok"

    out = tmp_path / "p.jsonl"
    with ChatServer(plan=plan) as server:
        stats = predict(samples, out, base_url=server.base_url, model="m", concurrency=3, **dict(FAST, timeout=1.0))
    assert stats.done == 12 and not stats.failed
    assert stats.retries == 5
    assert server.requests == 12 + 5
    assert len(read(out)) == 12


def test_gives_up_after_max_retries(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 3)
    out = tmp_path / "p.jsonl"
    with ChatServer(plan=lambda p, a: "500" if p.endswith("question 0") else "ok") as server:
        stats = predict(samples, out, base_url=server.base_url, model="m", max_retries=2, **FAST)
    assert stats.failed == [("t.x:test:0", "HTTP 500")]
    assert server.attempts["Answer.\nquestion 0"] == 3
    assert {x["id"] for x in read(out)} == {"t.x:test:1", "t.x:test:2"}


def test_unauthorized_stops_and_never_writes_the_key(tmp_path, monkeypatch):
    samples = write_samples(tmp_path / "s.jsonl", 5)
    out = tmp_path / "p.jsonl"
    monkeypatch.setenv("MY_KEY", "sekrit-123")
    with ChatServer(api_key="other") as server:
        with pytest.raises(PredictError, match="401"):
            predict(samples, out, base_url=server.base_url, model="m", api_key_env="MY_KEY", **FAST)
        assert "Bearer sekrit-123" in server.seen_auth
    with ChatServer(api_key="sekrit-123") as server:
        predict(samples, out, base_url=server.base_url, model="m", api_key_env="MY_KEY", **FAST)
    assert b"sekrit" not in out.read_bytes()


def test_wrong_path_is_a_clear_404(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 2)
    with ChatServer() as server:
        with pytest.raises(PredictError, match="404.*--base-url"):
            predict(samples, tmp_path / "p.jsonl", base_url=server.base_url + "/extra", model="m", **FAST)


def test_resume_skips_done_ids_and_repairs_a_cut_line(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 10)
    out = tmp_path / "p.jsonl"
    with ChatServer() as server:
        predict(samples, out, base_url=server.base_url, model="m", limit=4, concurrency=1, **FAST)
        with open(out, "ab") as f:
            f.write(b'{"id": "t.x:test:9", "predic')  # a line cut by a kill
        stats = predict(samples, out, base_url=server.base_url, model="m", **FAST)
    assert stats.already_done == 4 and stats.done == 6
    ids = [x["id"] for x in read(out)]
    assert sorted(ids) == sorted(f"t.x:test:{i}" for i in range(10))


def test_killed_cli_run_restarts_and_finishes_each_id_once(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 40)
    out = tmp_path / "p.jsonl"
    with ChatServer(delay=0.05) as server:
        cmd = [sys.executable, "-m", "medinst_core", "predict", str(samples), "--base-url", server.base_url,
               "--model", "m", "--concurrency", "2", "--out", str(out)]
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while time.time() < deadline and (not out.exists() or len(out.read_bytes().splitlines()) < 5):
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        partial = len(out.read_bytes().splitlines())
        assert 5 <= partial < 40
        again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert again.returncode == 0, again.stderr
    ids = [x["id"] for x in read(out)]
    assert len(ids) == 40 and len(set(ids)) == 40
    assert server.requests <= 40 + 2  # at most the requests in flight were lost
