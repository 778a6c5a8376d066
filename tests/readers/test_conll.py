"""CoNLL / IOB reader: tag schemes, columns, documents, and the real IOB files."""

from __future__ import annotations

from collections import Counter

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.conll import read_conll

from ._util import run


def read(tmp_path, content, options=None, diagnostics=None):
    path = tmp_path / "x.conll"
    path.write_text(content)
    return run(read_conll, {"data": path}, options, diagnostics)


def spans(record):
    return [(e.type, e.text[0], e.offsets[0]) for e in record.entities]


def test_iob2_tokens_tags_text_and_spans(tmp_path):
    (r,) = read(tmp_path, "Mutant\tO\nBRCA1\tB-Gene\nprotein\tI-Gene\nin\tO\nbreast\tB-Disease\ncancer\tI-Disease\n")
    assert r.tokens == ("Mutant", "BRCA1", "protein", "in", "breast", "cancer")
    assert r.tags == ("O", "B-Gene", "I-Gene", "O", "B-Disease", "I-Disease")
    assert r.passages[0].text == "Mutant BRCA1 protein in breast cancer"
    assert spans(r) == [("Gene", "BRCA1 protein", (7, 20)), ("Disease", "breast cancer", (24, 37))]
    assert [e.id for e in r.entities] == ["T0", "T1"]


def test_sentences_documents_and_space_separated_columns(tmp_path):
    content = "-DOCSTART- -X- O O\n\nA NN B-X\nb NN O\n\nC NN B-Y\n\n\n-DOCSTART- -X- O O\nD NN O\n"
    recs = read(tmp_path, content)
    assert [(r.id, r.document_id, r.tokens) for r in recs] == [
        ("0", "d0", ("A", "b")), ("1", "d0", ("C",)), ("2", "d1", ("D",)),
    ]
    assert recs[0].source.endswith("x.conll:3")


def test_columns_and_untyped_tags(tmp_path):
    (r,) = read(tmp_path, "x\t0\t1\tB\ny\t2\t3\tI\nz\t4\t5\tO\n", {"tag_column": 3, "default_type": "Anatomy"})
    assert spans(r) == [("Anatomy", "x y", (0, 3))]


def test_iob1(tmp_path):
    (r,) = read(tmp_path, "a I-X\nb I-X\nc B-X\nd O\ne I-Y\n", {"scheme": "iob1"})
    assert spans(r) == [("X", "a b", (0, 3)), ("X", "c", (4, 5)), ("Y", "e", (8, 9))]


@pytest.mark.parametrize("scheme, tags", [("iobes", "B-X E-X S-Y O S-X"), ("bilou", "B-X L-X U-Y O U-X")])
def test_iobes_and_bilou(tmp_path, scheme, tags):
    tokens = "a b c d e".split()
    (r,) = read(tmp_path, "".join(f"{t}\t{g}\n" for t, g in zip(tokens, tags.split())), {"scheme": scheme})
    assert spans(r) == [("X", "a b", (0, 3)), ("Y", "c", (4, 5)), ("X", "e", (8, 9))]


def test_orphan_inside_starts_a_mention_and_is_counted(tmp_path):
    diag = Diagnostics()
    (r,) = read(tmp_path, "a O\nb I-X\nc I-Y\n", diagnostics=diag)
    assert spans(r) == [("X", "b", (2, 3)), ("Y", "c", (4, 5))]
    assert diag.counts["conll_orphan_inside"] == 2


def test_comments_and_crlf(tmp_path):
    path = tmp_path / "x.conll"
    path.write_bytes(b"# comment\r\na\tB-X\r\nb\tO\r\n\r\nc\tO")
    recs = run(read_conll, {"data": path}, {"comment_prefix": "#"})
    assert [r.tags for r in recs] == [("B-X", "O"), ("O",)]


@pytest.mark.parametrize(
    "content, options, fragment",
    [
        ("a\tQ-X\n", {}, "'Q-X' is not a IOB2 tag"),
        ("a\tE-X\n", {}, "is not a IOB2 tag"),
        ("a\tL-X\n", {"scheme": "iobes"}, "is not a IOBES tag"),
        ("a\n", {}, "expected at least 2 columns"),
        ("a\tO\n\tO\n", {"separator": "tab"}, "empty token"),
        ("a b c\n", {"tag_column": 5}, "expected at least 6 columns"),
    ],
)
def test_malformed(tmp_path, content, options, fragment):
    with pytest.raises(SourceError) as info:
        read(tmp_path, content, options)
    assert fragment in str(info.value)
    assert "x.conll:" in str(info.value)


