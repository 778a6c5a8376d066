"""CoNLL / IOB reader: tag schemes, columns, documents, and the real IOB files."""

from __future__ import annotations

from collections import Counter

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import SourceError
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
