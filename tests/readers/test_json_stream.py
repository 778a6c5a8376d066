"""Streamed JSON, JSON Lines and gzip in the readers (medinst_core.readers.jsonstream and .files, the tabular readers)."""

from __future__ import annotations

import gzip
import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medinst_core.errors import SourceError
from medinst_core.readers import files, jsonstream, tabular
from medinst_core.readers.jsonstream import iter_json_items, iter_json_lines, json_opening, load_json
from medinst_core.readers.tabular import read_csv, read_json, read_jsonl, read_tsv

from ._util import FIXTURES, run, unsourced

TAB = FIXTURES / "tabular"


def gz(path, data: bytes):
    with open(path, "wb") as f, gzip.GzipFile(fileobj=f, mode="wb", mtime=0) as g:
        g.write(data)
    return path


def error_of(fn, *args, **kwargs) -> str:
    with pytest.raises(SourceError) as info:
        result = fn(*args, **kwargs)
        if not isinstance(result, (dict, list)):
            list(result)
    return str(info.value)


# -- gzip ------------------------------------------------------------------------------

MAPPINGS = {
    "json": (read_json, "multixscience.json", {"record": "t2t", "fields": {
        "id": "aid", "text_1": {"paths": ["abstract", "ref_abstract.*.abstract"], "join": "\n"}, "text_2": "related_work"}}),
    "jsonl": (read_jsonl, "medqa.jsonl", {"record": "qa", "fields": {
        "question": "question", "type": {"const": "multiple_choice"}, "choices": {"path": "options", "values": True},
        "answers": {"path": "answer", "list": True}}}),
    "csv": (read_csv, None, {"record": "pairs", "fields": {"text_1": "a", "text_2": "b", "label": "label"}}),
    "tsv": (read_tsv, "biosses.tsv", {"record": "pairs", "fields": {
        "id": "sentence_id", "text_1": "sentence_1", "text_2": "sentence_2",
        "score": {"paths": ["annotator_a", "annotator_b"], "type": "float", "reduce": "mean"}}}),
}
CSV = 'a,b,label\n"one, two",three,x\nfour,"five\nsix",y\n'


@pytest.mark.parametrize("fmt", sorted(MAPPINGS))
def test_every_tabular_format_reads_gzip(tmp_path, fmt):
    reader, fixture, options = MAPPINGS[fmt]
    plain = tmp_path / f"x.{fmt}"
    plain.write_bytes(CSV.encode() if fixture is None else (TAB / fixture).read_bytes())
    expected = run(reader, {"data": plain}, options)
    assert expected
    zipped = gz(tmp_path / f"x.{fmt}.gz", plain.read_bytes())
    assert unsourced(run(reader, {"data": zipped}, options)) == unsourced(expected)
    # gzip data is recognised by its first bytes, whatever the name; a .gz name alone does not decide
    disguised = gz(tmp_path / f"y.{fmt}", plain.read_bytes())
    assert unsourced(run(reader, {"data": disguised}, options)) == unsourced(expected)
    renamed = tmp_path / f"z.{fmt}.gz"
    renamed.write_bytes(plain.read_bytes())
    assert unsourced(run(reader, {"data": renamed}, options)) == unsourced(expected)


def test_gzip_in_the_shared_helpers(tmp_path):
    path = gz(tmp_path / "x.json.gz", b'\xef\xbb\xbf{"a": [1, 2]}\n')
    assert files.read_bytes(path) == b'\xef\xbb\xbf{"a": [1, 2]}\n'
    assert list(files.iter_lines(path)) == [(1, '{"a": [1, 2]}')]
    assert json_opening(path) == "{"
    assert [(i.key, i.value) for i in iter_json_items(path)] == [("a", [1, 2])]
    gz(path, b'{"a": [1, 2]}')
    assert load_json(path) == {"a": [1, 2]}


LINES = [json.dumps({"n": i, "text": "x" * (i % 7)}) for i in range(3000)]


