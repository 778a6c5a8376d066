from __future__ import annotations

import json
from pathlib import Path

import pytest
from medinst_bioasq_task_b.reader import list_answer

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    SplitStats,
    TaskConformance,
    plugin_registry_fixture,
    samples_of_files,
    task_samples,
)

PLUGIN = "medinst_bioasq_task_b"
TYPES = ("yesno", "factoid", "list", "summary")
TASKS = tuple(f"bioasq_task_b.{t}" for t in TYPES)


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def expected_output(question: dict) -> str:
    """The gold output, computed from the native question as documented."""
    kind, exact = question["type"], question.get("exact_answer")
    if kind == "yesno":
        return exact.strip().rstrip(".").lower()
    if kind == "factoid":
        first = exact[0] if isinstance(exact, list) else exact
        return (first[0] if isinstance(first, list) else first).strip()
    if kind == "list":
        return " ".join(f"[{element[0].strip()}]" for element in exact)
    ideal = question["ideal_answer"]
    return (ideal[0] if isinstance(ideal, list) else ideal).strip()


def expected_samples(kind: str, *paths: Path) -> list[tuple[str, str, str]]:
    """(id suffix, input, output) for each (question, snippet) pair of the type, in file order."""
    out = []
    for path in paths:
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            if q["type"] != kind:
                continue
            for i, s in enumerate(q.get("snippets") or []):
                text = f"Question: {q['body'].strip()}\nContext: {s['text'].strip()}"
                out.append((f"{q['id']}_{i}", text, expected_output(q)))
    return out


@pytest.mark.parametrize("kind", TYPES)
def test_bundled_samples_match_the_questions(registry, kind):
    folder = registry.tasks[f"bioasq_task_b.{kind}"].bundled
    for split, names in (("train", ["training11b.json"]), ("test", ["11B1_golden.json", "11B2_golden.json"])):
        got = task_samples(registry, f"bioasq_task_b.{kind}", split, folder, bundled=True)
        want = expected_samples(kind, *(folder / n for n in names))
        assert [(s["id"].rsplit(":", 1)[1], s["input"], s["output"]) for s in got] == want
        assert got


def test_bundled_features(registry):
    folder = registry.tasks["bioasq_task_b.yesno"].bundled
    train = task_samples(registry, "bioasq_task_b.yesno", "train", folder, bundled=True)
    # "No." (older exact answers) becomes "no"; a question without snippets gives no sample
    assert [s["output"] for s in train] == ["yes", "yes", "no"]
    assert not any("60a1b2c3d4e5f60718293a03" in s["id"] for s in train)
    # an empty snippet list gives no sample either (11B2 has one such yes/no question)
    test = task_samples(registry, "bioasq_task_b.yesno", "test", folder, bundled=True)
    assert len(test) == 3 and all("e901_" in s["id"] for s in test)
    # factoid: flat synonym list (training) and list of synonym lists (golden) both give the first synonym
    factoid = [task_samples(registry, "bioasq_task_b.factoid", split, folder, bundled=True) for split in ("train", "test")]
    assert [s["output"] for s in factoid[0]] == ["phenylalanine hydroxylase"] * 2
    assert factoid[1][0]["output"] == "amyloid-β protofibrils"
    # list: first synonym of each element; summary: the first ideal answer, given as a list or as a string
    listed = task_samples(registry, "bioasq_task_b.list", "train", folder, bundled=True)
    assert listed[0]["output"] == "[dabigatran] [rivaroxaban] [apixaban] [edoxaban]"
    summary = task_samples(registry, "bioasq_task_b.summary", "test", folder, bundled=True)
    assert summary[0]["output"].startswith("CAR-T cells are a patient's T cells")


def test_yesno_without_answer_is_dropped_and_counted(registry, tmp_path):
    data = {"questions": [{"id": "q1", "type": "yesno", "body": "Is it?", "snippets": [{"text": "A snippet."}]}]}
    (tmp_path / "training11b.json").write_text(json.dumps(data))
    stats = SplitStats("bioasq_task_b.yesno", "train")
    assert samples_of_files(registry, "bioasq_task_b.yesno", "train", tmp_path / "training11b.json", stats=stats) == []
    assert stats.records == 1 and stats.dropped_empty == 1


