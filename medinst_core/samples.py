"""Sample drafts (what formatters yield) and finished samples (what is written)."""

from __future__ import annotations

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
