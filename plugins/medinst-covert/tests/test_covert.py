from __future__ import annotations

import json
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_covert"
TASK = "covert.te"
FILE = "CoVERT_FC_annotations.jsonl"
LABELS = {"SUPPORTS": "Supports", "REFUTES": "Refutes", "NOT ENOUGH INFO": "Neutral"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def expected(path: Path) -> list[tuple[int, str, str, str]]:
    """(line index, evidence, tweet, label) of the tweets with an evidence text, computed from the file."""
    out = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        row = json.loads(line)
        texts = [e[2].strip() for e in row["evidence"] if len(e) > 2 and e[2] is not None]
        if texts:
            out.append((i, " ".join(texts), row["claim"].strip(), LABELS[row["label"]]))
    return out


def test_bundled_tweets(registry):
    folder = registry.tasks[TASK].bundled
    got = task_samples(registry, TASK, "test", folder, bundled=True)
    want = expected(folder / FILE)
    assert len(got) == len(want) == 4  # of 6 tweets: one has only null evidence, one an empty list
    for sample, (i, evidence, tweet, label) in zip(got, want):
        assert sample["id"] == f"covert.te:test:{i}"
        assert sample["input"] == f"Evidence: {evidence}\nTweet: {tweet}"
        assert sample["output"] == label
    assert [s["output"] for s in got] == ["Supports", "Refutes", "Neutral", "Supports"]
    # a null evidence text next to a real one is skipped, not joined as "None"
    assert "None" not in got[1]["input"]


def test_archive_layout_with_windows_line_ends(registry, tmp_path):
    """The corpus folder unpacked: the fact-checking file (here with a BOM, CRLF line ends, a blank last line,
    extra fields and a tweet whose evidence is null) next to the entity/relation annotations, which are not read."""
    folder = tmp_path / "CoVERT"
    folder.mkdir()
    rows = [
        {"id": "t1", "claim": "@username Zinc shortens colds https://t.co/x", "label": "SUPPORTS",
         "evidence": [["0", "https://example.org/a", "Zinc lozenges shortened colds by a day."],
                      ["1", "https://example.org/b", None]], "entities": [[0, 4, "Chemical"]]},
        {"id": "t2", "claim": "5G spreads the virus", "label": "NOT ENOUGH INFO", "evidence": None},
        {"id": "t3", "claim": "Vitamin C cures COVID-19", "label": "REFUTES",
         "evidence": [["0", "https://example.org/c", " No trial found a cure. "]]},
    ]
    text = "\r\n".join(json.dumps(r) for r in rows) + "\r\n\r\n"
    (folder / FILE).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (folder / "CoVERT_NER_RE_annotations.jsonl").write_text(json.dumps({"text": "x", "entities": []}) + "\n")
    got = task_samples(registry, TASK, "test", tmp_path)
    assert [(s["id"], s["output"]) for s in got] == [("covert.te:test:0", "Supports"), ("covert.te:test:2", "Refutes")]
    assert got[0]["input"] == ("Evidence: Zinc lozenges shortened colds by a day.\n"
                               "Tweet: @username Zinc shortens colds https://t.co/x")
    assert got[1]["input"] == "Evidence: No trial found a cure.\nTweet: Vitamin C cures COVID-19"


def test_unknown_label_is_an_error(registry, tmp_path):
    row = {"claim": "x", "label": "MIXTURE", "evidence": [["0", "u", "some text"]]}
    (tmp_path / FILE).write_text(json.dumps(row) + "\n")
    with pytest.raises(SourceError, match="label 'MIXTURE' is not one of"):
        task_samples(registry, TASK, "test", tmp_path)


def test_missing_claim_names_line_and_field(registry, tmp_path):
    good = {"claim": "x", "label": "SUPPORTS", "evidence": [["0", "u", "t"]]}
    bad = {"label": "SUPPORTS", "evidence": [["0", "u", "t"]]}
    (tmp_path / FILE).write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    with pytest.raises(SourceError, match="field 'hypothesis' is missing") as info:
        task_samples(registry, TASK, "test", tmp_path)
    assert f"{FILE}:2:" in str(info.value)


def test_real_file_if_present(registry, medinst_real_data):
    found = sorted(medinst_real_data.rglob(FILE))
    if not found:
        pytest.skip("CoVERt is not among the real files")
    got = task_samples(registry, TASK, "test", found[0].parent)
    assert len(got) == len(expected(found[0])) == 212
