from __future__ import annotations

import csv
import io

from medinst_core.testing import TaskConformance, plugin_registry_fixture, task_samples

PLUGIN = "medinst_pubhealth"
TASK = "pubhealth.te"
CLASSES = ("true", "false", "mixture", "unproven")


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = (TASK,)


registry = plugin_registry_fixture(PLUGIN)


def bigbio_rows(path):
    """The rows BigBIO's rule keeps, read with the csv module: the last nine of at least nine fields, a known label."""
    reader = csv.reader(io.StringIO(path.read_text("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE)
    next(reader)
    return [row[-9:] for row in reader if len(row) >= 9 and row[-2] in CLASSES]


def test_bundled(registry):
    folder = registry.tasks[TASK].bundled
    for split, name in (("train", "train.tsv"), ("dev", "dev.tsv"), ("test", "test.tsv")):
        want = bigbio_rows(folder / "PUBHEALTH" / name)
        got = task_samples(registry, TASK, split, folder, bundled=True)
        assert [s["input"] for s in got] == [f"Explanation: {r[3]}\nClaim: {r[1]}" for r in want]
        assert [s["output"] for s in got] == [r[7] for r in want]
    train = task_samples(registry, TASK, "train", folder, bundled=True)
    # the record broken by a line break (both halves) and the row labelled 'snopes' are left out
    assert [s["output"] for s in train] == ["false", "mixture", "true", "unproven"]
    assert not any("line break" in s["input"] or "unlabelled" in s["input"] for s in train)
    # test.tsv's extra leading column is skipped by taking the last nine fields
    test = task_samples(registry, TASK, "test", folder, bundled=True)
    assert test[0]["input"].endswith("Claim: Eating carrots improves night vision.") and test[0]["output"] == "mixture"


def test_quotes_are_literal(registry, tmp_path):
    (tmp_path / "PUBHEALTH").mkdir()
    header = "claim_id\tclaim\tdate_published\texplanation\tfact_checkers\tmain_text\tsources\tlabel\tsubjects\n"
    row = '1\tA "quoted claim\tdate\tHe said "no".\t\ttext\t\ttrue\tHealth\n'
    (tmp_path / "PUBHEALTH" / "dev.tsv").write_text(header + row, "utf-8")
    [sample] = task_samples(registry, TASK, "dev", tmp_path)
    assert sample["input"] == 'Explanation: He said "no".\nClaim: A "quoted claim'
