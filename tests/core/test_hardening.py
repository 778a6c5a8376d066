"""Regression tests of issue #21: faults end in one clear message and a
non-zero status, never in a leaked secret, silent corruption, a traceback, a
hang or a stale file.  One test (or parameter) per attack that failed before."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import orjson
import pytest

from medinst_core import hookimpl
from medinst_core.errors import MedinstError, SourceError, UsageError, describe_os_error
from medinst_core.io import atomic_write, locked_folder, remove_stale_partials
from medinst_core.pipeline import build
from medinst_core.plugins import load_registry
from medinst_core.predict import predict
from medinst_core.sources import FileIndex

from .chat_server import ChatServer
from .helpers import ToyPlugin, manifest, write_toy_data
from .test_predict import FAST, read, write_samples

TESTS = str(Path(__file__).resolve().parent.parent)


# -- 2. secrets ----------------------------------------------------------------


def test_a_crlf_key_is_stripped_and_never_shown(tmp_path, monkeypatch):
    samples = write_samples(tmp_path / "s.jsonl", 3)
    out = tmp_path / "p.jsonl"
    monkeypatch.setenv("MY_KEY", "sk-secret-4567\r\n")
    with ChatServer(api_key="sk-secret-4567") as server:
        stats = predict(samples, out, base_url=server.base_url, model="m", api_key_env="MY_KEY", **FAST)
    assert stats.done == 3 and not stats.failed
    assert server.seen_auth == {"Bearer sk-secret-4567"}
    assert b"secret" not in out.read_bytes()


@pytest.mark.parametrize("key", ["sk-caf\u00e9-secret", "sk-a\rb-secret", "sk-in side"])
def test_a_bad_key_is_refused_without_echoing_it(tmp_path, monkeypatch, key):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    monkeypatch.setenv("MY_KEY", key)
    with pytest.raises(UsageError) as err:
        predict(samples, tmp_path / "p.jsonl", base_url="http://127.0.0.1:9/v1", model="m", api_key_env="MY_KEY", **FAST)
    assert "secret" not in str(err.value) and "MY_KEY" in str(err.value)


def test_the_key_is_scrubbed_from_server_echoes(tmp_path, monkeypatch):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    monkeypatch.setenv("MY_KEY", "sk-echoed-9876")

    with _raw_server(lambda auth: (418, auth.encode())) as url:
        with pytest.raises(MedinstError) as err:
            predict(samples, tmp_path / "p.jsonl", base_url=url, model="m", api_key_env="MY_KEY", **FAST)
    assert "echoed" not in str(err.value) and "418" in str(err.value)


# -- 6. HTTP faults -------------------------------------------------------------


class _raw_server:
    """A loopback server answering every request with ``handler(auth)`` ->
    ``(status, body)``, or with ``handler`` as raw bytes sent slowly."""

    def __init__(self, handler, *, drip: bytes | None = None, headers: bytes = b""):
        self.handler, self.drip, self.headers = handler, drip, headers
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.stop = False

    def __enter__(self):
        threading.Thread(target=self._serve, daemon=True).start()
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}/v1"

    def __exit__(self, *exc):
        self.stop = True
        self.sock.close()

    def _serve(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn):
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                data += conn.recv(65536)
            head, _, body = data.partition(b"\r\n\r\n")
            length = next((int(h.split(b":")[1]) for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")), 0)
            while len(body) < length:
                body += conn.recv(65536)
            auth = next((h.split(b":", 1)[1].strip().decode() for h in head.split(b"\r\n") if h.lower().startswith(b"authorization")), "")
            if self.drip is not None:
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n" + self.headers
                             + f"Content-Length: {len(self.drip)}\r\n\r\n".encode())
                for i in range(len(self.drip)):
                    if self.stop:
                        return
                    conn.sendall(self.drip[i : i + 1])
                    time.sleep(0.2)
                return
            status, payload = self.handler(auth)
            # each connection answers one request, and says so: a client would otherwise reuse it
            # for the next request and meet the closed socket (ReadError), depending on timing
            conn.sendall(f"HTTP/1.1 {status} X\r\nContent-Length: {len(payload)}\r\nConnection: close\r\n".encode()
                         + self.headers + b"\r\n" + payload)
        except OSError:
            pass
        finally:
            conn.close()


def test_a_slow_drip_answer_hits_the_overall_deadline(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    answer = orjson.dumps({"choices": [{"message": {"content": "x"}}]})
    with _raw_server(None, drip=answer) as url:
        t0 = time.time()
        stats = predict(samples, tmp_path / "p.jsonl", base_url=url, model="m", max_retries=0, **dict(FAST, timeout=1.0))
    assert time.time() - t0 < 5
    assert stats.failed and "within 1s" in stats.failed[0][1]


def test_a_bad_gzip_body_is_a_failure_with_a_message(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    with _raw_server(lambda auth: (200, b"not gzip at all"), headers=b"Content-Encoding: gzip\r\n") as url:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=url, model="m", max_retries=1, **FAST)
    assert stats.failed and "DecodingError" in stats.failed[0][1]


@pytest.mark.parametrize("content", [123, ["a"], {"x": 1}])
def test_a_non_string_content_is_not_written(tmp_path, content):
    samples = write_samples(tmp_path / "s.jsonl", 1)
    body = orjson.dumps({"choices": [{"message": {"content": content}}]})
    with _raw_server(lambda auth: (200, body)) as url:
        stats = predict(samples, tmp_path / "p.jsonl", base_url=url, model="m", max_retries=0, **FAST)
    assert stats.failed and "not a chat completion" in stats.failed[0][1]
    assert (tmp_path / "p.jsonl").read_bytes() == b""


def test_two_predict_runs_on_one_file_do_not_both_write(tmp_path):
    samples = write_samples(tmp_path / "s.jsonl", 6)
    out = tmp_path / "p.jsonl"
    with ChatServer(delay=0.2) as server:
        errors = []

        def second():
            time.sleep(0.1)
            try:
                predict(samples, out, base_url=server.base_url, model="m", concurrency=1, **FAST)
            except UsageError as exc:
                errors.append(str(exc))

        t = threading.Thread(target=second)
        t.start()
        predict(samples, out, base_url=server.base_url, model="m", concurrency=1, **FAST)
        t.join()
    assert errors and "another medinst predict" in errors[0]
    ids = [x["id"] for x in read(out)]
    assert len(ids) == len(set(ids)) == 6


# -- 3. silent corruption ---------------------------------------------------------


def _reg(reader=None, **changes):
    plugin = ToyPlugin(task=manifest(**changes))
    plugins = [("toy", plugin)]
    if reader is not None:

        class Extra:
            @hookimpl
            def register_readers(self, register):
                register("toy_bad", reader, record_kind="text")

        plugins.append(("toy_bad", Extra()))
    return load_registry(entrypoints=False, plugins=plugins)


def test_empty_input_is_an_error_not_an_empty_output(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "train.tsv").write_text("")
    reg = _reg()
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
    [(_, _, error)] = result.failed
    assert "no record read" in error and "train.tsv" in error
    assert not (tmp_path / "out" / "toy.labels" / "train.jsonl").exists()


def test_duplicate_record_ids_are_an_error(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "train.tsv").write_text("r1\ta\tpos\nr2\tb\tpos\nr1\tc\tpos\n")
    reg = _reg()
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
    [(_, _, error)] = result.failed
    assert "toy.labels:train:r1" in error and "twice" in error


def test_nul_bytes_do_not_pass_into_samples(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "train.tsv").write_text("r1\tte\x00xt\tpos\n")
    reg = _reg()
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, splits=["train"])
    [(_, _, error)] = result.failed
    assert "NUL" in error and "'r1'" in error


def test_a_huge_line_is_not_echoed_in_full():
    err = SourceError("f.txt", 3, "bad line " + "x" * 10_000_000)
    assert len(str(err)) < 3000 and "characters in all" in str(err)


# -- 7. hostile plugins -------------------------------------------------------------


def _yields_dicts(files, options, diagnostics):
    yield {"not": "a record"}


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_reader_yielding_a_non_record_is_one_error(tmp_path, jobs):
    data = write_toy_data(tmp_path / "data")
    m = manifest()
    m["source"]["reader"] = "toy_bad"
    reg = _reg(reader=_yields_dicts, source=m["source"])
    # with jobs=2 the two splits are built in worker processes, which must use
    # the registry given to build() (the toy plugins), not the installed one
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, jobs=jobs)
    assert len(result.failed) == 2
    assert all("yielded dict" in e and "not a record" in e for _, _, e in result.failed)
    assert (tmp_path / "out" / "build.json").is_file()


def test_a_worker_that_dies_is_a_failed_split_and_build_json_is_written(tmp_path, monkeypatch):
    import medinst_core.pipeline as pipeline

    data = write_toy_data(tmp_path / "data")
    reg = _reg()
    monkeypatch.setattr(pipeline, "_build_unit_in_worker", _die)
    result = build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg, jobs=2)
    assert len(result.failed) == 2 and all("worker process failed" in e for _, _, e in result.failed)
    assert orjson.loads((tmp_path / "out" / "build.json").read_bytes())["tasks"] == {}


def _die(*args):
    os._exit(3)


def test_workers_end_when_their_parent_is_gone():
    code = "import time; from medinst_core.build_state import worker_init; worker_init(-5); time.sleep(30)"
    t0 = time.time()
    subprocess.run([sys.executable, "-c", code], timeout=20)
    assert time.time() - t0 < 10


# -- 4. OS errors --------------------------------------------------------------------


def _cli(*args, env=None, preexec=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "medinst_core", *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, preexec_fn=preexec, cwd=cwd, timeout=120)


def test_atomic_write_removes_its_file_when_closing_fails_too(tmp_path, monkeypatch):
    target = tmp_path / "x.jsonl"
    with pytest.raises(OSError):
        with atomic_write(target) as f:
            f.write(b"x" * 100)
            # the buffered bytes cannot be flushed: close() raises as well
            os.close(f.fileno())
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_stale_partials_of_dead_processes_are_removed(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    (tmp_path / "t").mkdir()
    stale = tmp_path / "t" / f".train.jsonl.partial-{pid}"
    stale.write_bytes(b"x")
    mine = tmp_path / "t" / f".test.jsonl.partial-{os.getpid()}"
    mine.write_bytes(b"x")
    assert remove_stale_partials(tmp_path) == [stale]
    assert mine.exists()


def test_a_second_build_into_a_locked_folder_stops(tmp_path):
    data = write_toy_data(tmp_path / "data")
    reg = _reg()
    with locked_folder(tmp_path / "out"):
        code = (
            f"import fcntl; f = open({str(tmp_path / 'out' / '.medinst.lock')!r}, 'a+b');\n"
            "try:\n fcntl.flock(f.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB); print('free')\n"
            "except BlockingIOError: print('locked')"
        )
        assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "locked"
    assert build([reg.task("toy.labels")], tmp_path / "out", data_dir=data, registry=reg).ok


def test_build_json_is_invalidated_before_a_rebuild_and_malformed_ones_are_replaced(tmp_path, monkeypatch):
    import medinst_core.pipeline as pipeline

    data = write_toy_data(tmp_path / "data")
    reg = _reg()
    out = tmp_path / "out"
    (out).mkdir()
    (out / "build.json").write_text('["not", "an", "object"]')
    assert build([reg.task("toy.labels")], out, data_dir=data, registry=reg).ok
    assert set(orjson.loads((out / "build.json").read_bytes())["tasks"]["toy.labels"]["splits"]) == {"train", "test"}

    def killed(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "build_split", killed)
    with pytest.raises(KeyboardInterrupt):
        build([reg.task("toy.labels")], out, data_dir=data, registry=reg, splits=["train"])
    info = orjson.loads((out / "build.json").read_bytes())
    assert set(info["tasks"]["toy.labels"]["splits"]) == {"test"}


def test_a_failed_rebuild_leaves_no_undescribed_file(tmp_path):
    data = write_toy_data(tmp_path / "data")
    reg = _reg()
    out = tmp_path / "out"
    assert build([reg.task("toy.labels")], out, data_dir=data, registry=reg).ok
    (data / "nested" / "train.tsv").write_text("r1\tonly two columns\n")
    assert not build([reg.task("toy.labels")], out, data_dir=data, registry=reg).ok
    assert not (out / "toy.labels" / "train.jsonl").exists()
    assert set(orjson.loads((out / "build.json").read_bytes())["tasks"]["toy.labels"]["splits"]) == {"test"}


def test_describe_os_error_names_the_file():
    assert describe_os_error(OSError(28, "No space left on device", "/x/y")) == "/x/y: the disk is full"


@pytest.mark.skipif(not hasattr(resource, "RLIMIT_FSIZE"), reason="no file-size limit here")
def test_file_size_limit_is_one_line_and_leaves_no_partial(tmp_path):
    out = tmp_path / "out"

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    run = _cli("build", "ncbi_disease.ner", "--bundled", "--out", str(out), preexec=limit)
    if "no task selected" in run.stderr or "unknown task" in run.stderr.lower():
        pytest.skip("the NCBI-disease plugin is not installed")
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "file-size limit" in run.stderr
    assert not [p for p in out.rglob("*") if ".partial-" in p.name]


_DENIED = {"permission denied", "operation not permitted", "the file system is read-only"}


def _immutable(folder: Path) -> bool:
    """``chattr +i`` on ``folder``: a folder that even root cannot write into."""
    try:
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False
    return done


def _check_unwritable(run):
    if "unknown task" in run.stderr.lower() or "no task selected" in run.stderr:
        pytest.skip("the NCBI-disease plugin is not installed")
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and run.stderr.startswith("Error: ")
    assert any(reason in run.stderr for reason in _DENIED), run.stderr


def test_unwritable_out_is_one_line(tmp_path):
    """A real unwritable folder: chmod 500 for a user, chattr +i for root
    (root writes through permissions); skipped where neither is possible."""
    out = tmp_path / "ro"
    out.mkdir()
    if os.geteuid() == 0:
        if not _immutable(out):
            pytest.skip("chattr +i is not supported here (test_out_on_a_read_only_file_system covers root)")
    else:
        out.chmod(0o500)
    try:
        run = _cli("build", "ncbi_disease.ner", "--bundled", "--out", str(out / "sub"))
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(out)], capture_output=True, timeout=20)
    _check_unwritable(run)


_REFUSE = """
import errno, os, sys
root, code = sys.argv.pop(1), int(sys.argv.pop(1))
def refusing(real):
    def call(path, *args, **kwargs):
        if os.fspath(path).startswith(root):
            raise OSError(code, os.strerror(code), os.fspath(path))
        return real(path, *args, **kwargs)
    return call
