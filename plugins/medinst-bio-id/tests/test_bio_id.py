from __future__ import annotations

import csv
import importlib
import shutil
from pathlib import Path

import pytest
from medinst_bio_id.reader import parse_obj

from medinst_core.plugin_api import Diagnostics, Normalization, SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_bio_id"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
ROOT = SAMPLES / "BioIDtraining_2"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("bio_id.ned",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


@pytest.mark.parametrize(
    "obj, etype, links",
    [
        ("NCBI gene:9341", "gene", [("NCBI gene", "9341")]),
        ("Uniprot:P05201|Uniprot:P05202", "protein", [("Uniprot", "P05201"), ("Uniprot", "P05202")]),
        ("Uberon:UBERON:0001891", "anatomy", [("Uberon", "0001891")]),  # the id after the last colon, as BigBIO
        ("CVCL_0030", "cell", [("Cellosaurus", "CVCL_0030")]),  # Cellosaurus ids are written bare
        ("CVCL_6412|CL:0000057", "cell", [("Cellosaurus", "CVCL_6412"), ("CL", "0000057")]),
        ("protein:kinase", "protein", []),  # a mention without a database id
        ("NCBI taxon:10090", "species", [("NCBI taxon", "10090")]),
    ],
)
def test_parse_obj(obj, etype, links):
    assert parse_obj(obj) == (etype, tuple(Normalization(*link) for link in links))


def test_captions_joined_with_the_csv_annotations(registry):
    diagnostics = Diagnostics()
    out = sample_outputs(task_samples(registry, "bio_id.ned", "train", SAMPLES, diagnostics=diagnostics))
    assert out["5100001/Figure_1-A"] == (
        "[Brca1 <NCBIGene/12189>] [Gapdh <UniProt/P16858>] [mouse <NCBITaxon/10090>] [embryonic fibroblasts <CL/0000057>] "
        "[cisplatin <CHEBI/27899>] [nuclei <GO/0005634>]")  # DAPI (molecule:DAPI) has no id
    assert out["5100001/Figure_1-B"] == "[HeLa <Cellosaurus/CVCL_0030>] [liver <Uberon/0002107>] [rats <NCBITaxon/10116>]"
    # Figure 2-D has no annotation: no sample; 5100003 has annotations but no caption file: counted
    assert "5100002/Figure_2-D" not in out
    warnings = diagnostics.as_dict()
    assert warnings["bioid.unmatched_annotation"]["count"] == 1 and warnings["offset_mismatch"]["count"] == 1


def test_every_csv_row_of_a_panel_is_kept(registry):
    rows = list(csv.DictReader((ROOT / "annotations.csv").open()))
    linked = [r for r in rows if r["don_article"] == "5100001" and r["figure"] == "Figure_1-A"
              and not r["obj"].startswith("molecule:")]
    out = sample_outputs(task_samples(registry, "bio_id.ned", "train", SAMPLES))
    assert out["5100001/Figure_1-A"].count("[") == len(linked) == 6


def test_panel_matched_on_figure_when_the_folder_infon_is_missing(registry, tmp_path):
    shutil.copytree(ROOT, tmp_path / "BioIDtraining_2")
    path = tmp_path / "BioIDtraining_2" / "caption_bioc" / "5100001.xml"
    path.write_text(path.read_text().replace('<infon key="sourcedata_figure_dir">Figure_1-B</infon>', ""))
    out = sample_outputs(task_samples(registry, "bio_id.ned", "train", tmp_path))
    assert out["5100001/Figure_1-B"].startswith("[HeLa <Cellosaurus/CVCL_0030>]")


def test_bad_offsets_name_the_csv_line(registry, tmp_path):
    shutil.copytree(ROOT, tmp_path / "BioIDtraining_2")
    csv_path = tmp_path / "BioIDtraining_2" / "annotations.csv"
    lines = csv_path.read_text().splitlines()
    lines[3] = lines[3].replace(",37,42,", ",37,x,")
    write_file(csv_path.parent, "annotations.csv", "\n".join(lines) + "\n")
    with pytest.raises(SourceError, match=r"annotations.csv:4: expected integer offsets"):
        task_samples(registry, "bio_id.ned", "train", tmp_path)


def test_csv_without_the_needed_columns(registry, tmp_path):
    shutil.copytree(ROOT / "caption_bioc", tmp_path / "BioIDtraining_2" / "caption_bioc")
    write_file(tmp_path / "BioIDtraining_2", "annotations.csv", "don_article,figure,text\n1,F,x\n")
    with pytest.raises(SourceError, match=r"annotations.csv:1: missing columns"):
        task_samples(registry, "bio_id.ned", "train", tmp_path)


def test_article_ids_with_a_pmc_prefix_and_rows_without_offsets(registry, tmp_path):
    shutil.copytree(ROOT, tmp_path / "BioIDtraining_2")
    path = tmp_path / "BioIDtraining_2" / "caption_bioc" / "5100001.xml"
    path.write_text(path.read_text().replace('<infon key="pmc_id">5100001</infon>', '<infon key="pmc_id">PMC5100001</infon>'))
    csv_path = tmp_path / "BioIDtraining_2" / "annotations.csv"
    lines = csv_path.read_text().splitlines()
    lines[1] = lines[1].replace(",18,23,", ",,,")  # Brca1 without offsets
    write_file(csv_path.parent, "annotations.csv", "\n".join(lines) + "\n")
    diagnostics = Diagnostics()
    out = sample_outputs(task_samples(registry, "bio_id.ned", "train", tmp_path, diagnostics=diagnostics))
    assert out["5100001/Figure_1-A"].startswith("[Gapdh <UniProt/P16858>]")
    assert diagnostics.as_dict()["bioid.no_offsets"]["count"] == 1
