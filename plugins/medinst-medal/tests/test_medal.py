from __future__ import annotations

import csv

import pytest

from medinst_core.plugin_api import MedinstError, MissingFilesError
from medinst_core.testing import (
    TaskConformance,
    plugin_registry_fixture,
    samples_of_files,
    task_samples,
)

PLUGIN = "medinst_medal"
TASK = "medal.ned"
HEADER = "ABSTRACT_ID,TEXT,LOCATION,LABEL\n"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def test_bundled_samples(registry):
    folder = registry.tasks[TASK].bundled
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # one sample per row: the same abstract twice, once for each MG
    assert [s["id"] for s in train] == [f"{TASK}:train:{i}" for i in range(4)]
    assert train[0]["input"] == train[1]["input"]
    assert train[0]["input"].endswith("\nAbbreviation: MG") and train[0]["output"] == "magnesium"
    # quoted TEXT with a comma and doubled quotes
    assert train[3]["input"] == (
        'we measured CRP levels in children with fever the "high" group had more bacterial infections\nAbbreviation: CRP'
    )
    dev = task_samples(registry, TASK, "dev", folder, bundled=True)
    assert [s["output"] for s in dev] == ["multiple sclerosis", "mass spectrometry"]
    test = task_samples(registry, TASK, "test", folder, bundled=True)  # CRLF file
    assert [s["output"] for s in test] == ["rheumatoid arthritis", "right atrium"]
    assert not any("\r" in s["input"] for s in test)


def test_layouts(registry, tmp_path):
    row = "1,the AF group,1,atrial fibrillation\n"
    nested = tmp_path / "MeDAL-data" / "pretrain_subset"
    nested.mkdir(parents=True)
    (nested / "valid.csv").write_text(HEADER + row)
    assert [s["output"] for s in task_samples(registry, TASK, "dev", tmp_path)] == ["atrial fibrillation"]
    # a train.csv outside a MeDAL folder is not taken for MeDAL's
    other = tmp_path / "other"
    other.mkdir()
    (other / "train.csv").write_text(HEADER + row)
    with pytest.raises(MissingFilesError):
        task_samples(registry, TASK, "train", other)


def test_zenodo_files_beside_a_clone(registry, tmp_path):
    """train.csv / valid.csv / test.csv downloaded from Zenodo into a lower-case medal folder that also holds a
    clone of the code repository (toy_data/sample.csv is not a split file)."""
    folder = tmp_path / "medal"
    (folder / "toy_data").mkdir(parents=True)
    (folder / "toy_data" / "sample.csv").write_text(HEADER + "9,toy EF text,1,ejection fraction\n")
    rows = {"train": ['1,"the CHF group, older",1,congestive heart failure', "1,\"the CHF group, older\",0,the"],
            "valid": ["2,low EF in HF,1,ejection fraction"], "test": ["3,AF and AF again,2,atrial fibrillation"]}
    for name, lines in rows.items():
        (folder / f"{name}.csv").write_text(HEADER + "\r\n".join(lines) + "\r\n")
    got = {split: [(s["input"].rsplit("\nAbbreviation: ", 1)[1], s["output"]) for s in task_samples(registry, TASK, split, tmp_path)]
           for split in ("train", "dev", "test")}
    assert got == {"train": [("CHF", "congestive heart failure"), ("the", "the")],
                   "dev": [("EF", "ejection fraction")], "test": [("AF", "atrial fibrillation")]}


@pytest.mark.parametrize(
    "row, message",
    [
        ("1,the AF group,7,atrial fibrillation\n", "field .question. is missing"),  # LOCATION past the last word
        ("1,the AF group,one,atrial fibrillation\n", "not an integer"),
        ("1,the AF group,-1,atrial fibrillation\n", "negative position"),  # not the last word
        ("1,the AF group,1\n", "expected 4 columns"),
    ],
)
def test_bad_rows_name_the_line(registry, tmp_path, row, message):
    path = tmp_path / "train.csv"
    path.write_text(HEADER + "1,the AF group,1,atrial fibrillation\n" + row)
    with pytest.raises(MedinstError, match=message) as info:
        samples_of_files(registry, TASK, "train", path)
    assert str(path) in str(info.value) and "3" in str(info.value)


def test_real_toy_sample(registry, medinst_real_data):
    path = medinst_real_data / "MeDAL" / "toy_data" / "sample.csv"
    if not path.is_file():
        pytest.skip(f"{path} not present")
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    built = samples_of_files(registry, TASK, "train", path)
    assert len(built) == len(rows) == 268
    for sample, row in zip(built, rows):
        text, _, abbreviation = sample["input"].rpartition("\nAbbreviation: ")
        assert text == row["TEXT"]
        assert abbreviation == row["TEXT"].split(" ")[int(row["LOCATION"])]
        assert sample["output"] == row["LABEL"]
    # first row of the file: abstract 1, word 24 is CS, meaning carcinosarcoma
    assert built[0]["input"].endswith("\nAbbreviation: CS") and built[0]["output"] == "carcinosarcoma"
