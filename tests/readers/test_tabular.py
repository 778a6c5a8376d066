"""Tabular and JSON readers: the declarative mapping on fixtures of each MedINST source and on the real files."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.tabular import read_csv, read_json, read_jsonl, read_tsv
from medinst_core.records import PairsRecord, QARecord, T2TRecord, TERecord, TextRecord

from ._util import FIXTURES, run

TAB = FIXTURES / "tabular"

PUBMEDQA = {
    "record": "qa",
    "fields": {
        "question": "QUESTION", "context": {"path": "CONTEXTS", "join": " "}, "type": {"const": "yesno"},
        "choices": {"const": ["yes", "no", "maybe"]}, "answers": {"path": "final_decision", "list": True},
        "document_id": "$key",
    },
}


def test_pubmedqa_dict_keyed_by_pmid_and_test_split_join():
    recs = run(read_json, {"data": TAB / "pubmedqa.json"}, PUBMEDQA)
    assert [(r.id, r.context, r.answers) for r in recs] == [
        ("111", "C one. C two.", ("yes",)), ("222", "Only one.", ("maybe",)), ("333", "", ("no",)),
    ]
    assert isinstance(recs[0], QARecord) and recs[0].choices == ("yes", "no", "maybe")
    roles = {"data": TAB / "pubmedqa.json", "test": TAB / "pubmedqa_test.json"}
    test = run(read_json, roles, {**PUBMEDQA, "join": {"role": "test", "on": "$key", "how": "inner"}})
    rest = run(read_json, roles, {**PUBMEDQA, "join": {"role": "test", "on": "$key", "how": "anti"}})
    assert [r.id for r in test] == ["222"] and [r.id for r in rest] == ["111", "333"]
    with pytest.raises(SourceError, match=r"\['111'\]: no item of role 'test' has the key '111'"):
        run(read_json, roles, {**PUBMEDQA, "join": {"role": "test", "on": "$key"}})


def test_medqa_options_dict():
    options = {
        "record": "qa",
        "fields": {
            "question": "question", "type": {"const": "multiple_choice"},
            "choices": {"path": "options", "values": True}, "choice_labels": {"path": "options", "keys": True},
            "answers": {"path": "answer", "list": True}, "question_id": "answer_idx",
        },
    }
    recs = run(read_jsonl, {"data": TAB / "medqa.jsonl"}, options)
    assert [r.id for r in recs] == ["0", "1"]  # the blank line is not an item
    assert recs[0].choice_labels == ("A", "B", "C", "D", "E") and recs[0].answers == ("Nitrofurantoin",)
    assert recs[1].choices[1] == recs[1].answers[0]
    assert recs[1].source.endswith("medqa.jsonl:3")
    # dynamic keys: the answer looked up by its letter
    options["fields"]["answers"] = {"path": "options.{answer_idx}", "list": True}
    assert [r.answers for r in run(read_jsonl, {"data": TAB / "medqa.jsonl"}, options)] == [
        ("Nitrofurantoin",), ("Galactose-1-phosphate uridyltransferase",)
    ]


def test_scifact_claims_joined_with_the_corpus(shared_data):
    options = {
        "record": "te",
        "explode": {"path": "cited_doc_ids", "as": "doc_id"},
        "join": {"role": "corpus", "key": "doc_id", "on": "$doc_id", "as": "doc", "how": "inner"},
        "fields": {
            "id": {"template": "{id}_{$doc_id}"}, "hypothesis": "claim",
            "premise": {"path": "$doc.abstract", "pick": "evidence.{$doc_id}.0.sentences", "join": " "},
            "label": {"path": "evidence.{$doc_id}.0.label", "default": "NOINFO"},
        },
    }
    recs = run(read_jsonl, {"data": shared_data / "SciFact" / "claims_train.jsonl", "corpus": TAB / "corpus.jsonl"}, options)
    assert [(r.id, r.premise, r.label) for r in recs] == [
        ("2_13734012", "Prevalence was 1 in 2000.", "CONTRADICT"),
        ("9_44265107", "Methadone was discontinued by 32% of programs.", "SUPPORT"),
    ]
    assert all(isinstance(r, TERecord) for r in recs)


def test_scifact_all_cited_documents(shared_data):
    path = shared_data / "SciFact" / "claims_train.jsonl"
    lines = [json.loads(x) for x in path.read_text().splitlines() if x.strip()]
    expected = Counter()
    for c in lines:
        for d in c["cited_doc_ids"]:
            groups = c["evidence"].get(str(d))
            expected[groups[0]["label"] if groups else "NOINFO"] += 1
    options = {
        "record": "te",
        "explode": {"path": "cited_doc_ids", "as": "doc_id"},
        "fields": {"hypothesis": "claim", "premise": {"const": ""},
                   "label": {"path": "evidence.{$doc_id}.0.label", "default": "NOINFO"}},
    }
    recs = run(read_jsonl, {"data": path}, options)
    assert Counter(r.label for r in recs) == expected
    assert len({r.id for r in recs}) == len(recs)


def test_covert_evidence_texts():
    options = {
        "record": "te", "where": [{"path": "evidence.*.2", "nonempty": True}],
        "fields": {"id": "id", "premise": {"path": "evidence.*.2", "join": " "}, "hypothesis": "claim",
                   "label": {"path": "label", "map": {"SUPPORTS": "Supports", "REFUTES": "Refutes"}}},
    }
    recs = run(read_jsonl, {"data": TAB / "covert.jsonl"}, options)
    assert [(r.id, r.label) for r in recs] == [("t1", "Refutes"), ("t2", "Supports")]
    assert recs[0].premise == "No evidence supports vitamin D as a cure for COVID-19. Trials found no benefit."
    del options["where"]
    with pytest.raises(SourceError, match=r"covert.jsonl:3: value 'NOT ENOUGH INFO' is not in the map"):
        run(read_jsonl, {"data": TAB / "covert.jsonl"}, options)


def test_multixscience_cited_abstracts():
    options = {"record": "t2t", "fields": {
        "id": "aid", "text_1": {"paths": ["abstract", "ref_abstract.*.abstract"], "join": "\n"},
        "text_2": "related_work", "text_1_name": {"const": "abstracts"}}}
    a, b = run(read_json, {"data": TAB / "multixscience.json"}, options)
    assert isinstance(a, T2TRecord)
    assert a.text_1 == "We study protein folding.\nFolding kinetics.\nFolding landscapes."
    assert b.text_1 == "A survey." and a.text_1_name == "abstracts"


def test_biosses_tsv_mean_score():
    options = {"record": "pairs", "fields": {
        "id": "sentence_id", "text_1": "sentence_1", "text_2": "sentence_2",
        "score": {"paths": [f"annotator_{x}" for x in "abcde"], "type": "float", "reduce": "mean"}}}
    a, b = run(read_tsv, {"data": TAB / "biosses.tsv"}, options)
    assert isinstance(a, PairsRecord)
    assert (a.id, a.score, b.score) == ("1", 3.6, 0.2)
    assert a.text_1 == 'Mutant KRAS drives "tumour" growth.'  # quotes are literal in TSV


def test_csv_quoting_headerless_and_columns(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('1,"a, quoted\nmulti-line text",pos\n2,plain,neg\n')
    options = {"record": "text", "header": False, "fields": {"id": "0", "text": "1", "labels": "2"}}
    recs = run(read_csv, {"data": path}, options)
    assert [(r.id, r.text, r.labels) for r in recs] == [("1", "a, quoted\nmulti-line text", ("pos",)), ("2", "plain", ("neg",))]
    assert recs[1].source.endswith("x.csv:3")
    named = run(read_csv, {"data": path}, {"record": "text", "header": False, "columns": ["n", "t", "l"],
                                           "fields": {"text": "t", "labels": "l"}})
    assert [r.labels for r in named] == [("pos",), ("neg",)]


def test_meddialog_one_record_per_utterance(shared_data):
    path = shared_data / "MedDialog" / "english-dev.json"
    data = json.loads(path.read_text())
    speakers = Counter(u.split(":", 1)[0].strip() for d in data for u in d["utterances"])
    options = {"record": "text", "explode": {"path": "utterances", "as": "u"}, "fields": {
        "document_id": "$index", "text": {"path": "$u", "regex": "^[^:]*:\\s*(.*)$", "regex_flags": "s"},
        "labels": {"path": "$u", "split": ":", "maxsplit": 1, "index": 0, "strip": True, "list": True}}}
    recs = run(read_json, {"data": path}, options)
    assert len(data) == 60 and len(recs) == 126  # MedINST MedDialog dev
    assert all(isinstance(r, TextRecord) for r in recs)
    assert Counter(r.labels[0] for r in recs) == speakers
    assert recs[0].id == "0_0" and not recs[0].text.startswith("patient")


def test_bioasq_yesno_one_record_per_snippet(shared_data):
    path = shared_data / "BioASQ-TaskB" / "Task7BGoldenEnriched" / "7B1_golden.json"
    questions = json.loads(path.read_text())["questions"]
    expected = sum(len(q.get("snippets") or []) for q in questions if q["type"] == "yesno")
    options = {"record": "qa", "items": "questions", "where": {"type": "yesno"},
               "explode": {"path": "snippets", "as": "s"},
               "fields": {"id": {"template": "{id}_{$s_index}"}, "question_id": "id", "question": "body",
                          "context": "$s.text", "type": {"const": "yesno"}, "choices": {"const": ["yes", "no"]},
                          "answers": {"path": "exact_answer", "regex": "^(yes|no)", "regex_flags": "i",
                                      "lower": True, "list": True}}}
    recs = run(read_json, {"data": path}, options)
    assert len(recs) == expected
    assert {r.answers for r in recs} <= {("yes",), ("no",)}
    answers = {q["id"]: q["exact_answer"].lower()[:3].strip(".") for q in questions if q["type"] == "yesno"}
    assert all(r.answers[0] == answers[r.question_id] for r in recs)
    # factoid answers: nested synonym lists flattened, or kept as synonym groups
    factoid = run(read_json, {"data": path}, {"record": "qa", "items": "questions", "where": {"type": "factoid"},
                                              "fields": {"question": "body", "type": "type",
                                                         "answer_synonyms": "exact_answer",
                                                         "answers": {"path": "exact_answer", "flatten": True}}})
    assert len(factoid) == sum(1 for q in questions if q["type"] == "factoid")
    assert all(r.answer_synonyms for r in factoid)


def test_medal_csv_abbreviation_at_location(shared_data):
    path = shared_data / "MeDAL" / "toy_data" / "sample.csv"
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    options = {"record": "qa", "unique_ids": False, "fields": {
        "document_id": "ABSTRACT_ID", "context": "TEXT",
        "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
        "type": {"const": "factoid"}, "answers": {"path": "LABEL", "list": True}}}
    recs = run(read_csv, {"data": path}, options)
    assert len(recs) == len(rows) == 268
    assert [r.question for r in recs] == [row["TEXT"].split(" ")[int(row["LOCATION"])] for row in rows]
    assert [r.id for r in recs[:3]] == ["0", "1", "2"]


def test_pubmedqa_real_split(shared_data):
    folder = shared_data / "PubMedQA"
    roles = {"data": folder / "ori_pqal.json", "test": folder / "test_ground_truth.json"}
    test = run(read_json, roles, {**PUBMEDQA, "join": {"role": "test", "on": "$key", "how": "inner", "as": "gold"}})
    truth = json.loads((folder / "test_ground_truth.json").read_text())
    assert len(test) == len(truth) == 500
    assert all(r.answers == (truth[r.id],) for r in test)
    assert len(run(read_json, roles, {**PUBMEDQA, "join": {"role": "test", "on": "$key", "how": "anti"}})) == 500


# ---------------------------------------------------------------------------
# Mapping errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({"record": "qa", "fields": {"question": "q"}}, "need field(s) type"),
        ({"record": "qa", "fields": {"question": "q", "type": "t", "colour": "c"}}, "no field 'colour'"),
        ({"record": "nope", "fields": {}}, "expected one of"),
        ({"record": "text", "fields": {"text": {"pth": "x"}}}, "unknown spec key"),
        ({"record": "text", "fields": {"text": {"path": "x", "const": 1}}}, "exactly one of"),
        ({"record": "text", "fields": {"text": {"path": "x", "regex": "("}}}, "invalid regular expression"),
        ({"record": "text", "fields": {"text": "x"}, "where": [{"path": "x", "like": 1}]}, "exactly one of equals"),
    ],
)
def test_option_errors_point_into_the_manifest(options, fragment):
    with pytest.raises(ManifestError) as info:
        run(read_jsonl, {"data": TAB / "medqa.jsonl"}, options)
    assert fragment in str(info.value) and "/source/options" in str(info.value)


@pytest.mark.parametrize(
    "fields, fragment",
    [
        ({"text": "nothing"}, "medqa.jsonl:1: field 'text' is missing"),
        ({"text": "options"}, "field 'text' expects a single value, found a dict"),
        ({"text": "question", "labels": "options"}, "expects a list of strings"),
        ({"text": "question", "id": "meta_info"}, "record id 'step1' occurs twice"),
        ({"text": {"path": "options", "index": 0}}, "'index' expects a list"),
        ({"text": {"path": "options", "split": " "}}, "split expects a string"),
    ],
)
def test_item_errors_name_file_and_line(fields, fragment, tmp_path):
    path = tmp_path / "medqa.jsonl"
    path.write_text((TAB / "medqa.jsonl").read_text().replace("step2&3", "step1").replace("\n\n", "\n"))
    with pytest.raises(SourceError) as info:
        run(read_jsonl, {"data": path}, {"record": "text", "fields": fields})
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "reader, name, content, fragment",
    [
        (read_jsonl, "x.jsonl", '{"a": 1}\n{"a": \n', "x.jsonl:2: expected one JSON value per line"),
        (read_json, "x.json", '{"a": [1,\n 2,\n', "invalid JSON"),
        (read_json, "x.json", '"just a string"', "to be a list or an object"),
        (read_csv, "x.csv", "a,b\n1,2,3\n", "x.csv:2: expected 2 columns"),
        (read_csv, "x.csv", 'a,b\n1,"unterminated\n', "malformed CSV"),
        (read_tsv, "x.tsv", "a\tb\n\xff\n", "not valid UTF-8"),
    ],
)
def test_malformed_files(tmp_path, reader, name, content, fragment):
    path = tmp_path / name
    if "\xff" in content:
        path.write_bytes(content.replace("\xff", "").encode() + b"\xff\xfe\n")
    else:
        path.write_text(content)
    with pytest.raises(SourceError) as info:
        run(reader, {"data": path}, {"record": "text", "fields": {"text": "a"}})
    assert fragment in str(info.value)


def test_transforms(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text(json.dumps({
        "t": "  Hello World  ", "xs": [[1, 2], [3]], "d": {"k1": "v1", "k2": "v2"}, "n": "3", "flag": "yes",
        "labels": ["pos", "neg", "pos"], "nested": {"inner": [{"v": "a"}, {"v": None}, {"v": "b"}]},
    }) + "\n")
    fields = {
        "text": {"template": "{{{t}}} / {n}", "strip": True},
        "labels": {"paths": ["labels", "nested.inner.*.v", "d.k2"], "map": {"pos": "P", "neg": "N"}, "map_missing": "keep"},
        "document_id": {"path": "xs", "flatten": True, "reduce": "sum"},
    }
    (r,) = run(read_jsonl, {"data": path}, {"record": "text", "fields": fields})
    assert r.text == "{  Hello World  } / 3"
    assert r.labels == ("P", "N", "P", "a", "b", "v2")
    assert r.document_id == "6"
    more = {"text": {"path": "t", "strip": True, "lower": True},
            "labels": {"path": "d", "keys": True, "regex": "k(\\d)", "type": "int", "reduce": "max", "list": True},
            "document_id": {"path": "missing", "default": "none"}}
    (r,) = run(read_jsonl, {"data": path}, {"record": "text", "fields": more})
    assert (r.text, r.labels, r.document_id) == ("hello world", ("2",), "none")
    where = run(read_jsonl, {"data": path}, {"record": "text", "fields": {"text": "t"},
                                             "where": [{"path": "flag", "in": ["yes"]}, {"path": "gone", "exists": False}]})
    assert len(where) == 1
    assert run(read_jsonl, {"data": path}, {"record": "text", "fields": {"text": "t"}, "where": {"flag": "no"}}) == []


def test_nested_explode_and_default_ids(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_text('{"groups": [{"items": ["a", "b"]}, {"items": []}, {"items": ["c"]}]}\n'
                    '{"groups": []}\n{"groups": [{"items": ["d"]}]}\n')
    options = {"record": "text", "explode": [{"path": "groups", "as": "g"}, {"path": "$g.items", "as": "i"}],
               "fields": {"text": "$i", "document_id": {"template": "{$g_index}/{$i_index}"}}}
    recs = run(read_jsonl, {"data": [path, path]}, options)
    assert [(r.id, r.text) for r in recs] == [
        ("0_0_0", "a"), ("0_0_1", "b"), ("0_2_0", "c"), ("2_0_0", "d"),
        ("3_0_0", "a"), ("3_0_1", "b"), ("3_2_0", "c"), ("5_0_0", "d"),
    ]
    with pytest.raises(SourceError, match=r"\$h is not defined here"):
        run(read_jsonl, {"data": path}, {**options, "fields": {"text": "$h"}})


def test_a_location_past_the_last_word_names_the_spec(tmp_path):
    path = tmp_path / "train.csv"
    path.write_text("ABSTRACT_ID,TEXT,LOCATION,LABEL\n1,a short text,1,expansion\n2,two words,5,other\n")
    options = {"record": "qa", "fields": {
        "context": "TEXT", "question": {"path": "TEXT", "split": " ", "index": "LOCATION"},
        "type": {"const": "factoid"}, "answers": {"path": "LABEL", "list": True}}}
    with pytest.raises(SourceError) as info:
        run(read_csv, {"data": path}, options)
    message = str(info.value)
    assert message.startswith(f"{path}:3")
    assert "field 'question' is missing" in message and '"index":"LOCATION"' in message
    assert "an index out of range" in message


def test_join_with_a_headerless_id_list(tmp_path):
    """Evidence Inference: a split's article ids, one a line without a header, select the prompts (inner join)."""
    (tmp_path / "prompts.csv").write_text("PromptID,PMCID,Outcome\n1,11,o1\n2,12,o2\n3,11,o3\n", "utf-8")
    (tmp_path / "ids.txt").write_text("11\n13\n", "utf-8")
    (tmp_path / "ann.csv").write_text("PromptID,Label\n1,up\n1,down\n3,same\n", "utf-8")
    options = {
        "record": "text",
        "join": [{"role": "ids", "format": "tsv", "header": False, "key": "0", "on": "PMCID", "how": "inner"},
                 {"role": "ann", "key": "PromptID", "on": "PromptID", "as": "a", "how": "left"}],
        "fields": {"id": "PromptID", "text": "Outcome", "labels": {"path": "$a.Label", "list": True}},
    }
    recs = run(read_csv, {"data": tmp_path / "prompts.csv", "ids": tmp_path / "ids.txt", "ann": tmp_path / "ann.csv"}, options)
    # the first id is not taken for a header; the first annotation of a prompt is the joined one
    assert [(r.id, r.labels) for r in recs] == [("1", ("up",)), ("3", ("same",))]
    # with the default header the first id would be a column name and prompt 1 would be lost
    options["join"][0] = {"role": "ids", "format": "tsv", "key": "11", "on": "PMCID", "how": "inner"}
    recs = run(read_csv, {"data": tmp_path / "prompts.csv", "ids": tmp_path / "ids.txt", "ann": tmp_path / "ann.csv"}, options)
    assert recs == []
