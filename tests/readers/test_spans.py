"""sentence_spans reader: GENETAG token spans and BioCreative II non-space offsets."""

from __future__ import annotations

import pytest

from medinst_core.diagnostics import Diagnostics
from medinst_core.errors import ManifestError, SourceError
from medinst_core.readers.spans import read_sentence_spans

from ._util import run

GENETAG = {"offsets": "tokens", "token_tags": True, "entity_type": "NEWGENE"}


def read(tmp_path, text, spans, options, diagnostics=None):
    (tmp_path / "TOKENIZED_CORPUS").write_text(text)
    (tmp_path / "Gold.format").write_text(spans)
    return run(read_sentence_spans, {"text": tmp_path / "TOKENIZED_CORPUS", "annotations": tmp_path / "Gold.format"},
               options, diagnostics)


def mentions(record):
    return [(e.id, e.type, e.text[0], e.offsets[0]) for e in record.entities]


def test_genetag_tokens_tag_suffixes_and_nested_spans(tmp_path):
    text = ("@@1 The/TAG IL/TAG -/TAG 2/TAG receptor/TAG binds/TAG RPMI/TAG //TAG FCS/TAG ./.\n"
            "@@2 Nothing/TAG here/TAG ./.\n")
    spans = "@@1|1 4|IL - 2 receptor\n@@1|1 3|IL - 2\n"
    first, second = read(tmp_path, text, spans, GENETAG)
    assert first.id == first.document_id == "@@1"
    assert first.text == "The IL - 2 receptor binds RPMI / FCS ."  # ./. -> . and //TAG -> /
    assert mentions(first) == [("T0", "NEWGENE", "IL - 2 receptor", (4, 19)), ("T1", "NEWGENE", "IL - 2", (4, 10))]
    assert second.text == "Nothing here ." and second.entities == ()
    assert first.source.endswith("TOKENIZED_CORPUS:1")


def test_missing_separator_duplicate_and_mismatch(tmp_path):
    text = "@@7 Both/TAG c-fos/TAG and/TAG OCT-1/TAG ./.\n"
    spans = "@@7|1 1|c-fos\n@@7|1 1|c-fos\n@@7|3 3OCT-1\n@@7|0 1|Both c-jun\n"
    diag = Diagnostics()
    (r,) = read(tmp_path, text, spans, {**GENETAG, "text_check": "skip"}, diag)
    assert [m[2] for m in mentions(r)] == ["c-fos", "OCT-1"]
    assert diag.counts == {"spans.duplicate": 1, "spans.missing_separator": 1, "spans.text_mismatch": 1}
    with pytest.raises(SourceError) as err:
        read(tmp_path, text, spans, GENETAG)
    assert err.value.line == 4 and "'Both c-jun'" in str(err.value) and "Gold.format" in str(err.value)


def test_bc2gm_offsets_count_non_space_characters(tmp_path):
    # offsets skip white space: "alkaline  phosphatase" starts at the 14th non-space character
    text = "P1T1 Comparison with alkaline  phosphatases and 5-nucleotidase\nP1T2 No genes.\n"
    spans = "P1T1|14 33|alkaline  phosphatases\nP1T1|37 50|5-nucleotidase\n"
    first, second = read(tmp_path, text, spans, {"offsets": "nonspace"})
    assert first.text == "Comparison with alkaline  phosphatases and 5-nucleotidase"
    assert mentions(first) == [("T0", "Gene", "alkaline  phosphatases", (16, 38)), ("T1", "Gene", "5-nucleotidase", (43, 57))]
    assert second.entities == ()


@pytest.mark.parametrize(
    "spans, fragment, line",
    [
        ("@@1|0 0|A\n@@9|0 0|X\n", "mention of sentence '@@9', which the text file does not hold", 2),
        ("@@1|0 5|A\n", "beyond sentence '@@1' (2 tokens)", 1),
        ("@@1|1 0|A\n", "ends before it starts", 1),
        ("@@1 0 0 A\n", "expected 'id|start end|mention'", 1),
    ],
)
def test_bad_annotation_lines(tmp_path, spans, fragment, line):
    with pytest.raises(SourceError) as err:
        read(tmp_path, "@@1 A/TAG ./.\n", spans, GENETAG)
    assert fragment in str(err.value) and err.value.line == line


def test_repeated_sentence_and_bad_option(tmp_path):
    with pytest.raises(SourceError) as err:
        read(tmp_path, "@@1 A/TAG\n@@1 B/TAG\n", "", GENETAG)
    assert err.value.line == 2 and "appears twice" in str(err.value)
    with pytest.raises(ManifestError):
        read(tmp_path, "@@1 A/TAG\n", "", {"offsets": "characters"})
