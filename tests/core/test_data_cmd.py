"""`medinst data status` and `medinst data download`, the latter against an
HTTP server started on 127.0.0.1 by the test (no internet)."""

from __future__ import annotations

import hashlib
import io
import json
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner

from medinst_core.cli import main
from medinst_core.datafiles import DownloadError, fetch
from medinst_core.testing import registered

from .helpers import ToyPlugin, manifest, write_toy_data


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def _archive() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("toy/train.tsv", "r0\ttext zero\tpos\nr1\ttext one\tneg\n" * 2000)
        z.writestr("toy/test.tsv", "t0\ta test text\tneg\n")
    return buf.getvalue()


ARCHIVE = _archive()
SHA = hashlib.sha256(ARCHIVE).hexdigest()


class Server:
    """Serves /toy.zip with Range support; ``cut`` bytes makes the next full
    response stop after that many bytes; ``corrupt`` serves other bytes."""

    def __init__(self):
        self.cut: int | None = None
        self.corrupt = False
        self.ranges: list[str | None] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                body = ARCHIVE if not server.corrupt else ARCHIVE[:-10] + b"0123456789"
                rng = self.headers.get("Range")
                server.ranges.append(rng)
                start = int(rng.split("=")[1].split("-")[0]) if rng else 0
                if start >= len(body):
                    self.send_response(416)
                    self.end_headers()
                    return
                self.send_response(206 if rng else 200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                chunk = body[start:]
                if server.cut is not None:
                    chunk, server.cut = chunk[: server.cut], None
                    self.wfile.write(chunk)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(chunk)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/toy.zip"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with Server() as s:
        yield s


def test_fetch_verifies_and_resumes_after_interruption(server, tmp_path):
    target = tmp_path / "toy.zip"
    server.cut = 1000
    with pytest.raises(DownloadError, match="interrupted|expected"):
        fetch(server.url, target, sha256=SHA, size=len(ARCHIVE))
    part = tmp_path / "toy.zip.part"
    assert part.stat().st_size == 1000 and not target.exists()
    fetch(server.url, target, sha256=SHA, size=len(ARCHIVE))
    assert server.ranges[-1] == "bytes=1000-"  # resumed, not started again
    assert target.read_bytes() == ARCHIVE and not part.exists()


def test_fetch_rejects_a_corrupted_file_and_leaves_nothing(server, tmp_path):
    server.corrupt = True
    target = tmp_path / "toy.zip"
    with pytest.raises(DownloadError, match="does not match"):
        fetch(server.url, target, sha256=SHA)
    assert list(tmp_path.iterdir()) == []


def _task(url=None, sha=SHA, access="public"):
    m = manifest()
    m["dataset"]["access"] = access
    m["dataset"]["download"] = "toy.zip from the toy homepage"
    if url:
        m["dataset"]["downloads"] = [{"url": url, "sha256": sha}]
    return m


def test_data_download_cli_fetches_unpacks_and_builds(server, tmp_path):
    data = tmp_path / "data"
    with registered(("toy", ToyPlugin(task=_task(server.url)))):
        result = invoke("data", "download", "toy.labels", "--data-dir", data)
        assert result.exit_code == 0, result.output
        assert "sha256 verified" in result.output and "2 file(s) unpacked" in result.output
        assert (data / "toy" / "toy" / "train.tsv").is_file()
        status = invoke("data", "status", "--data-dir", data, "--json")
        assert json.loads(status.stdout)["counts"] == {"present": 2, "missing": 0, "unexpected": 0}
        again = invoke("data", "download", "Toy", "--data-dir", data)  # by dataset name; already there
        assert again.exit_code == 0 and "present" in again.output


def test_data_download_cli_refuses_a_corrupted_file(server, tmp_path):
    server.corrupt = True
    data = tmp_path / "data"
    with registered(("toy", ToyPlugin(task=_task(server.url)))):
        result = invoke("data", "download", "toy.labels", "--data-dir", data)
    assert result.exit_code == 1 and "does not match" in result.output
    assert not any(p.is_file() for p in data.rglob("*"))


def test_data_download_registration_only_prints_steps(tmp_path):
    with registered(("toy", ToyPlugin(task=_task(access="registration")))):
        result = invoke("data", "download", "toy.labels", "--data-dir", tmp_path)
    assert result.exit_code == 1
    assert "toy.zip from the toy homepage (registration required: https://example.org/toy)" in result.output


def test_data_status_present_missing_unexpected(tmp_path):
    data = write_toy_data(tmp_path / "data")
    (data / "nested" / "deeper" / "test.tsv").unlink()
    m = _task()
    train = data / "nested" / "train.tsv"
    m["dataset"]["files"] = [{"path": "train.tsv", "size": train.stat().st_size,
                              "sha256": hashlib.sha256(train.read_bytes()).hexdigest()}]
    with registered(("toy", ToyPlugin(task=m))):
        result = invoke("data", "status", "--data-dir", data)
        assert result.exit_code == 0, result.output
        assert "toy.labels  train  present" in result.output and "1/1 verified" in result.output
        assert "toy.labels  test   missing" in result.output
        assert "toy.labels test:\n    toy.zip from the toy homepage" in result.output
        assert "2 split(s): 1 present, 1 missing, 0 unexpected" in result.output
        train.write_text("r0\tchanged\tpos\n")
        m["dataset"]["files"][0].pop("size")
        bad = invoke("data", "status", "--data-dir", data)
        assert bad.exit_code == 1 and "UNEXPECTED toy.labels train: nested/train.tsv" in bad.output


def test_data_download_into_a_named_folder_unpacks_there(server, tmp_path):
    """A download ``name`` with folders keeps the layout the patterns expect;
    the archive is unpacked beside it; a name leaving the folder is refused."""
    data = tmp_path / "data"
    m = _task(server.url)
    m["dataset"]["downloads"][0].update(name="release-1/toy.zip", note="the archive of the first release")
    with registered(("toy", ToyPlugin(task=m))):
        result = invoke("data", "download", "toy.labels", "--data-dir", data, "--json")
        assert result.exit_code == 0, result.output
        [item] = json.loads(result.stdout)
        assert item["note"] == "the archive of the first release" and item["unpacked"] == 2
        assert (data / "toy" / "release-1" / "toy" / "train.tsv").is_file()
    m["dataset"]["downloads"][0]["name"] = "../outside.zip"
    with registered(("toy", ToyPlugin(task=m))):
        result = CliRunner().invoke(main, ["data", "download", "toy.labels", "--data-dir", str(data)])
    assert result.exit_code == 2 and "must be a path inside the dataset's folder" in result.output
    assert not (data / "outside.zip").exists()