def test_jsonl_non_finite_constants(tmp_path):
    """SciCite's lines carry NaN (Python's json.dumps of a missing float): an error by default, null on request."""
    path = tmp_path / "train.jsonl"
    path.write_text(
        '{"string": "As shown by [1].", "label": "result", "citeStart": 12, "citeEnd": 15.0}\n'
        '{"string": "We follow [2].", "label": "method", "citeStart": NaN, "citeEnd": Infinity}\n'
        '\n'
        '{"string": "Prior work [3].", "label": "background", "citeStart": -Infinity, "citeEnd": 9}\n',
        encoding="utf-8",
    )
    options = {"record": "text", "fields": {"text": "string", "labels": {"path": "label", "list": True},
                                            "document_id": {"path": "citeStart", "default": "none"}}}
    with pytest.raises(SourceError, match=r"train.jsonl:2: expected one JSON value per line, found invalid JSON"):
        run(read_jsonl, {"data": path}, options)
    recs = run(read_jsonl, {"data": path}, {**options, "non_finite": "null"})
    assert [(r.id, r.text, r.labels, r.document_id) for r in recs] == [
        ("0", "As shown by [1].", ("result",), "12"), ("1", "We follow [2].", ("method",), "none"),
        ("2", "Prior work [3].", ("background",), "none"),
    ]
    assert recs[2].source.endswith("train.jsonl:4")
    path.write_text('{"string": "ok", "label": "x"}\n{"string": NaN, "label": }\n', encoding="utf-8")
    with pytest.raises(SourceError, match=r"train.jsonl:2: expected one JSON value per line, found invalid JSON"):
        run(read_jsonl, {"data": path}, {**options, "non_finite": "null"})
    path.write_bytes(b'{"string": "ok", "label": "x", "n": NaN}\n{"string": "\xff", "label": "y"}\n')
    with pytest.raises(SourceError, match=r"train.jsonl:2: .*not valid UTF-8"):
        run(read_jsonl, {"data": path}, {**options, "non_finite": "null"})