@pytest.mark.parametrize(
    "fmt, reader, text, line",
    [
        ("jsonl", read_jsonl, "\n".join(LINES) + "\n", True),
        ("csv", read_csv, "n,text\n" + "".join(f"{i},{'x' * (i % 7)}\n" for i in range(3000)), True),
        ("tsv", read_tsv, "n\ttext\n" + "".join(f"{i}\t{'x' * (i % 7)}\n" for i in range(3000)), True),
        ("json", read_json, "[\n" + ",\n".join(LINES) + "\n]\n", True),
    ],
)
def test_truncated_or_corrupt_gzip_is_a_located_error(tmp_path, fmt, reader, text, line):
    whole = gz(tmp_path / f"whole.{fmt}.gz", text.encode()).read_bytes()
    options = {"record": "text", "fields": {"text": "text", "document_id": "n"}}
    assert len(run(reader, {"data": tmp_path / f"whole.{fmt}.gz"}, options)) == 3000
    cut = tmp_path / f"cut.{fmt}.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    message = error_of(run, reader, {"data": cut}, options)
    assert message.startswith(f"{cut}:") and "cannot be decompressed: the gzip data ends early" in message
    number = int(message.split(":")[1])  # the line being read when the data broke off
    assert 1 < number < 3000
    bad = tmp_path / f"bad.{fmt}.gz"
    bad.write_bytes(whole[:-8] + bytes(b ^ 0xFF for b in whole[-8:-4]) + whole[-4:])  # a wrong CRC
    message = error_of(run, reader, {"data": bad}, options)
    assert message.startswith(f"{bad}:") and "cannot be decompressed: corrupt gzip data (CRC check failed" in message


def test_corrupt_gzip_of_a_whole_file_parse(tmp_path):
    whole = gz(tmp_path / "x.json.gz", json.dumps({"questions": [{"body": "b" * 5000}]}).encode()).read_bytes()
    (tmp_path / "x.json.gz").write_bytes(whole[:-12])
    message = error_of(load_json, tmp_path / "x.json.gz")
    assert message == f"{tmp_path / 'x.json.gz'}: cannot be decompressed: the gzip data ends early (a truncated file)"


# -- streamed JSON == the whole parse ----------------------------------------------------------------

_tricky_text = st.text(alphabet=st.sampled_from(list('ab"\\/[]{},: \n\t\u00e9\u4e2d\U0001f600\x00\x1f') + ["\u2028"]), max_size=12)
_scalars = st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**64 - 1) | _tricky_text | st.floats(
    allow_nan=False, allow_infinity=False)
_values = st.recursive(
    _scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_tricky_text, inner, max_size=4), max_leaves=12)
_objects = st.dictionaries(_tricky_text, _values, max_size=5)
_blank = st.text(alphabet=" \t\n\r", max_size=3)


