"""Tests of the MLEE plugin: conformance, the bundled samples (every output checked
by hand), the folders of the archive that must not be read, the .ann form of the
same annotations, and -- when a real copy is present -- counts against MedINST's
computed from the annotation lines, read here on their own."""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    plugin_registry_fixture,
    sample_outputs,
    task_samples,
)
from medinst_core.testing.brat import coref_anchors, count_documents, ee_brackets, re_brackets, standoff_documents

PLUGIN = "medinst_mlee"
TASKS = ("mlee.ner", "mlee.re", "mlee.ee", "mlee.coref")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
STANDOFF = SAMPLES / "MLEE-1.0.2-rev1" / "standoff"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)


def outputs(registry, task_id: str, split: str, folder: Path, diagnostics=None) -> dict[str, str]:
    return sample_outputs(task_samples(registry, task_id, split, folder, diagnostics=diagnostics))


BUNDLED = {
    "mlee.ner:train": {
        "PMID-9000401": "[Vascular endothelial growth factor <Gene_or_gene_product>] [VEGF <Gene_or_gene_product>] "
                        "[endothelial cells <Cell>] [retina <Multi-tissue_structure>] [VEGF <Gene_or_gene_product>] "
                        "[KDR <Gene_or_gene_product>] [cell surface <Cellular_component>] [bevacizumab <Drug_or_compound>] "
                        "[tumour <Pathological_formation>]",
        "PMID-9000403": "[Arterial <Tissue>] [venous endothelium <Tissue>] [angiopoietin-1 <Gene_or_gene_product>] "
                        "[Ang-1 <Gene_or_gene_product>] [mice <Organism>] [Ang-1 <Gene_or_gene_product>] [kidney <Organ>]",
        # PMID-9000402 (an erratum, empty .a1/.a2) is dropped from every task
    },
    "mlee.ner:dev": {
        "PMID-9000411": "[hypoxia-inducible factor 1 alpha <Gene_or_gene_product>] [HIF-1α <Gene_or_gene_product>] "
                        "[tumour cells <Cell>] [liver <Organ>] [HIF-1α <Gene_or_gene_product>] [VEGF <Gene_or_gene_product>]",
    },
    "mlee.ner:test": {
        "PMID-9000421": "[Thrombospondin-1 <Gene_or_gene_product>] [TSP-1 <Gene_or_gene_product>] "
                        "[endothelial cells <Cell>] [aorta <Multi-tissue_structure>]",
    },
    "mlee.re:train": {
        "PMID-9000401": "[<endothelial cells> <Part-of> <retina>]",
        "PMID-9000403": "[<Arterial> <frag> <venous endothelium>]",
    },
    "mlee.re:dev": {"PMID-9000411": "[<tumour cells> <Part-of> <liver>]"},
    "mlee.re:test": {"PMID-9000421": "[<endothelial cells> <Part-of> <aorta>]"},
    # events whose only theme is another event (Positive_regulation of E1, Negative_regulation of E5),
    # events without a Theme (Planned_process with an Instrument, Blood_vessel_development with no
    # argument) give no bracket; Theme2 is a theme
    "mlee.ee:train": {
        "PMID-9000401": "[<Cell_proliferation> <proliferation> <endothelial cells>] [<Binding> <binds> <VEGF>] "
                        "[<Binding> <binds> <KDR>] [<Growth> <growth> <tumour>]",
        "PMID-9000403": "[<Gene_expression> <expressed> <angiopoietin-1>] [<Transcription> <mRNA> <Ang-1>]",
    },
    "mlee.ee:dev": {
        "PMID-9000411": "[<Positive_regulation> <induces> <hypoxia-inducible factor 1 alpha>] "
                        "[<Transcription> <transcription> <VEGF>]",
    },
    "mlee.ee:test": {"PMID-9000421": "[<Localization> <migration> <endothelial cells>]"},
    "mlee.coref:train": {"PMID-9000401:T1": "[VEGF]", "PMID-9000403:T3": "[Ang-1]"},
    "mlee.coref:dev": {"PMID-9000411:T1": "[HIF-1α]"},
    "mlee.coref:test": {"PMID-9000421:T1": "[TSP-1]"},
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split.split(":")
    assert outputs(registry, task_id, split, SAMPLES) == BUNDLED[task_split]


def test_bundled_inputs_are_the_texts(registry):
    for s in task_samples(registry, "mlee.coref", "train", SAMPLES):
        text = (STANDOFF / "development" / "train" / (s["id"].split(":")[2] + ".txt")).read_text(encoding="utf-8")
        assert s["input"].startswith(text + "\nEntity: ")
    [s] = task_samples(registry, "mlee.ner", "dev", SAMPLES)
    assert s["input"] == (STANDOFF / "development" / "test" / "PMID-9000411.txt").read_text(encoding="utf-8")


def test_other_folders_of_the_archive_are_not_read(registry, tmp_path):
    """standoff/full (all documents) and standoff/test/train (training + development)
    sit next to the split folders in the archive; no split may pick them up."""
    root = tmp_path / "MLEE-1.0.2-rev1" / "standoff"
    shutil.copytree(STANDOFF, root)
    for folder in ("full", "test/train"):
        (root / folder).mkdir(parents=True)
        for path in (STANDOFF / "development" / "train").iterdir():
            shutil.copy(path, root / folder / path.name.replace("PMID-90004", "PMID-80004"))
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert outputs(registry, task_id, split, tmp_path) == wanted


def test_single_ann_files_give_the_same_samples(registry, tmp_path):
    """The same annotations in one .ann file per document (brat's own form) give the same samples."""
    root = tmp_path / "MLEE-1.0.2-rev1" / "standoff"
    for txt in STANDOFF.rglob("*.txt"):
        dest = root / txt.parent.relative_to(STANDOFF)
        dest.mkdir(parents=True, exist_ok=True)
        shutil.copy(txt, dest / txt.name)
        ann = txt.with_suffix(".a1").read_text(encoding="utf-8") + txt.with_suffix(".a2").read_text(encoding="utf-8")
        (dest / txt.with_suffix(".ann").name).write_text(ann, encoding="utf-8")
    assert not list(root.rglob("*.a1"))
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert outputs(registry, task_id, split, tmp_path) == wanted


@pytest.mark.parametrize("layout", ["MLEE/original-data", "MLEE/MLEE-1.0.2-rev1", "mlee"])
def test_other_folder_layouts(registry, tmp_path, layout):
    """The archive's standoff/ folder below a corpus folder that is not the archive's own top folder (the
    original-data/ layout of the other real copies, the archive unpacked inside a folder named after the corpus,
    a folder renamed)."""
    shutil.copytree(STANDOFF, tmp_path / layout / "standoff")
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert outputs(registry, task_id, split, tmp_path) == wanted, task_split


def test_macos_companion_files_are_not_documents(registry, tmp_path):
    """An archive re-packed on macOS holds a binary ._<name> companion of every file, beside it or under
    __MACOSX/; they are not documents."""
    shutil.copytree(STANDOFF, tmp_path / "MLEE-1.0.2-rev1" / "standoff")
    add_macos_companions(tmp_path)
    for task_split, wanted in BUNDLED.items():
        task_id, split = task_split.split(":")
        assert outputs(registry, task_id, split, tmp_path) == wanted, task_split


# -- the test split, with what the bundled files do not show ----------------------------

TEST_TXT = "Endostatin inhibited proliferation of bovine and human endothelial cells in the cornea.\n"
# brat's single-file form: a discontinuous entity, Theme2, an attribute on an event, a normalization, a note,
# a relation with an event argument (not shown: only entities are), and a mention whose offsets are one
# character off (kept as annotated, with a warning)
TEST_ANN = "\n".join([
    "T1\tGene_or_gene_product 0 10\tEndostatin",
    "T2\tCell 38 44;55 72\tbovine endothelial cells",
    "T3\tCell 49 72\thuman endothelial cells",
    "T4\tMulti-tissue_structure 79 85\tcornea",
    "T5\tNegative_regulation 11 20\tinhibited",
    "T6\tCell_proliferation 21 34\tproliferation",
    "E1\tCell_proliferation:T6 Theme:T2 Theme2:T3",
    "E2\tNegative_regulation:T5 Theme:E1 Cause:T1",
    "A1\tSpeculation E2",
    "N1\tReference T1 Gene:80781\tCOL18A1",
    "#1\tAnnotatorNotes T4\tcornea of the eye",
    "R1\tPart-of Arg1:T3 Arg2:T4\t",
    "R2\tPart-of Arg1:E1 Arg2:T4\t",
    "",
])


def test_test_split_with_unseen_annotation_forms(registry, tmp_path):
    folder = tmp_path / "MLEE-1.0.2-rev1" / "standoff" / "test" / "test"
    folder.mkdir(parents=True)
    (folder / "PMID-91000421.txt").write_text(TEST_TXT, encoding="utf-8")
    (folder / "PMID-91000421.ann").write_text(TEST_ANN, encoding="utf-8")
    diagnostics = Diagnostics()
    assert outputs(registry, "mlee.ner", "test", tmp_path, diagnostics) == {
        "PMID-91000421": "[Endostatin <Gene_or_gene_product>] [bovine endothelial cells <Cell>] "
                         "[human endothelial cells <Cell>] [cornea <Multi-tissue_structure>]",
    }
    warnings = diagnostics.as_dict()
    assert warnings["offset_mismatch"]["count"] == 1 and "T4" in warnings["offset_mismatch"]["examples"][0]
    assert outputs(registry, "mlee.ee", "test", tmp_path) == {
        "PMID-91000421": "[<Cell_proliferation> <proliferation> <bovine endothelial cells>] "
                         "[<Cell_proliferation> <proliferation> <human endothelial cells>]",
    }
    assert outputs(registry, "mlee.re", "test", tmp_path) == {
        "PMID-91000421": "[<human endothelial cells> <Part-of> <cornea>]",
    }
    assert outputs(registry, "mlee.coref", "test", tmp_path) == {}


# -- a real copy, when present ---------------------------------------------------


@pytest.fixture
def real_standoff(medinst_real_data) -> Path:
    found = sorted(p for p in medinst_real_data.glob("**/standoff")
                   if any(part.lower().startswith("mlee") for part in p.relative_to(medinst_real_data).parts))
    if not found:
        pytest.skip("no MLEE copy under the real-data folder")
    return found[0]


@pytest.mark.parametrize("split, folder", [("train", "development/train"), ("dev", "development/test"),
                                           ("test", "test/test")])
def test_real_counts(registry, medinst_real_data, real_standoff, split, folder):
    docs = standoff_documents(real_standoff / folder, (".a1", ".a2", ".ann"))
    counted = {
        "mlee.ner": count_documents(docs),  # documents with an entity (a T that is no event trigger)
        "mlee.re": count_documents(docs, re_brackets),  # with a relation between two entities
        "mlee.ee": count_documents(docs, ee_brackets),  # with an event whose Theme (Theme2...) is an entity
        "mlee.coref": sum(len(coref_anchors(d)) for d in docs.values()),  # Equiv chains of two entities or more
    }
    for task_id, n in counted.items():
        assert len(task_samples(registry, task_id, split, medinst_real_data)) == n, task_id
        assert n == registry.tasks[task_id].manifest["medinst"]["counts"][split], task_id
