from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from medinst_core.errors import MedinstError, SourceError
from medinst_core.pipeline import iter_samples_from, resolve_split
from medinst_core.plugins import load_registry
from medinst_core.sources import FileIndex
from medinst_core.testing import TaskConformance

PLUGIN = "medinst_meddialog"
TASK = "meddialog.txtclass"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


@pytest.fixture(scope="module")
def registry():
    return load_registry(entrypoints=False, plugins=[(PLUGIN, importlib.import_module(PLUGIN))])


def samples(registry, split: str, folder: Path, *, bundled: bool = False) -> list[dict]:
    task = registry.tasks[TASK]
    files = resolve_split(task, split, FileIndex(folder), bundled=bundled)
    return list(iter_samples_from(task, split, files, registry=registry))


def test_bundled_samples(registry):
    folder = registry.tasks[TASK].bundled
    train = samples(registry, "train", folder, bundled=True)
    assert [s["output"] for s in train] == ["patient", "doctor", "patient", "doctor", "patient", "doctor"]
    # the speaker is what precedes the first colon; later colons stay in the text
    assert train[3]["input"] == (
        "you can alternate them: ibuprofen at 8:00, paracetamol at 12:00, never above the daily maximum."
    )
    assert train[3]["id"] == "meddialog.txtclass:train:0_3"  # dialogue 0, utterance 3
    assert train[4]["id"] == "meddialog.txtclass:train:1_0"
    assert len(samples(registry, "dev", folder, bundled=True)) == 2
    test = samples(registry, "test", folder, bundled=True)
    assert test[2]["input"] == "ok: no vomiting so far. can he sleep tonight?" and test[2]["output"] == "patient"


def test_utterance_without_speaker_is_an_error(registry, tmp_path):
    data = [{"description": "x", "utterances": ["patient: hello", "no speaker here"]}]
    (tmp_path / "english-dev.json").write_text(json.dumps(data))
    with pytest.raises(MedinstError, match=r"english-dev.json: \[0\]: field .text. is missing"):
        samples(registry, "dev", tmp_path)


def test_invalid_json_names_the_line(registry, tmp_path):
    (tmp_path / "english-dev.json").write_text('[\n  {"utterances": ["patient: a"]},\n  {oops}\n]\n')
    with pytest.raises(SourceError, match="invalid JSON") as info:
        samples(registry, "dev", tmp_path)
    assert ":3:" in str(info.value)


def test_real_dev(registry, medinst_real_data):
    path = medinst_real_data / "MedDialog" / "english-dev.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    dialogues = json.loads(path.read_text(encoding="utf-8"))
    utterances = [u for d in dialogues for u in d["utterances"]]
    dev = samples(registry, "dev", medinst_real_data)
    assert len(dialogues) == 60
    assert len(dev) == len(utterances) == 126  # MedINST's dev count
    assert [s["output"] for s in dev] == [u.split(":", 1)[0].strip() for u in utterances]
    assert [s["input"] for s in dev] == [u.split(":", 1)[1].strip() for u in utterances]
    assert {s["output"] for s in dev} == {"patient", "doctor"}
    assert dev[1]["input"].startswith("in brief: best to stay home")