def dump(value, draw, ensure_ascii: bool) -> str:
    """JSON text of ``value`` with drawn whitespace between every token."""
    ws = lambda: draw(_blank)  # noqa: E731
    if isinstance(value, list):
        return "[" + ws() + ("," + ws()).join(dump(v, draw, ensure_ascii) + ws() for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ws() + ("," + ws()).join(
            json.dumps(k, ensure_ascii=ensure_ascii) + ws() + ":" + ws() + dump(v, draw, ensure_ascii) + ws()
            for k, v in value.items()) + "}"
    return json.dumps(value, ensure_ascii=ensure_ascii)


def document(items, draw, ensure_ascii: bool, keys=None) -> tuple[str, list[int]]:
    """A top-level array (or object, with ``keys``) and the line where each item starts."""
    opening, closing = ("{", "}") if keys is not None else ("[", "]")
    text = draw(_blank) + opening + draw(_blank)
    lines = []
    for n, item in enumerate(items):
        if n:
            text += "," + draw(_blank)
        lines.append(text.count("\n") + 1)
        if keys is not None:
            text += json.dumps(keys[n], ensure_ascii=ensure_ascii) + draw(_blank) + ":" + draw(_blank)
        text += dump(item, draw, ensure_ascii) + draw(_blank)
    return text + closing + draw(_blank), lines


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    items=st.lists(_objects | _values, max_size=8),
    as_object=st.booleans(),
    ensure_ascii=st.booleans(),
    chunk=st.sampled_from([1, 2, 3, 7, 64, 1 << 20]),
    bom=st.booleans(),
    gzipped=st.booleans(),
)
def test_streamed_items_equal_the_whole_parse(tmp_path, monkeypatch, data, items, as_object, ensure_ascii, chunk, bom, gzipped):
    keys = [f"k{n}\"[{{" + "\u00e9" * n for n in range(len(items))] if as_object else None
    text, lines = document(items, data.draw, ensure_ascii, keys)
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode()
    path = tmp_path / "doc.json"
    gz(path, raw) if gzipped else path.write_bytes(raw)
    monkeypatch.setattr(jsonstream, "JSON_CHUNK", chunk)
    got = list(iter_json_items(path))
    whole = orjson.loads(raw[3:] if bom else raw)
    assert [i.value for i in got] == (list(whole.values()) if as_object else whole)
    assert [i.key for i in got] == (keys if as_object else list(range(len(items))))
    assert [i.line for i in got] == lines
    # start/end: the value's bytes in the (decompressed) file
    assert [orjson.loads(raw[i.start : i.end]) for i in got] == [i.value for i in got]
    assert json_opening(path) == ("{" if as_object else "[")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.dictionaries(_tricky_text, _tricky_text, max_size=4), min_size=1, max_size=6),
       indent=st.sampled_from([None, 1, 2]), chunk=st.sampled_from([3, 50]))
def test_the_json_reader_streams_the_records_of_the_whole_parse(tmp_path, monkeypatch, items, indent, chunk):
    """The json reader streamed and parsing the file whole (which $root forces) give the same records."""
    path = tmp_path / "x.json"
    path.write_text(json.dumps(items, indent=indent))
    monkeypatch.setattr(jsonstream, "JSON_CHUNK", chunk)
    fields = {"text": {"path": "*", "join": "|", "default": ""}, "labels": {"path": "$", "keys": True}}
    streamed = run(read_json, {"data": path}, {"record": "text", "fields": fields})
    whole = run(read_json, {"data": path}, {"record": "text", "fields": fields, "where": [{"path": "$root", "exists": True}]})
    assert unsourced(streamed) == unsourced(whole) and len(streamed) == len(items)
    assert whole[0].source == f"{path}:[0]"
    if indent:  # each element on lines of its own: each record names the line where its element starts
        starts, line = [], 2
        for item in items:
            starts.append(line)
            line += json.dumps(item, indent=indent).count("\n") + 1
        assert [r.source for r in streamed] == [f"{path}:{n}" for n in starts]


def test_fixtures_read_alike_streamed_and_whole(monkeypatch):
    cases = [
        ("pubmedqa.json", {"record": "qa", "fields": {"question": "QUESTION", "type": {"const": "yesno"},
                                                      "context": {"path": "CONTEXTS", "join": " "}, "document_id": "$key"}}),
        ("multixscience.json", MAPPINGS["json"][2]),
    ]
    for name, options in cases:
        streamed = run(read_json, {"data": TAB / name}, options)
        with monkeypatch.context() as m:
            m.setattr(tabular, "json_opening", lambda path: "")  # not an array or an object: parsed whole
            whole = run(read_json, {"data": TAB / name}, options)
        assert streamed and unsourced(streamed) == unsourced(whole)
        assert streamed[0].source == f"{TAB / name}:1" and whole[0].source.startswith(f"{TAB / name}:[")


