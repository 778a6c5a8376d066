from __future__ import annotations

import json

import pytest

from medinst_core.plugin_api import MedinstError, SourceError
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


def test_processed_files_of_every_split(registry, tmp_path):
    """english-{train,dev,test}.json as downloaded (the Chinese files beside them are not read); white space
    around an utterance's text is removed, as BigBIO does, and the speaker is lower-cased."""
    folder = tmp_path / "MedDialog" / "processed"
    folder.mkdir(parents=True)
    dialogues = {
        "train": [{"description": "Q. Fever after a vaccine?", "utterances": [
            "patient: I have had a fever of 38.5 C since 8:00 this morning.\n", "doctor:  Take paracetamol 500 mg.  "]}],
        "dev": [{"description": "", "utterances": ["Patient: hi", "Doctor: hello: how can I help?"]}],
        "test": [{"description": "x", "utterances": ["patient: a"]},
                 {"description": "y", "utterances": ["patient: b", "doctor: c", "patient: d"]}],
    }
    for split, data in dialogues.items():
        (folder / f"english-{split}.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
        (folder / f"chinese-{split}.json").write_text(json.dumps([["病人：你好", "医生：你好"]], ensure_ascii=False),
                                                      encoding="utf-8")
    got = {split: [(s["id"].rsplit(":", 1)[1], s["input"], s["output"]) for s in task_samples(registry, TASK, split, tmp_path)]
           for split in dialogues}
    assert got["train"] == [("0_0", "I have had a fever of 38.5 C since 8:00 this morning.", "patient"),
                            ("0_1", "Take paracetamol 500 mg.", "doctor")]
    assert got["dev"] == [("0_0", "hi", "patient"), ("0_1", "hello: how can I help?", "doctor")]
    assert [i for i, _, _ in got["test"]] == ["0_0", "1_0", "1_1", "1_2"]


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
