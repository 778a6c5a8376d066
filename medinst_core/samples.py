"""Sample drafts (what formatters yield) and finished samples (what is written)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs


@attrs.frozen(slots=True)
class Draft:
    """One sample as a formatter sees it.

    ``key`` distinguishes several samples made from one record (e.g. one per
    anchor entity for coreference, one per utterance); it becomes the last part
    of the sample id ``<task>:<split>:<record id>[:<key>]``.
    """

    input: str
    output: str
    key: str | None = None


def sample_id(task: str, split: str, record_id: str, key: str | None = None) -> str:
    return f"{task}:{split}:{record_id}" if key is None else f"{task}:{split}:{record_id}:{key}"


_SAMPLE_KEYS = {"id", "task", "instruction", "input", "output", "history"}


def check_sample(sample: Mapping[str, Any]) -> str | None:
    """A cheap structural check equivalent to ``schema/sample.schema.json`` for
    samples the pipeline makes; returns a message or ``None``."""
    for key in ("id", "task", "instruction", "input", "output"):
        if not isinstance(sample.get(key), str):
            return f"{key!r} must be a string"
    if not sample["instruction"]:
        return "'instruction' must not be empty"
    if not sample["id"].startswith(sample["task"] + ":"):
        return "'id' must start with the task id"
    extra = set(sample) - _SAMPLE_KEYS
    if extra:
        return f"unexpected keys {sorted(extra)}"
    history = sample.get("history")
    if history is not None and not (
        isinstance(history, list)
        and all(isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in history)
    ):
        return "'history' must be a list of [user, assistant] string pairs"
    return None
