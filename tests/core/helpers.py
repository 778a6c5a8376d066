"""A tiny self-contained plugin used by the core tests: a line reader, an echo
formatter and a length metric, so core behaviour is tested without depending
on the built-in readers and formatters."""

from __future__ import annotations

import copy
from pathlib import Path

from medinst_core import hookimpl
from medinst_core.errors import SourceError
from medinst_core.metrics import MetricResult
from medinst_core.records import TextRecord
from medinst_core.samples import Draft


def read_lines(files, options, diagnostics):
    """``id<TAB>text<TAB>label`` lines."""
    for path in files.all("data"):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\n")
                if not line:
                    continue
                parts = line.split("\t")
                if len(parts) != 3:
                    raise SourceError(path, n, f"expected 3 tab-separated columns, found {len(parts)}")
                yield TextRecord(id=parts[0], text=parts[1], labels=[parts[2]] if parts[2] else [], source=f"{path}:{n}")
                if options.get("slow"):
                    import time

                    time.sleep(options["slow"])


def echo_label(record, options, diagnostics):
    yield Draft(input=record.text, output=", ".join(record.labels))


def exact(golds, predictions):
    scores = tuple(float(g == p) for g, p in zip(golds, predictions))
    return MetricResult(score=sum(scores) / len(scores) if scores else 0.0, per_sample=scores)


MANIFEST = {
    "id": "toy.labels",
    "version": 1,
    "name": "Toy labels",
    "description": "A toy task for the core tests.",
    "category": "TXTCLASS",
    "dataset": {
        "name": "Toy",
        "homepage": "https://example.org/toy",
        "citation": "Nobody. Toy data. 2026.",
        "license": "CC0-1.0",
        "access": "public",
    },
    "medinst": {"config": "Toy", "counts": {"train": 3, "dev": 0, "test": 1}},
    "source": {"reader": "toy_lines", "splits": {"train": ["train.tsv"], "test": ["test.tsv"]}},
    "formatter": {"name": "toy_echo"},
    "empty_output": "drop",
    "instructions": ["Give the label of the text, or nothing at all.", "Name the label of this text please."],
    "metrics": ["toy_exact"],
}


def manifest(**changes):
    m = copy.deepcopy(MANIFEST)
    m.update(changes)
    return m


class ToyPlugin:
    """Registers the toy reader, formatter, metric and (optionally) a task."""

    def __init__(self, task=None, bundled: Path | None = None, reader_name="toy_lines"):
        self.task = task
        self.bundled = bundled
        self.reader_name = reader_name

    @hookimpl
    def register_readers(self, register):
        register(self.reader_name, read_lines, record_kind="text",
                 options_schema={"type": "object", "properties": {"slow": {"type": "number"}}, "additionalProperties": False})

    @hookimpl
    def register_formatters(self, register):
        register("toy_echo", echo_label, record_kinds=("text",))

    @hookimpl
    def register_metrics(self, register):
        register("toy_exact", exact, higher_is_better=True, aggregation="mean")

    @hookimpl
    def register_tasks(self, register):
        if self.task is not None:
            register(self.task, bundled=self.bundled)


class TaskOnly:
    """A plugin registering one task manifest and nothing else."""

    def __init__(self, task):
        self.task = task

    @hookimpl
    def register_tasks(self, register):
        register(self.task)


def write_toy_data(folder: Path, n_train: int = 3) -> Path:
    (folder / "nested" / "deeper").mkdir(parents=True, exist_ok=True)
    lines = [f"r{i}\ttext number {i}\t{'pos' if i % 2 else ''}" for i in range(n_train)]
    (folder / "nested" / "train.tsv").write_text("\n".join(lines) + "\n")
    (folder / "nested" / "deeper" / "test.tsv").write_text("t0\ta test text\tneg\n")
    return folder


_KILL_SCRIPT = """\
import sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from core.helpers import TaskOnly, ToyPlugin
from medinst_core.pipeline import build
from medinst_core.testing import registered
{make_task}
with registered(("toy", ToyPlugin()), ("medinst_t", TaskOnly(task))) as reg:
    print("started", flush=True)
    build([reg.task({task_id!r})], Path(sys.argv[2]), data_dir=Path(sys.argv[1]), registry=reg, jobs=2)
"""


def kill_parallel_build(tmp_path: Path, *, make_task: str, task_id: str, env: dict, wait: float = 30) -> None:
    """Start a ``--jobs 2`` build of ``task_id`` over ``tmp_path / "data"`` in a
    child process (``make_task`` is Python that sets ``task``), kill it once its
    second worker has begun writing, and check that no output was published and
    that the next build's clean-up leaves no temporary file behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from medinst_core.io import remove_stale_partials

    out = tmp_path / "out"
    script = tmp_path / "run.py"
    script.write_text(_KILL_SCRIPT.format(tests=str(Path(__file__).resolve().parent.parent), make_task=make_task,
                                          task_id=task_id))
    proc = subprocess.Popen([sys.executable, str(script), str(tmp_path / "data"), str(out)], stdout=subprocess.PIPE,
                            env=dict(os.environ, **env))
    assert proc.stdout is not None and proc.stdout.readline().strip() == b"started"
    deadline = time.time() + wait
    while time.time() < deadline and not list(out.rglob("*.shard1.partial-*")):
        time.sleep(0.02)
    assert list(out.rglob("*.shard1.partial-*")), "the second worker never started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=20)
    assert not (out / task_id / "train.jsonl").exists()
    # the workers notice their parent is gone (0.2 s) and are reaped; the next
    # build then removes their temporary files
    deadline = time.time() + 20
    left = [1]
    while left and time.time() < deadline:
        time.sleep(0.2)
        remove_stale_partials(out)
        left = [p for p in out.rglob("*") if p.is_file() and "partial" in p.name]
    assert not left
    assert not (out / task_id / "train.jsonl").exists()