def test_missing_questions_key_is_an_error(registry, tmp_path):
    (tmp_path / "training11b.json").write_text(json.dumps({"data": []}))
    with pytest.raises(SourceError, match="no 'questions'"):
        task_samples(registry, "bioasq_task_b.yesno", "train", tmp_path)


def test_question_without_body_names_it(registry, tmp_path):
    data = {"questions": [{"id": "q1", "type": "summary", "ideal_answer": ["x"], "snippets": [{"text": "s"}]}]}
    (tmp_path / "training11b.json").write_text(json.dumps(data))
    with pytest.raises(SourceError, match=r"questions\[0\]: field 'question' is missing"):
        task_samples(registry, "bioasq_task_b.summary", "train", tmp_path)


def test_only_11b_golden_batches_are_test_files(registry, tmp_path):
    batch = {"questions": [{"id": "q", "type": "yesno", "body": "Is it?", "exact_answer": "yes",
                            "snippets": [{"text": "s"}]}]}
    for name in ("11B1_golden.json", "11B4_golden.json", "10B1_golden.json", "11B5_golden.json"):
        data = json.loads(json.dumps(batch))
        data["questions"][0]["id"] = name
        (tmp_path / name).write_text(json.dumps(data))
    got = task_samples(registry, "bioasq_task_b.yesno", "test", tmp_path)
    assert sorted(s["id"].rsplit(":", 1)[1] for s in got) == ["11B1_golden.json_0", "11B4_golden.json_0"]


def question(qid: str, kind: str, exact=None, ideal="An ideal answer.", snippets: int | None = 2) -> dict:
    q = {"id": qid, "type": kind, "body": f"Question {qid}?", "documents": ["http://www.ncbi.nlm.nih.gov/pubmed/1"],
         "ideal_answer": ideal, "concepts": [], "triples": []}
    if exact is not None:
        q["exact_answer"] = exact
    if snippets is not None:
        q["snippets"] = [{"text": f"Snippet {k} of {qid}.", "document": "http://www.ncbi.nlm.nih.gov/pubmed/1",
                          "offsetInBeginSection": 0, "offsetInEndSection": 9, "beginSection": "abstract",
                          "endSection": "abstract"} for k in range(snippets)]
    return q


