from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from medinst_tmvar_v2.reader import read_tmvar2

from medinst_core.plugin_api import Diagnostics, FileIndex, Normalization, SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_tmvar_v2"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
FILE = SAMPLES / "tmVar.Normalization.txt"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("tmvar_v2.ner", "tmvar_v2.ned")


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def records(folder=SAMPLES, diagnostics=None):
    files = FileIndex(folder).resolve({"data": ["tmVar.Normalization.txt"]}, what="t")
    return {r.id: r for r in read_tmvar2(files, {}, diagnostics if diagnostics is not None else Diagnostics())}


def test_seventh_column_is_a_dbsnp_link_next_to_the_tmvar_id():
    e = records()["90400001"].entities[0]
    assert e.normalized == (Normalization("", "c|SUB|C|677|T"), Normalization("RSID", "1801133"))
    assert e.attributes == ()


def test_line_without_a_type_column_takes_the_type_of_its_tmvar_id():
    line = next(line_ for line_ in FILE.read_text().splitlines() if line_.startswith("90400002\t77"))
    assert len(line.split("\t")) == 6 and line.split("\t")[4] == "p|SUB|P|29|S"  # the quirk as in the real file
    diagnostics = Diagnostics()
    e = records(diagnostics=diagnostics)["90400002"].entities[0]
    assert (e.type, e.normalized) == ("ProteinMutation", (Normalization("", "p|SUB|P|29|S"), Normalization("RSID", "2075789")))
    assert diagnostics.as_dict()["tmvar2.type_from_id"]["count"] == 1


def test_ned_links_only_variants_with_an_rs_number(registry):
    out = sample_outputs(task_samples(registry, "tmvar_v2.ned", "train", SAMPLES))
    assert out["90400001"] == ("[C677T <dbSNP/rs1801133>] [C677T <dbSNP/rs1801133>] [rs1801133 <dbSNP/rs1801133>] "
                               "[Ala222Val <dbSNP/rs1801133>] [A1298C <dbSNP/rs1801131>]")
    assert "c.86C>T" not in out["90400002"]
    assert "90400003" not in out  # its only variant has no rs number


def test_ner_keeps_every_abstract_with_variants(registry):
    out = sample_outputs(task_samples(registry, "tmvar_v2.ner", "train", SAMPLES))
    assert list(out) == ["90400001", "90400002", "90400003"]
    assert out["90400002"].startswith("[nonpolar amino acid (proline) with a polar amino acid (serine) at position 29 "
                                      "<ProteinMutation>]")


def test_bad_line_is_an_error_naming_file_and_line(tmp_path):
    write_file(tmp_path, "tmVar.Normalization.txt", "1|t|A BRAF change\n1\t2\tBRAF\n")
    with pytest.raises(SourceError, match=r"tmVar.Normalization.txt:2: mention end offset 'BRAF' is not a number"):
        records(tmp_path)