@pytest.mark.parametrize(
    "rel_path, sentences",
    [
        ("IOB/BC5CDR-IOB/train.tsv", 4560),
        ("IOB/BC5CDR-IOB/devel.tsv", 4581),
        ("IOB/NCBI-disease-IOB/train.tsv", None),
        ("IOB/NCBI-disease-IOB/devel.tsv", None),
    ],
)
def test_real_iob_files(shared_data, rel_path, sentences):
    path = shared_data / rel_path
    lines = path.read_text(encoding="utf-8").split("\n")
    groups = 0
    previous_blank = True
    b_tags = Counter()
    tokens = 0
    for line in lines:
        if not line.strip():
            previous_blank = True
            continue
        if previous_blank:
            groups += 1
        previous_blank = False
        tokens += 1
        tag = line.split("\t")[-1]
        if tag.startswith("B-"):
            b_tags[tag[2:]] += 1
    if sentences is not None:
        assert groups == sentences  # MedINST's BIO sentence counts
    diag = Diagnostics()
    recs = run(read_conll, {"data": path}, {}, diag)
    assert len(recs) == groups
    assert sum(len(r.tokens) for r in recs) == tokens
    # IOB2 with no orphan I tags: one mention per B tag
    assert not diag
    assert Counter(e.type for r in recs for e in r.entities) == b_tags
    for r in recs:
        assert r.passages[0].text == " ".join(r.tokens)


def test_bad_scheme_option_points_into_the_manifest(tmp_path):
    from medinst_core.errors import ManifestError

    with pytest.raises(ManifestError, match="/source/options/scheme"):
        read(tmp_path, "a\tO\n", {"scheme": "bio"})


_PIECES = [
    "tok\tO\n", "tok\tB-X\n", "tok\tI-X\n", "a b\tB-Y\n", "tok O\n", "tok  I-Y\n", "\n", "  \n", "\t\n", "\r\n",
    "tok\tO\r\n", "-DOCSTART-\tO\n", "# note\n", "tok\tQ-X\n", "tok\n", " \tO\n", "\u00a0\n", "x\ty\tB-Z\n", "tok\tS-X\n",
]


def _outcome(path, options, monkeypatch, chunk):
    import medinst_core.readers.conll as conll

    monkeypatch.setattr(conll, "_CHUNK", chunk)
    diagnostics = Diagnostics()
    try:
        records = [(r.id, r.document_id, r.tokens, r.tags, spans(r), r.source)
                   for r in run(read_conll, {"data": path}, options, diagnostics)]
    except SourceError as exc:
        records = str(exc)
    return records, diagnostics.as_dict()