os.open, os.mkdir = refusing(os.open), refusing(os.mkdir)
from medinst_core.cli import main
main(prog_name="medinst")
"""


@pytest.mark.parametrize("code", ["EACCES", "EROFS"])
def test_out_on_a_read_only_file_system_is_one_line(tmp_path, code):
    """As root (CI) too: the system refuses every write under --out (os.open and
    os.mkdir fail as on a read-only mount or a folder of another user)."""
    import errno

    out = tmp_path / "ro"
    run = subprocess.run([sys.executable, "-c", _REFUSE, str(out), str(getattr(errno, code)),
                          "build", "ncbi_disease.ner", "--bundled", "--out", str(out / "sub")],
                         capture_output=True, text=True, timeout=120)
    _check_unwritable(run)
    assert str(out) in run.stderr
    assert not out.exists()


def test_os_errors_are_one_line_and_debug_shows_the_traceback(tmp_path):
    out = tmp_path / "afile"
    out.write_text("x")
    run = _cli("build", "ncbi_disease.ner", "--bundled", "--out", str(out / "sub"))
    assert run.returncode == 1 and "Traceback" not in run.stderr and run.stderr.startswith("Error: ")
    run = _cli("--debug", "build", "ncbi_disease.ner", "--bundled", "--out", str(out / "sub"))
    assert run.returncode != 0 and "Traceback" in run.stderr


# -- 6. file walk ----------------------------------------------------------------------


def test_symlink_loops_end_and_links_out_of_the_folder_are_not_followed(tmp_path):
    data = tmp_path / "data"
    (data / "a" / "b").mkdir(parents=True)
    (data / "a" / "b" / "train.tsv").write_text("r1\tx\tpos\n")
    (data / "a" / "b" / "loop").symlink_to(data / "a")
    (data / "a" / "loop2").symlink_to(data)
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0\n")
    (data / "a" / "test.tsv").symlink_to(secret)
    (data / "outside").symlink_to(tmp_path)
    (data / "inside.tsv").symlink_to(data / "a" / "b" / "train.tsv")
    index = FileIndex(data)
    names = ["/".join(p) for p in index.listed()]
    assert names == ["inside.tsv", "a/b/train.tsv"] or sorted(names) == sorted(["inside.tsv", "a/b/train.tsv"])
    assert len(index.skipped_links) == 2
    followed = FileIndex(data, follow_symlinks=True)
    assert any(p[-1] == "passwd" for p in followed.listed()) and len(list(followed.listed())) < 20


# -- 3. readers --------------------------------------------------------------------------


def _pubtator(tmp_path, text):
    from medinst_core.diagnostics import Diagnostics
    from medinst_core.readers.pubtator import read_pubtator
    from medinst_core.sources import SourceFiles

    path = tmp_path / "x.PubTator.txt"
    path.write_text(text)
    return list(read_pubtator(SourceFiles(tmp_path, {"data": (path,)}), {}, Diagnostics()))


@pytest.mark.parametrize(
    "line, message",
    [
        ("1\t0\t34x\tTitle\tDisease\tD1", "end offset '34x' is not a number"),
        ("1\t0x\t5\tTitle\tDisease\tD1", "start offset '0x' is not a number"),
        ("1\t0\t" + "9" * 5000 + "\tTitle\tDisease\tD1", "is too large"),
        ("1\t0\t5\tTit", "mention line has 4 columns"),  # a document cut off mid-line
    ],
)
def test_pubtator_malformed_mention_is_never_a_relation(tmp_path, line, message):
    with pytest.raises(SourceError) as err:
        _pubtator(tmp_path, f"1|t|Title here\n1|a|An abstract.\n{line}\n")
    assert message in str(err.value) and ":3:" in str(err.value)


def test_pubtator_relation_lines_still_read(tmp_path):
    [record] = _pubtator(tmp_path, "1|t|Title here\n1|a|An abstract.\n1\t0\t5\tTitle\tGene\t5743\n1\tAssociation\t5743\t5743\n")
    assert len(record.entities) == 1 and len(record.concept_relations) == 1


def test_bioc_processing_instruction_does_not_hide_entities(tmp_path):
    from medinst_core.readers.bioc import check_xml_prolog

    path = tmp_path / "x.xml"
    path.write_text('<?xml version="1.0"?><?x <collection?><!DOCTYPE collection [<!ENTITY a "aaaa">]><collection/>')
    with pytest.raises(SourceError, match="ENTITY"):
        check_xml_prolog(path)
    path.write_text('<?xml version="1.0"?><!DOCTYPE c [<!ATTLIST c a CDATA "<collection">]><!-- <x --><collection/>')
    check_xml_prolog(path)  # no entity: fine
    path.write_text('<?xml version="1.0"?><!DOCTYPE c [<!ATTLIST c a CDATA "<b>"><!ENTITY a "a">]><c/>')
    with pytest.raises(SourceError, match="ENTITY"):
        check_xml_prolog(path)


# -- 9. a huge prediction ------------------------------------------------------------------


def test_rouge_l_on_a_huge_prediction_is_fast_and_exact(monkeypatch):
    import random

    import medinst_core.metrics.rouge as rouge

    rng = random.Random(5)
    words = [f"w{i}" for i in range(50)]
    gold = [rng.choice(words) for _ in range(300)]
    long = [rng.choice(words + [f"x{i}" for i in range(2000)]) for _ in range(9000)]
    fast = rouge.lcs_length(gold, long)
    monkeypatch.setattr(rouge, "_LONG", 10**9)
    assert fast == rouge.lcs_length(gold, long)
    monkeypatch.undo()
    huge = " ".join(words * 40_000)  # 2M tokens, 8 MB: 49 s with masks grown bit by bit
    t0 = time.perf_counter()
    score = rouge.rouge_l_fmeasure(" ".join(gold), huge)
    assert 0 < score < 0.01 and time.perf_counter() - t0 < 30  # about 3 s on an idle core
