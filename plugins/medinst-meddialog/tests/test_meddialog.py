from __future__ import annotations

import json

import pytest

from medinst_core.errors import MedinstError, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_meddialog"
TASK = "meddialog.txtclass"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    assert [s["output"] for s in train] == ["patient", "doctor", "patient", "doctor", "patient", "doctor"]
    # the speaker is what precedes the first colon; later colons stay in the text
    assert train[3]["input"] == (
        "you can alternate them: ibuprofen at 8:00, paracetamol at 12:00, never above the daily maximum."
    )
    assert train[3]["id"] == "meddialog.txtclass:train:0_3"  # dialogue 0, utterance 3
    assert train[4]["id"] == "meddialog.txtclass:train:1_0"
    assert len(task_samples(registry, TASK, "dev", folder, bundled=True)) == 2
    test = task_samples(registry, TASK, "test", folder, bundled=True)
    assert test[2]["input"] == "ok: no vomiting so far. can he sleep tonight?" and test[2]["output"] == "patient"


def test_utterance_without_speaker_is_an_error(registry, tmp_path):
    data = [{"description": "x", "utterances": ["patient: hello", "no speaker here"]}]
    (tmp_path / "english-dev.json").write_text(json.dumps(data))
    with pytest.raises(MedinstError, match=r"english-dev.json:1: \[0\]: field .text. is missing"):
        task_samples(registry, TASK, "dev", tmp_path)


def test_invalid_json_names_the_line(registry, tmp_path):
    (tmp_path / "english-dev.json").write_text('[\n  {"utterances": ["patient: a"]},\n  {oops}\n]\n')
    with pytest.raises(SourceError, match="invalid JSON") as info:
        task_samples(registry, TASK, "dev", tmp_path)
    assert ":3:" in str(info.value)


def test_real_dev(registry, medinst_real_data):
    path = medinst_real_data / "MedDialog" / "english-dev.json"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    dialogues = json.loads(path.read_text(encoding="utf-8"))
    utterances = [u for d in dialogues for u in d["utterances"]]
    dev = task_samples(registry, TASK, "dev", medinst_real_data)
    assert len(dialogues) == 60
    assert len(dev) == len(utterances) == 126  # MedINST's dev count
    assert [s["output"] for s in dev] == [u.split(":", 1)[0].strip() for u in utterances]
    assert [s["input"] for s in dev] == [u.split(":", 1)[1].strip() for u in utterances]
    assert {s["output"] for s in dev} == {"patient", "doctor"}
    assert dev[1]["input"].startswith("in brief: best to stay home")