def test_root_and_items_parse_the_whole_document(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"t": "a"},\n {"t": "b"}]')
    recs = run(read_json, {"data": path}, {"record": "text", "fields": {"text": "t", "labels": {"path": "$root.*.t"}}})
    assert [(r.text, r.labels, r.source) for r in recs] == [("a", ("a", "b"), f"{path}:[0]"), ("b", ("a", "b"), f"{path}:[1]")]
    path.write_text('{"questions": [{"t": "a"}]}')
    assert [r.text for r in run(read_json, {"data": path}, {"record": "text", "items": "questions", "fields": {"text": "t"}})] == ["a"]
    recs = run(read_json, {"data": path}, {"record": "text", "fields": {"text": "$key", "labels": "$line"}})
    assert [(r.text, r.labels) for r in recs] == [("questions", ("1",))]


def test_a_repeated_key_of_a_streamed_object_is_an_error(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"1": {"t": "a"},\n "2": {"t": "b"},\n "1": {"t": "c"}}')
    assert error_of(run, read_json, {"data": path}, {"record": "text", "fields": {"text": "t"}}) == (
        f"{path}:3: the key '1' occurs again (first at line 1); the keys of a JSON object must be unique")
    assert [i.value["t"] for i in iter_json_items(path)] == ["a", "b", "c"]  # the helper yields what the file says


def test_item_errors_of_a_streamed_document_name_the_line_and_the_item(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[\n{"t": "a"},\n{"t": ["b"]}\n]')
    assert error_of(run, read_json, {"data": path}, {"record": "text", "fields": {"text": "t"}}) == (
        f"{path}:3: [1]: field 'text' expects a single value, found a list (add \"join\")")
    path.write_text('{"111": {"u": 1}}')
    assert error_of(run, read_json, {"data": path}, {"record": "text", "fields": {"text": "t"}}) == (
        f"{path}:1: ['111']: field 'text' is missing: its spec 't' gave no value "
        "(a missing key, an index out of range, or null)")


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('[\n{"a": 1}\n{"a": 2}\n]', 3, "expected ',' or ']' after element 0, found '{'"),  # missing comma
        ('[\n{"a": 1},\n{"a": 2},\n]', 4, "invalid JSON in element 2 (expected a value, found ']')"),  # trailing comma
        ('[\n{"a": 1},\n{"a":\n', 4, "invalid JSON in element 1 (unexpected end of data)"),  # truncated in an element
        ('[\n{"a": 1},\n{"a": "x\n', 3, "invalid JSON in element 1 (unexpected control character in string)"),
        ('[\n{"a": 1}', 2, "expected ',' or ']' after element 0, found the end of the file"),  # truncated between
        ('[\n{"a": 1},\n', 3, "invalid JSON in element 1 (expected a value, found the end of the file)"),
        ('[{"a": 1}]\n]', 2, "unexpected data after the JSON array: ']'"),  # trailing garbage
        ('[{"a": 1}] x', 1, "unexpected data after the JSON array: 'x'"),
        ('[1,\n {"a": [1}\n]', 2, "invalid JSON in element 1 ("),  # mismatched brackets
        ('[1,\n {"a": tru}\n]', 2, "invalid JSON in element 1 ("),
        ('[1,\n 2 3]', 2, "expected ',' or ']' after element 1, found '3'"),
        ('[\n"a",\n"\\u12"]', 3, "invalid JSON in element 1 ("),
        ('{"a": 1,\n "b" 2}', 2, "expected ':' after the key 'b', found '2'"),
        ('{"a": 1,\n 2: 3}', 2, "expected the quoted key of entry 1, found '2'"),
        ('{"a": 1,\n}', 2, "expected the quoted key of entry 1, found '}'"),
        ('{"a": 1\n "b": 2}', 2, "expected ',' or '}' after entry 'a', found '\"'"),
        ('{"a":\n\n  nul}', 3, "invalid JSON in entry 'a' ("),
        ('{"a": 1}}', 1, "unexpected data after the JSON object: '}'"),
        ('\n\n  "text"', 3, "expected a JSON array or object, found '\"text\"'"),
        ("  \n", 2, "expected a JSON array or object, found an empty file"),
    ],
)
def test_malformed_documents_are_located(tmp_path, monkeypatch, text, line, message):
    path = tmp_path / "x.json"
    path.write_text(text)
    for chunk in (1, 4, 1 << 20):
        monkeypatch.setattr(jsonstream, "JSON_CHUNK", chunk)
        assert error_of(iter_json_items, path).startswith(f"{path}:{line}: {message}")