def test_file_name_path(tmp_path):
    """$file is the item's file name: UMNSRS's similarity and relatedness files read as one split."""
    a = tmp_path / "UMNSRS_similarity.csv"
    a.write_text("Mean,Std,Term1,Term2,CUI1,CUI2\n1500.5,80.1,Renal failure,Kidney failure,C1,C2\n", encoding="utf-8")
    b = tmp_path / "UMNSRS_relatedness.csv"
    b.write_text("Mean,Std,Term1,Term2,CUI1,CUI2\n900,100,Heart,Lung,C3,C4\n", encoding="utf-8")
    options = {"record": "pairs", "fields": {
        "text_1": "Term1", "text_2": "Term2", "score": {"path": "Mean", "type": "float"},
        "document_id": {"path": "$file", "regex": "UMNSRS_([a-z]+)"}}}
    recs = run(read_csv, {"data": [b, a]}, options)
    assert [(r.id, r.document_id, r.score) for r in recs] == [("0", "relatedness", 900.0), ("1", "similarity", 1500.5)]


def test_roles_read_in_order_with_role_path(tmp_path):
    a = tmp_path / "UMNSRS_similarity.csv"
    a.write_text("Mean,Term1,Term2\n1500.5,Renal failure,Kidney failure\n", encoding="utf-8")
    b = tmp_path / "UMNSRS_relatedness.csv"
    b.write_text("Mean,Term1,Term2\n900,Heart,Lung\n", encoding="utf-8")
    options = {"record": "pairs", "roles": ["similarity", "relatedness"], "fields": {
        "text_1": "Term1", "text_2": "Term2", "score": {"path": "Mean", "type": "float"}, "document_id": "$role"}}
    recs = run(read_csv, {"similarity": a, "relatedness": b}, options)
    assert [(r.id, r.document_id, r.text_1) for r in recs] == [("0", "similarity", "Renal failure"), ("1", "relatedness", "Heart")]