def test_official_archives_unpacked(registry, tmp_path):
    """BioASQ-training11b.zip and Task11BGoldenEnriched.zip unpacked side by side, with the answer shapes of
    the different years; BigBIO's merged bx_golden.json and other editions' batches are not read."""
    train = tmp_path / "BioASQ-training11b" / "training11b.json"
    golden = tmp_path / "Task11BGoldenEnriched"
    train.parent.mkdir()
    golden.mkdir()
    train.write_text(json.dumps({"questions": [
        question("y1", "yesno", "Yes."), question("y2", "yesno", ["no"]), question("y3", "yesno", "yes", snippets=None),
        question("f1", "factoid", "a bare string"), question("f2", "factoid", ["synonym 1", "synonym 2"]),
        question("l1", "list", [["x", "x2"], ["y"]]), question("l2", "list", ["flat 1", "flat 2"]),
        question("l3", "list", [["z"], "bare"]), question("l4", "list", "single"),
        question("s1", "summary", ideal="A string ideal answer."), question("s2", "summary", ideal=["first", "second"]),
    ]}, indent=2), encoding="utf-8")
    for batch in range(1, 5):
        (golden / f"11B{batch}_golden.json").write_text(json.dumps({"questions": [
            question(f"g{batch}y", "yesno", "no", snippets=batch), question(f"g{batch}f", "factoid", [["answer", "syn"]]),
            question(f"g{batch}l", "list", [["a"], ["b", "b2"]]), question(f"g{batch}s", "summary", ideal=["ideal"]),
        ]}), encoding="utf-8")
    (golden / "bx_golden.json").write_text(json.dumps({"questions": [question("bx", "yesno", "yes")]}))
    (tmp_path / "Task10BGoldenEnriched").mkdir()
    (tmp_path / "Task10BGoldenEnriched" / "10B1_golden.json").write_text(
        json.dumps({"questions": [question("old", "yesno", "yes")]}))

    def outputs(kind: str, split: str) -> dict[str, str]:
        return {s["id"].rsplit(":", 1)[1]: s["output"] for s in task_samples(registry, f"bioasq_task_b.{kind}", split, tmp_path)}

    assert outputs("yesno", "train") == {"y1_0": "yes", "y1_1": "yes", "y2_0": "no", "y2_1": "no"}
    assert outputs("factoid", "train") == {"f1_0": "a bare string", "f1_1": "a bare string",
                                           "f2_0": "synonym 1", "f2_1": "synonym 1"}
    # list answers: synonym lists, and the bare strings of older files as one-synonym elements
    assert outputs("list", "train") == {"l1_0": "[x] [y]", "l1_1": "[x] [y]", "l2_0": "[flat 1] [flat 2]",
                                        "l2_1": "[flat 1] [flat 2]", "l3_0": "[z] [bare]", "l3_1": "[z] [bare]",
                                        "l4_0": "[single]", "l4_1": "[single]"}
    assert outputs("summary", "train") == {"s1_0": "A string ideal answer.", "s1_1": "A string ideal answer.",
                                           "s2_0": "first", "s2_1": "first"}
    yesno = outputs("yesno", "test")
    assert sorted(yesno) == sorted(f"g{b}y_{k}" for b in range(1, 5) for k in range(b)) and set(yesno.values()) == {"no"}
    assert set(outputs("factoid", "test").values()) == {"answer"} and len(outputs("factoid", "test")) == 8
    assert set(outputs("list", "test").values()) == {"[a] [b]"} and len(outputs("list", "test")) == 8
    assert set(outputs("summary", "test").values()) == {"ideal"} and len(outputs("summary", "test")) == 8


@pytest.mark.parametrize(
    "exact, normalised",
    [
        ([["a", "a2"], ["b"]], [["a", "a2"], ["b"]]),
        (["a", "b"], [["a"], ["b"]]),
        ([["a"], "b", None], [["a"], ["b"]]),
        ("a", [["a"]]),
        (None, None),
    ],
)
def test_list_answer_shapes(exact, normalised):
    assert list_answer(exact) == normalised


def test_questions_not_a_list(registry, tmp_path):
    (tmp_path / "training11b.json").write_text(json.dumps({"questions": {"id": "q"}}))
    with pytest.raises(SourceError, match="'questions' is a dict"):
        task_samples(registry, "bioasq_task_b.list", "train", tmp_path)


@pytest.mark.parametrize("kind, questions, pairs", [("yesno", 29, 177), ("factoid", 39, 160), ("list", 12, 64), ("summary", 20, 103)])
def test_real_golden_batch(registry, medinst_real_data, kind, questions, pairs):
    path = medinst_real_data / "BioASQ-TaskB" / "Task7BGoldenEnriched" / "7B1_golden.json"
    if not path.is_file():
        pytest.skip("BioASQ 7B1 golden batch not present")
    raw = json.loads(path.read_text(encoding="utf-8"))["questions"]
    assert sum(q["type"] == kind for q in raw) == questions
    # the 7B1 batch has the layout of the 11B golden batches: read it as a test file
    got = samples_of_files(registry, f"bioasq_task_b.{kind}", "test", path)
    want = expected_samples(kind, path)
    assert len(got) == len(want) == pairs  # one sample per (question, snippet) pair
    assert [(s["id"].rsplit(":", 1)[1], s["input"], s["output"]) for s in got] == want
    if kind == "yesno":
        assert {s["output"] for s in got} == {"yes", "no"}
        first = got[0]
        assert first["id"] == "bioasq_task_b.yesno:test:5c58a74e86df2b917400000d_0"
        assert first["input"].startswith("Question: Is Baloxavir effective for influenza?\nContext: Baloxavir marboxil")
        assert first["output"] == "yes"
    if kind == "factoid":
        assert got[0]["output"] == "PD-L1 status"
    if kind == "list":
        assert got[0]["output"].startswith("[inflammation] [oxidative stress] [hypoxia]")
