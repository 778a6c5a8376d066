"""Pre-flight, retry budget, generation settings and several endpoints with
failover, against real HTTP servers on 127.0.0.1 started by the tests."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import orjson
import pytest

from medinst_core.errors import UsageError
from medinst_core.predict import PredictError, predict
from medinst_core.prompting import Generation, prompt_hash

from .chat_server import ChatServer
from .test_predict import FAST, read, write_samples


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def expected(i: int) -> str:
    return f"answer: question {i}"


# -- pre-flight -------------------------------------------------------------------------------


def test_a_closed_port_fails_the_command_in_under_5_seconds(tmp_path):
    from click.testing import CliRunner

    from medinst_core.cli import main

    samples = write_samples(tmp_path / "s.jsonl", 50)
    url = f"http://127.0.0.1:{closed_port()}/v1"
    t0 = time.monotonic()
    result = CliRunner().invoke(main, ["predict", str(samples), "--base-url", url, "--model", "m", "--out", str(tmp_path / "p.jsonl")])
    elapsed = time.monotonic() - t0
    assert elapsed < 5, f"took {elapsed:.1f}s"
    assert result.exit_code == 1 and result.stderr.startswith(f"Error: cannot reach {url}")


def test_a_closed_port_fails_fast_with_one_message(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 50)
    url = f"http://127.0.0.1:{closed_port()}/v1"
    cmd = [sys.executable, "-m", "medinst_core", "predict", str(samples), "--base-url", url, "--model", "m",
           "--out", str(tmp_path / "p.jsonl")]
    t0 = time.monotonic()
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    elapsed = time.monotonic() - t0
    # the interpreter's start and imports included (about 1-2 s on a loaded machine)
    assert elapsed < 10, f"took {elapsed:.1f}s"
    assert run.returncode != 0
    assert "Traceback" not in run.stderr
    assert run.stderr.startswith("Error: cannot reach " + url) and "--base-url" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert (tmp_path / "p.jsonl").read_bytes() == b""


def test_a_closed_port_fails_fast_through_the_api_despite_many_retries(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 5)
    t0 = time.monotonic()
    with pytest.raises(PredictError, match="cannot reach.*ConnectError"):
        predict(samples, tmp_path / "p.jsonl", base_url=f"http://127.0.0.1:{closed_port()}/v1", model="m",
                max_retries=50, backoff_base=1.0)
    assert time.monotonic() - t0 < 5


def test_an_unknown_host_is_unreachable(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 2)
    t0 = time.monotonic()
    with pytest.raises(PredictError, match="cannot reach http://no-such-host.invalid/v1"):
        predict(samples, tmp_path / "p.jsonl", base_url="http://no-such-host.invalid/v1", model="m", **FAST)
    assert time.monotonic() - t0 < 15


def test_a_bad_key_is_found_before_any_sample_is_sent(tmp_path, monkeypatch):
    samples = write_samples(tmp_path / "s.jsonl", 5)
    monkeypatch.setenv("MY_KEY", "wrong-key-1")
    with ChatServer(api_key="right") as server:
        with pytest.raises(PredictError, match="401.*before sending any sample"):
            predict(samples, tmp_path / "p.jsonl", base_url=server.base_url, model="m", api_key_env="MY_KEY", **FAST)
    assert server.requests == 0 and server.get_requests == 1


def test_a_wrong_path_is_found_by_a_one_token_request(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 5)
    with ChatServer() as server:
        with pytest.raises(PredictError, match="404.*--base-url"):
            predict(samples, tmp_path / "p.jsonl", base_url=server.base_url + "/v2", model="m", **FAST)
    assert server.requests == 1 and server.bodies[0]["max_tokens"] == 1


def test_a_model_the_server_does_not_list_is_a_warning(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 3)
    said = []
    with ChatServer(models=["llama-3-8b"]) as server:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=server.base_url, model="llama", on_message=said.append, **FAST)
    assert stats.done == 3
    assert said == [f"warning: {server.base_url} lists the models llama-3-8b, not 'llama'"]


# -- retry budget -----------------------------------------------------------------------------


def test_the_retry_budget_bounds_a_sample_in_time(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 2)
    t0 = time.monotonic()
    with ChatServer(plan=lambda p, a: "500" if p.endswith("question 0") else "ok") as server:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=server.base_url, model="m", max_retries=1000,
                        retry_budget=0.6, backoff_base=0.05, backoff_cap=0.1, timeout=2.0)
    assert time.monotonic() - t0 < 3
    assert [sid for sid, _ in stats.failed] == ["t.x:test:0"]
    assert "retry budget of 0.6s spent" in stats.failed[0][1]
    assert 3 <= server.attempts["Answer.\nquestion 0"] < 30


# -- generation settings ----------------------------------------------------------------------


def test_generation_settings_reach_the_server(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 2, history=True)
    with ChatServer() as server:
        predict(samples, tmp_path / "p.jsonl", base_url=server.base_url, model="m", system="Be brief.", temperature=0.3,
                max_tokens=64, stop=["###", "\n\n"], seed=7, **FAST)
    body = server.bodies[0]
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Answer.\nexample q"}, {"role": "assistant", "content": "example a"},
        {"role": "user", "content": body["messages"][-1]["content"]},
    ]
    assert (body["temperature"], body["max_tokens"], body["stop"], body["seed"], body["model"]) == (0.3, 64, ["###", "\n\n"], 7, "m")
    # the two requests run concurrently, so the server may have seen either first
    lines = {line["prompt_hash"]: line for line in read(tmp_path / "p.jsonl")}
    assert sorted(lines) == sorted(prompt_hash(b["messages"]) for b in server.bodies)
    assert all(line["finish_reason"] == "stop" for line in lines.values())


def test_defaults_are_medinst_published_settings(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    with ChatServer() as server:
        predict(samples, tmp_path / "p.jsonl", base_url=server.base_url, model="m", **FAST)
    assert server.bodies[0] == {"model": "m", "messages": [{"role": "user", "content": "Answer.\nquestion 0"}],
                                "max_tokens": 1024, "temperature": 0.0}


def test_the_completions_endpoint_sends_one_rendered_prompt(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 3, history=True)
    out = tmp_path / "p.jsonl"
    with ChatServer() as server:
        stats = predict(samples, out, base_url=server.base_url, model="m", endpoint="completions", system="Be brief.", **FAST)
    assert stats.done == 3
    prompts = sorted(b["prompt"] for b in server.bodies)
    assert prompts[0] == "Be brief.\n\nAnswer.\nexample q\nexample a\n\nAnswer.\nquestion 0\n"
    lines = {x["id"]: x for x in read(out)}
    assert lines["t.x:test:2"]["prediction"] == expected(2)
    gen = Generation(endpoint="completions", system="Be brief.")
    assert lines["t.x:test:0"]["prompt_hash"] == prompt_hash(gen.prompt(orjson.loads((tmp_path / "s.jsonl").read_bytes().splitlines()[0])))


def test_a_rerun_with_other_settings_is_refused(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 4)
    out = tmp_path / "p.jsonl"
    with ChatServer() as server:
        predict(samples, out, base_url=server.base_url, model="m", limit=2, **FAST)
        with pytest.raises(UsageError, match=r"other settings \(temperature 0\.0 \(now 0\.5\)"):
            predict(samples, out, base_url=server.base_url, model="m", temperature=0.5, **FAST)
        stats = predict(samples, out, base_url=server.base_url, model="m", **FAST)
    assert stats.already_done == 2 and stats.done == 2
    meta = orjson.loads((tmp_path / "p.jsonl.meta.json").read_bytes())
    assert [r["predicted"] for r in meta["runs"]] == [2, 0, 2] or [r["predicted"] for r in meta["runs"]] == [2, 2]


# -- several endpoints --------------------------------------------------------------------------


def test_requests_spread_over_endpoints_with_concurrency_per_endpoint(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 36)
    servers = [ChatServer(delay=0.05) for _ in range(3)]
    for s in servers:
        s.__enter__()
    try:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=[s.base_url for s in servers], model="m", concurrency=2,
                        **dict(FAST, timeout=20.0))
    finally:
        for s in servers:
            s.__exit__()
    assert stats.done == 36
    assert all(e["predicted"] >= 6 for e in stats.endpoints) and sum(e["predicted"] for e in stats.endpoints) == 36
    assert all(s.max_in_flight <= 2 for s in servers)
    assert [e["predicted"] for e in stats.endpoints] == [s.requests for s in servers] or stats.retries


def test_an_endpoint_dying_mid_run_fails_over_and_every_id_is_written_once(tmp_path):
    n = 90
    samples = write_samples(tmp_path / "s.jsonl", n)
    out = tmp_path / "p.jsonl"
    servers = [ChatServer(delay=0.03) for _ in range(3)]
    for s in servers:
        s.__enter__()
    victim = servers[1]

    def kill_when_busy():
        while victim.requests < 8:
            time.sleep(0.005)
        victim.kill()

    killer = threading.Thread(target=kill_when_busy)
    killer.start()
    said: list[str] = []
    try:
        stats = predict(samples, out, base_url=[s.base_url for s in servers], model="m", concurrency=3, down_after=0.1,
                        on_message=said.append, **FAST)
    finally:
        killer.join()
        for s in servers:
            s.__exit__()
    lines = read(out)
    ids = [x["id"] for x in lines]
    assert len(ids) == n and set(ids) == {f"t.x:test:{i}" for i in range(n)}
    assert all(x["prediction"] == expected(int(x["id"].rsplit(":", 1)[1])) for x in lines)
    assert stats.done == n and not stats.failed
    dead = stats.endpoints[1]
    assert not dead["alive"] and dead["predicted"] < n // 3
    assert any(f"endpoint {victim.base_url} taken out" in m for m in said)
    assert servers[0].requests + servers[2].requests >= n - dead["predicted"]


def test_unreachable_endpoints_are_left_out_at_the_start(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 10)
    said: list[str] = []
    bad = f"http://127.0.0.1:{closed_port()}/v1"
    with ChatServer() as server:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=[bad, server.base_url], model="m", on_message=said.append, **FAST)
    assert stats.done == 10 and server.requests == 10
    assert said and said[0].startswith(f"endpoint {bad}: ConnectError") and "left out" in said[0]


def test_all_endpoints_dying_stops_and_a_rerun_finishes_each_id_once(tmp_path):
    n = 40
    samples = write_samples(tmp_path / "s.jsonl", n)
    out = tmp_path / "p.jsonl"
    servers = [ChatServer(delay=0.03) for _ in range(2)]
    for s in servers:
        s.__enter__()

    def kill_both():
        while sum(s.requests for s in servers) < 10:
            time.sleep(0.005)
        for s in servers:
            s.kill()

    killer = threading.Thread(target=kill_both)
    killer.start()
    try:
        with pytest.raises(PredictError, match="every endpoint is out.*rerun to continue"):
            predict(samples, out, base_url=[s.base_url for s in servers], model="m", concurrency=2, down_after=0.2, **FAST)
    finally:
        killer.join()
    partial = len(read(out))
    assert 0 < partial < n
    with ChatServer() as fresh:
        stats = predict(samples, out, base_url=fresh.base_url, model="m", **FAST)
    assert stats.already_done == partial and stats.done == n - partial and fresh.requests == n - partial
    lines = read(out)
    assert sorted(x["id"] for x in lines) == sorted(f"t.x:test:{i}" for i in range(n))
    assert all(x["prediction"] == expected(int(x["id"].rsplit(":", 1)[1])) for x in lines)
    meta = orjson.loads((tmp_path / "p.jsonl.meta.json").read_bytes())
    assert meta["base_urls"] == [s.base_url for s in servers] + [fresh.base_url]
    assert len(meta["runs"]) == 2


def test_credentials_in_a_base_url_are_never_recorded_or_shown(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 3)
    out = tmp_path / "p.jsonl"
    said: list[str] = []
    bad = f"http://user:hunter2-pw@127.0.0.1:{closed_port()}/v1"
    with ChatServer() as server:
        url = server.base_url.replace("http://", "http://user:hunter2-pw@")
        stats = predict(samples, out, base_url=[bad, url], model="m", on_message=said.append, **FAST)
    assert stats.done == 3
    text = out.read_text() + (tmp_path / "p.jsonl.meta.json").read_text() + " ".join(said) + str(stats.endpoints)
    assert "hunter2" not in text and "<credentials>@127.0.0.1" in text


def test_the_cli_names_each_endpoint_and_what_it_did(tmp_path):
    from click.testing import CliRunner

    from medinst_core.cli import main

    samples = write_samples(tmp_path / "s.jsonl", 8)
    bad = f"http://127.0.0.1:{closed_port()}/v1"
    with ChatServer() as server:
        result = CliRunner().invoke(main, ["predict", str(samples), "--base-url", bad, "--base-url", server.base_url,
                                           "--model", "m", "--out", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"endpoint {bad}: ConnectError") and lines[0].endswith("left out of this run")
    assert lines[1].startswith("8 new predictions, 0 already done, 0 failed")
    assert f"  {server.base_url}: 8 predictions" in lines
    assert any(line.startswith(f"  {bad}: 0 predictions (taken out: unreachable") for line in lines)


def test_the_json_summary_counts_each_endpoint_and_the_failures(tmp_path):
    from click.testing import CliRunner

    from medinst_core.cli import main

    samples = write_samples(tmp_path / "s.jsonl", 5)
    bad = f"http://127.0.0.1:{closed_port()}/v1"
    with ChatServer() as server:
        result = CliRunner().invoke(main, ["predict", str(samples), "--base-url", bad, "--base-url", server.base_url,
                                           "--model", "m", "--out", str(tmp_path / "p.jsonl"), "--json"])
        again = CliRunner().invoke(main, ["predict", str(samples), "--base-url", server.base_url,
                                          "--model", "m", "--out", str(tmp_path / "p.jsonl"), "--json"])
    assert result.exit_code == 0, result.output
    summary = orjson.loads(result.stdout)
    assert (summary["done"], summary["already_done"], summary["failed"]) == (5, 0, [])
    assert summary["meta"] == str(tmp_path / "p.jsonl") + ".meta.json"
    by_url = {ep["url"]: ep for ep in summary["endpoints"]}
    assert by_url[server.base_url]["predicted"] == 5 and by_url[server.base_url]["alive"]
    assert by_url[bad]["predicted"] == 0 and not by_url[bad]["alive"]
    assert (orjson.loads(again.stdout)["done"], orjson.loads(again.stdout)["already_done"]) == (0, 5)


def test_malformed_history_and_a_binary_system_file_are_one_line_errors(tmp_path):
    from click.testing import CliRunner

    from medinst_core.cli import main

    samples = tmp_path / "s.jsonl"
    samples.write_bytes(orjson.dumps({"id": "a:test:1", "instruction": "Do.", "input": "x", "history": [["only one"]]}) + b"\n")
    with pytest.raises(UsageError, match=r"s.jsonl:1: history must be a list of \[user, assistant\] string pairs"):
        predict(samples, tmp_path / "p.jsonl", base_url="http://127.0.0.1:9/v1", model="m", **FAST)
    (tmp_path / "sys.txt").write_bytes(b"\xff\xfe\x00binary")
    write_samples(samples, 1)
    result = CliRunner().invoke(main, ["predict", str(samples), "--base-url", "http://127.0.0.1:9/v1", "--model", "m",
                                       "--system-file", str(tmp_path / "sys.txt"), "--out", str(tmp_path / "p.jsonl")])
    assert result.exit_code == 2 and "not UTF-8 text" in result.stderr and "Traceback" not in result.output