@pytest.mark.parametrize("options", [{}, {"separator": "whitespace"}, {"scheme": "iobes", "comment_prefix": "#"}])
def test_chunked_reading_equals_reading_whole(tmp_path, monkeypatch, options):
    """Sentences are parsed a block at a time from chunks of the file; where the
    chunks end must not change records, warnings, errors or line numbers."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=80, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=25), st.sampled_from([3, 7, 16]))
    def check(pieces, chunk):
        path = tmp_path / "x.conll"
        path.write_bytes("".join(pieces).encode())
        assert _outcome(path, options, monkeypatch, chunk) == _outcome(path, options, monkeypatch, 1 << 20)

    check()


# -- other layouts: encodings, document lines, document units, offset columns --------------

# the layout of the SCAI corpora: '### <PMID>' lines, then token, start, end, the mention's text on its
# first token, '|TAG'; a blank line after each document; Mac OS Roman text
SCAI = (
    "### 111\n"
    "Aspirin\t0\t7\tAspirin\t|B-TRIVIAL\nand\t8\t11\t\t|O\nbeta-\t12\t17\tbeta-lactam\t|B-PARTIUPAC\n"
    "lactam\t17\t23\t\t|I-PARTIUPAC\nat\t24\t26\t\t|O\n37\u00b0C\t27\t31\t\t|O\n\n"
    "### 222\nNothing\t0\t7\t\t|O\nhere\t9\t13\t\t|O\n\n"
)
SCAI_OPTIONS = {"document_prefix": "###", "unit": "document", "offset_columns": [1, 2], "tag_column": 4,
                "tag_split": "|", "encoding": "mac_roman"}


def test_documents_with_offsets_encoding_and_split_tags(tmp_path):
    path = tmp_path / "scai.iob"
    path.write_bytes(SCAI.encode("mac_roman"))
    recs = run(read_conll, {"data": path}, SCAI_OPTIONS)
    assert [(r.id, r.document_id) for r in recs] == [("0", "111"), ("1", "222")]
    # tokens sit at their offsets: no space inside beta-lactam, two spaces where the offsets leave them
    assert recs[0].text == "Aspirin and beta-lactam at 37\u00b0C"
    assert recs[1].text == "Nothing  here"
    assert spans(recs[0]) == [("TRIVIAL", "Aspirin", (0, 7)), ("PARTIUPAC", "beta-lactam", (12, 23))]
    assert recs[0].tags[:3] == ("B-TRIVIAL", "O", "B-PARTIUPAC")
    assert recs[0].source.endswith("scai.iob:2")


def test_document_lines_name_the_sentences_documents(tmp_path):
    path = tmp_path / "x.iob"
    path.write_text("### 7\na\tB-X\n\nb\tO\n\n###  8 \nc\tO\n")
    recs = run(read_conll, {"data": path}, {"document_prefix": "###"})
    assert [(r.id, r.document_id, r.tokens) for r in recs] == [("0", "7", ("a",)), ("1", "7", ("b",)), ("2", "8", ("c",))]
    docs = run(read_conll, {"data": path}, {"document_prefix": "###", "unit": "document"})
    assert [(r.document_id, r.tokens, r.text) for r in docs] == [("7", ("a", "b"), "a b"), ("8", ("c",), "c")]


def test_a_file_without_document_lines_is_one_document(tmp_path):
    (tmp_path / "PMC-1-sec-01.conll").write_text("a\tB-X\nb\tI-X\n\nc\tO\n")
    (tmp_path / "PMC-2-caption-01.conll").write_text("d\tO\n")
    recs = run(read_conll, {"data": [tmp_path / "PMC-1-sec-01.conll", tmp_path / "PMC-2-caption-01.conll"]},
               {"unit": "document"})
    assert [(r.id, r.document_id, r.text) for r in recs] == [("0", "PMC-1-sec-01", "a b c"), ("1", "PMC-2-caption-01", "d")]
    assert spans(recs[0]) == [("X", "a b", (0, 3))]


def test_token_length_differing_from_offsets_is_counted(tmp_path):
    path = tmp_path / "x.iob"
    path.write_text("### 1\nab\t0\t3\t\t|O\nc\t4\t5\t\t|B-X\n")
    diag = Diagnostics()
    (r,) = run(read_conll, {"data": path}, {**SCAI_OPTIONS, "encoding": "utf-8"}, diag)
    assert r.text == "ab  c" and spans(r) == [("X", "c", (4, 5))]
    assert diag.counts["conll_token_length"] == 1


@pytest.mark.parametrize(
    "content, options, fragment",
    [
        ("### 1\nab\t5\t7\t\t|O\nc\t6\t7\t\t|O\n", SCAI_OPTIONS, "starts at 6, before the end of the previous token (7)"),
        ("### 1\nab\tx\t7\t\t|O\n", SCAI_OPTIONS, "offsets 'x' '7' are not integers"),
        ("### 1\nab\t0\t2\n", SCAI_OPTIONS, "expected at least 5 columns"),
        ("### 1\nab\t0\t2\t\t|Q-X\n", SCAI_OPTIONS, "'Q-X' is not a IOB2 tag"),
    ],
)
def test_layout_errors_name_file_and_line(tmp_path, content, options, fragment):
    path = tmp_path / "x.iob"
    path.write_text(content)
    with pytest.raises(SourceError) as err:
        run(read_conll, {"data": path}, {**options, "encoding": "utf-8"})
    assert fragment in str(err.value) and "x.iob" in str(err.value)
    assert err.value.line == content.count("\n")  # the last line of each case is the bad one


def test_undecodable_bytes_and_unknown_encoding(tmp_path):
    path = tmp_path / "x.iob"
    path.write_bytes(b"a\tO\n\nb\xff\tO\n")
    with pytest.raises(SourceError) as err:
        run(read_conll, {"data": path}, {"encoding": "ascii"})
    assert err.value.line == 3 and "cannot be decoded as ascii" in str(err.value)
    with pytest.raises(ManifestError):
        run(read_conll, {"data": path}, {"encoding": "no-such-codec"})
    with pytest.raises(ManifestError):
        run(read_conll, {"data": path}, {"offset_columns": [1, 2]})  # offsets need documents


def test_plain_options_through_the_general_path_read_as_the_fast_path(tmp_path):
    """The same file read with a no-op layout option (utf8 spelled otherwise) gives the same records."""
    content = "-DOCSTART- -X- O O\n\nA NN B-X\nb NN I-X\n\nC NN B-Y\n# c\n\n\nD NN O\n"
    path = tmp_path / "x.conll"
    path.write_text(content)
    fast = run(read_conll, {"data": path}, {"comment_prefix": "#"})
    general = run(read_conll, {"data": path}, {"comment_prefix": "#", "encoding": "latin-1"})
    assert [(r.tokens, r.tags, r.text, spans(r)) for r in fast] == [(r.tokens, r.tags, r.text, spans(r)) for r in general]


def test_real_jnlpba_files_with_medline_document_lines(shared_data):
    """The JNLPBA shared task's '2' files open each abstract with '###MEDLINE:<PMID>' and a blank line."""
    folder = shared_data / "JNLPBA" / "original-data" / "train"
    if not (folder / "sampletest2.iob2").is_file():
        pytest.skip("JNLPBA sample files not present")
    plain = run(read_conll, {"data": folder / "sampletest1.iob2"}, {})
    marked_text = (folder / "sampletest2.iob2").read_text(encoding="utf-8")
    marked = run(read_conll, {"data": folder / "sampletest2.iob2"}, {"document_prefix": "###"})
    pmids = [line[len("###"):].strip() for line in marked_text.splitlines() if line.startswith("###")]
    assert len(pmids) == 10 and pmids[0].startswith("MEDLINE:")
    assert list(dict.fromkeys(r.document_id for r in marked)) == pmids
    # the same sentences and mentions as the file without abstract boundaries
    assert [(r.tokens, r.tags) for r in marked] == [(r.tokens, r.tags) for r in plain]
