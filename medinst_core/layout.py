"""Where a build and a suite put their files: the one place that spells out
the output layout.

A build folder ``<out>`` holds ``<out>/<task>/<split>.jsonl`` (the samples of
one task split) and ``<out>/build.json`` (what was built from which files); a
suite folder holds ``<out>/zero-shot/<task>.jsonl`` and
``<out>/<k>-shot/<task>.jsonl``.
"""

from __future__ import annotations

import os
from pathlib import Path

#: the samples file of one task split, relative to the build folder (for messages)
SPLIT_FILE = "<task>/{split}.jsonl"
#: the build record's file name
BUILD_INFO = "build.json"


def split_file(out: str | os.PathLike, task_id: str, split: str) -> Path:
    """``<out>/<task>/<split>.jsonl``: the samples of one task split."""
    return Path(out) / task_id / f"{split}.jsonl"


def split_files(out: str | os.PathLike, split: str) -> list[Path]:
    """Every task's samples file of ``split`` in a build folder, sorted."""
    return sorted(p for p in Path(out).glob(f"*/{split}.jsonl") if p.is_file())


def build_info_file(out: str | os.PathLike) -> Path:
    """``<out>/build.json``: the build's record."""
    return Path(out) / BUILD_INFO


#: the suite's folder of samples without examples
ZERO_SHOT = "zero-shot"


def zero_shot_file(out: str | os.PathLike, task_id: str) -> Path:
    """``<out>/zero-shot/<task>.jsonl``: a suite task's samples without examples."""
    return Path(out) / ZERO_SHOT / f"{task_id}.jsonl"


def zero_shot_files(out: str | os.PathLike) -> list[Path]:
    """Every task's zero-shot samples file of a suite folder, sorted."""
    return sorted((Path(out) / ZERO_SHOT).glob("*.jsonl"))


def shots_file(out: str | os.PathLike, shots: int, task_id: str) -> Path:
    """``<out>/<k>-shot/<task>.jsonl``: a suite task's samples with ``k`` examples each."""
    return Path(out) / f"{shots}-shot" / f"{task_id}.jsonl"
