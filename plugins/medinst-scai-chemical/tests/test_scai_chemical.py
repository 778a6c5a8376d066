from __future__ import annotations

import gzip
import importlib
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_scai_chemical"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
BUNDLED = SAMPLES / "chemicals-test-corpus-27-04-2009-v3_iob.gz"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("scai_chemical.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_gzip_mac_roman_documents(registry):
    samples = task_samples(registry, "scai_chemical.ner", "train", SAMPLES, bundled=True)
    out = sample_outputs(samples)
    # the abstract without a chemical (9100002) is left out; ids are the file's order
    assert out == {
        "0": "[2-acetoxybenzoic acid <IUPAC>] [Aspirin <TRIVIAL>] [ASA <ABBREVIATION>] [ethanol <TRIVIAL>] "
             "[beta-lactam <PARTIUPAC>] [C6H12O6 <SUM>]",
        "2": "[Steroids <FAMILY>] [glucuronide <MODIFIER>]",
    }
    # tokens sit at their offsets (no space before '.' or inside '(ASA)'); the degree sign is Mac OS Roman 0xA1
    assert samples[0]["input"].startswith("Synthesis of 2-acetoxybenzoic acid. Aspirin (ASA) was dissolved in ethanol at 37\u00b0C;")
    assert b"37\xa1C" in gzip.decompress(BUNDLED.read_bytes())


def test_mention_column_agrees_with_the_tags(registry):
    """Independently of the reader: the mention text written on each B token is what the sample shows."""
    text = gzip.decompress(BUNDLED.read_bytes()).decode("mac_roman")
    written = [line.split("\t")[3] for line in text.splitlines() if line.count("\t") == 4 and line.split("\t")[3]]
    samples = task_samples(registry, "scai_chemical.ner", "train", SAMPLES, bundled=True)
    shown = [b.split(" <")[0] for s in samples for b in s["output"][1:-1].split("] [")]
    assert shown == written


def test_decompressed_file_and_bad_line(registry, tmp_path):
    data = gzip.decompress(BUNDLED.read_bytes())
    write_file(tmp_path, "scai/chemicals-test-corpus-27-04-2009-v3.iob", "")
    (tmp_path / "scai/chemicals-test-corpus-27-04-2009-v3.iob").write_bytes(data)
    assert len(task_samples(registry, "scai_chemical.ner", "train", tmp_path)) == 2
    (tmp_path / "scai/chemicals-test-corpus-27-04-2009-v3.iob").write_bytes(data.replace(b"\t|B-SUM", b"\t|X-SUM"))
    with pytest.raises(SourceError) as err:
        task_samples(registry, "scai_chemical.ner", "train", tmp_path)
    assert "'X-SUM' is not a IOB2 tag" in str(err.value) and err.value.line is not None