def test_malformed_element_fails_without_reading_on(tmp_path, monkeypatch):
    # an error inside an element is reported when the element is read, not after the rest of the file
    monkeypatch.setattr(jsonstream, "JSON_CHUNK", 64)
    path = tmp_path / "x.json"
    path.write_text('[\n{"a": 1,, "x": 1},\n' + "\n".join('{"a": "' + "y" * 50 + '"},' for _ in range(5000)) + '\n{"a": 2}]')
    reads = []
    real = jsonstream.open_binary

    class Counting:
        def __init__(self, f):
            self.f = f

        def read1(self, n=-1):
            reads.append(n)
            return self.f.read1(n)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

    def counting(p):
        return Counting(real(p))

    monkeypatch.setattr(jsonstream, "open_binary", counting)
    assert error_of(iter_json_items, path) == f"{path}:2: invalid JSON in element 0 (unexpected character, expected a string key)"
    assert 1 <= len(reads) <= 3


def test_long_values_and_tiny_chunks_stay_linear(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonstream, "JSON_CHUNK", 16)
    path = tmp_path / "x.json"
    big = {"s": "\\\"" * 200_000 + "é" * 100_000, "n": list(range(50_000)), "deep": [[[[{"x": "]}"}]]]]}
    path.write_bytes(orjson.dumps([big, 1, big]))
    assert [i.value for i in iter_json_items(path)] == [big, 1, big]


def test_invalid_utf8_is_located(tmp_path):
    path = tmp_path / "x.json"
    path.write_bytes(b'[\n"a",\n{"b":\n "\xff"}]')
    assert error_of(iter_json_items, path) == f"{path}:4: is not valid UTF-8 (invalid start byte)"
    path.write_bytes(b'{\n"\xff": 1}')
    assert error_of(iter_json_items, path) == f"{path}:2: is not valid UTF-8 (invalid start byte)"
    path.write_bytes(b'{"a": 1,\n"b": [\n"\xff"]}')
    assert error_of(load_json, path) == f"{path}:3: is not valid UTF-8 (invalid start byte)"


# -- JSON Lines ------------------------------------------------------------------------------


