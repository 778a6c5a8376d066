"""The token-label readers on small hand-written files."""

from __future__ import annotations

import json

import pytest

from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.token_labels import read_token_label_files, read_token_label_json

from ._util import run

TOKENS = ["Aspirin", "reduced", "pain", "in", "", "elderly", "women", "."]
LAYERS = {
    "participants": {"1": "Participant_Age", "2": "Participant_Sex"},
    "outcomes": {"1": "Outcome"},
}


def write(folder, name, lines, end="\n"):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + end, encoding="utf-8")
    return path


def spans(record):
    return [(e.type, e.text[0], e.offsets[0]) for e in record.entities]


def test_files_pairing_runs_and_offsets(tmp_path):
    tok = write(tmp_path, "documents/11.tokens", TOKENS)
    other = write(tmp_path, "documents/12.tokens", ["No", "labels"], end="")  # no final newline
    part = write(tmp_path, "p/11.AGGREGATED.ann", ["0", "0", "0", "0", "0", "1", "2", "0"])
    out = write(tmp_path, "o/11.AGGREGATED.ann", ["0", "0", "1", "0", "0", "0", "0", "0"])
    out12 = write(tmp_path, "o/12.AGGREGATED.ann", ["0", "0"], end="")
    (r11, r12) = run(read_token_label_files,
                     {"tokens": [tok, other], "participants": [part], "outcomes": [out, out12]}, {"layers": LAYERS})
    assert r11.id == "11" and r11.text == "Aspirin reduced pain in  elderly women ."  # the empty token kept
    # a change of label ends a run: "elderly" (1) and "women" (2) are two mentions
    assert spans(r11) == [("Outcome", "pain", (16, 20)), ("Participant_Age", "elderly", (25, 32)),
                          ("Participant_Sex", "women", (33, 38))]
    assert r12.id == "12" and r12.entities == ()
    assert r11.source.endswith("11.tokens:1")


def test_files_document_role_lists_the_documents(tmp_path):
    tok = write(tmp_path, "11.tokens", ["a", "b"])
    tok2 = write(tmp_path, "12.tokens", ["c"])
    part = write(tmp_path, "p/11.ann", ["1", "1"])
    out = write(tmp_path, "o/12.ann", ["1"])
    records = run(read_token_label_files, {"tokens": [tok, tok2], "participants": [part], "outcomes": [out]},
                  {"layers": LAYERS, "document_role": "participants"})
    assert [(r.id, spans(r)) for r in records] == [("11", [("Participant_Age", "a b", (0, 3))])]


def test_files_errors(tmp_path):
    tok = write(tmp_path, "11.tokens", ["a", "b"])
    short = write(tmp_path, "p/11.ann", ["1"])
    with pytest.raises(SourceError, match=r"11.ann.*1 labels but 2 tokens"):
        run(read_token_label_files, {"tokens": [tok], "participants": [short]}, {"layers": LAYERS})
    bad = write(tmp_path, "q/11.ann", ["0", "7"])
    with pytest.raises(SourceError, match=r"11.ann:2.*unknown label '7' of layer 'participants'"):
        run(read_token_label_files, {"tokens": [tok], "participants": [bad]}, {"layers": LAYERS})
    orphan = write(tmp_path, "p/13.ann", ["0"])
    with pytest.raises(SourceError, match="no token file for document '13'"):
        run(read_token_label_files, {"tokens": [tok], "participants": [orphan]}, {"layers": LAYERS})
    with pytest.raises(ManifestError):
        run(read_token_label_files, {"tokens": [tok]}, {"layers": {}})


SENTENCES = {"1:0": "Forty children with asthma took part .", "1:1": "Nothing here .", "2:0": "Two drugs ."}


def write_json(folder, name, obj):
    path = folder / name
    path.write_text(json.dumps(obj, indent=4), encoding="utf-8")
    return path


def test_json_votes(tmp_path):
    sents = write_json(tmp_path, "sentences.json", SENTENCES)
    part = write_json(tmp_path, "participants.json", {
        "1:0": {"annotations": [[1, 1, 1, 1, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0], [0, 1, 1, 1, 0, 0, 0]], "wids": []},
        "1:1": {"annotations": [[1, 0, 0], [0, 0, 0], [0, 0, 0]]},
        # "2:0" absent: no participant
    })
    single = write_json(tmp_path, "outcomes.json", {"2:0": {"annotations": [0, 1, 0]}})  # one vector only
    roles = {"tokens": sents, "participants": part, "outcomes": single}
    majority = run(read_token_label_json, roles, {"layers": LAYERS})
    assert [r.id for r in majority] == ["1:0", "1:1", "2:0"]
    assert spans(majority[0]) == [("Participant_Age", "Forty children with asthma", (0, 26))]
    assert spans(majority[1]) == [] and spans(majority[2]) == [("Outcome", "drugs", (4, 9))]
    assert spans(run(read_token_label_json, roles, {"layers": LAYERS, "vote": "all"})[0]) == [
        ("Participant_Age", "children", (6, 14))]
    anyone = run(read_token_label_json, roles, {"layers": LAYERS, "vote": "any"})
    assert spans(anyone[1]) == [("Participant_Age", "Nothing", (0, 7))]


def test_json_errors(tmp_path):
    sents = write_json(tmp_path, "sentences.json", SENTENCES)
    part = write_json(tmp_path, "participants.json", {"1:0": {"annotations": [[1, 1]]}})
    with pytest.raises(SourceError, match=r"participants.json.*'1:0': a label vector of 2 for 7 tokens"):
        run(read_token_label_json, {"tokens": sents, "participants": part}, {"layers": LAYERS})
    listed = write_json(tmp_path, "list.json", ["not", "an", "object"])
    with pytest.raises(SourceError, match="expected a JSON object keyed by sentence id"):
        run(read_token_label_json, {"tokens": sents, "participants": listed}, {"layers": LAYERS})
    with pytest.raises(ManifestError):
        run(read_token_label_json, {"tokens": sents}, {"layers": LAYERS, "vote": "most"})