def test_json_lines(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(b'\xef\xbb\xbf{"a": 1}\r\n\n  \n[2, "\xc3\xa9"]\n3')
    assert list(iter_json_lines(path)) == [(1, {"a": 1}), (4, [2, "é"]), (5, 3)]
    path.write_bytes(b'{"a": 1}\n{"a": \n{"a": 3}\n')
    assert error_of(iter_json_lines, path, expected="a sample") == (
        f"{path}:2: expected a sample, found invalid JSON (unexpected end of data)")
    path.write_bytes(b'{"a": 1}\n{"a": "\xe9"}\n')
    assert error_of(iter_json_lines, path) == f"{path}:2: is not valid UTF-8 (invalid continuation byte)"
    assert error_of(iter_json_lines, tmp_path / "absent.jsonl").startswith(f"{tmp_path / 'absent.jsonl'}: cannot be opened")


def test_the_other_json_lines_and_array_readers_share_the_helpers(tmp_path):
    from medinst_core.io import read_jsonl
    from medinst_core.readers.bioc import read_bioc_json

    path = gz(tmp_path / "samples.jsonl.gz", b'{"id": "a"}\n\n{"id": "b"}\n{"id": \n')
    with pytest.raises(SourceError) as info:
        assert [s["id"] for _, s in read_jsonl(path, what="a sample")] == ["a", "b"]
    assert str(info.value) == f"{path}:4: expected a sample on one line, found invalid JSON (unexpected end of data)"
    # BioC: a bare list of documents is streamed, and its errors name the document's line
    docs = tmp_path / "docs.json"
    docs.write_text('[\n {"id": "1", "passages": []},\n {"passages": []}\n]')
    assert error_of(run, read_bioc_json, {"data": docs}) == f"{docs}:3: document #1 has no 'id'"
    docs.write_text('[\n {"id": "1", "passages": []},\n {"id": "2", "passages": [}\n]')
    assert error_of(run, read_bioc_json, {"data": docs}).startswith(f"{docs}:3: invalid JSON in element 1 (")
    lines = tmp_path / "docs.jsonl"  # one document per line, with a BOM
    lines.write_bytes(b'\xef\xbb\xbf{"id": "1", "passages": []}\n{"id": "2", "passages": []}\n')
    assert [r.id for r in run(read_bioc_json, {"data": lines})] == ["1", "2"]
    collection = tmp_path / "collection.json"
    collection.write_bytes(b'\xef\xbb\xbf{"documents": [{"id": "1", "passages": []}]}')
    assert [r.id for r in run(read_bioc_json, {"data": collection})] == ["1"]
    assert load_json(collection) == {"documents": [{"id": "1", "passages": []}]}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.data(),
    documents=st.lists(_objects | _values, max_size=6),
    before=st.dictionaries(st.sampled_from(["source", "date", "key"]), _values, max_size=3),
    after=st.dictionaries(st.sampled_from(["infons", "note"]), _objects | _values, max_size=2),
    chunk=st.sampled_from([1, 3, 64, 1 << 20]),
)
def test_descend_streams_the_array_of_one_entry(tmp_path, monkeypatch, data, documents, before, after, chunk):
    """A BioC-like collection: the entries around ``documents`` come whole, the
    ``documents`` entry as STREAMED followed by its elements, in file order."""
    listing, _ = document(documents, data.draw, True)
    text = "{" + "".join(f"{json.dumps(k)}: {json.dumps(v)}, " for k, v in before.items())
    text += '"documents": ' + listing
    text += "".join(f", {json.dumps(k)}: {json.dumps(v)}" for k, v in after.items()) + "}"
    path = tmp_path / "collection.json"
    path.write_text(text)
    monkeypatch.setattr(jsonstream, "JSON_CHUNK", chunk)
    got = [(i.key, i.value) for i in iter_json_items(path, descend="documents")]
    assert got == [
        *before.items(), ("documents", jsonstream.STREAMED), *enumerate(json.loads(listing)), *after.items()
    ]
    # without descend the same entry comes whole
    assert [(i.key, i.value) for i in iter_json_items(path)] == list(json.loads(text).items())


def test_a_bioc_collection_is_streamed_document_by_document(tmp_path):
    from medinst_core.readers.bioc import read_bioc_json

    docs = [{"id": str(n), "infons": {}, "relations": [], "passages": [
        {"offset": 0, "infons": {"type": "title"}, "text": f"Title {n}.", "sentences": [], "annotations": [], "relations": []}
    ]} for n in range(3)]
    path = tmp_path / "c.BioC.json"
    path.write_text(json.dumps({"source": "x", "documents": docs, "key": "k.key"}, indent=1))
    records = run(read_bioc_json, {"data": path})
    assert [r.id for r in records] == ["0", "1", "2"] and records[2].text == "Title 2."
    broken = json.dumps({"source": "x", "documents": docs}, indent=1).replace('"id": "2"', '"id": "2",,')
    path.write_text(broken)
    with pytest.raises(SourceError) as info:
        run(read_bioc_json, {"data": path})
    line = broken[: broken.index('"id": "2",,')].count("\n") + 1  # the line of the error itself
    assert str(info.value).startswith(f"{path}:{line}: invalid JSON in 'documents' element 2")
