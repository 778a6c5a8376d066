from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    samples_of_files,
    task_samples,
    write_file,
)

PLUGIN = "medinst_genia_term"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
SAMPLE_FILE = SAMPLES / "GENIA_term_3.02" / "GENIAcorpus3.02.xml"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("genia_term.ner",)


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_outputs(registry):
    out = sample_outputs(task_samples(registry, "genia_term.ner", "train", SAMPLES, bundled=True))
    assert out == {
        # nested terms all listed, in text order (start, then end)
        "99000001": "[IL-4 <protein_molecule>] [IL-4 gene <DNA_domain_or_region>] "
                    "[IL-4 gene transcription <other_name>] [resting T cells <cell_type>] "
                    # a coordination keeps its compound class; its untyped fragments are left out
                    "[c-fos and c-jun mRNA <(AND RNA_molecule RNA_molecule)>] [PMA <other_organic_compound>] "
                    # tagged twice over the same words: once
                    "[nuclear factors <protein_family_or_group>] [promoter region <DNA_domain_or_region>] "
                    "[Jurkat cells <cell_line>]",
        "99000002": "[Ca2+ <inorganic>] [Calcineurin <protein_molecule>] [NF-AT <protein_family_or_group>] "
                    "[human lymphocytes <cell_type>]",
    }  # 99000003 has no term: dropped


def test_bundled_text_sentences_joined_by_a_space(registry):
    first = task_samples(registry, "genia_term.ner", "train", SAMPLES, bundled=True)[0]
    assert first["input"] == (
        "IL-4 gene transcription in resting T cells. We measured c-fos and c-jun mRNA after PMA treatment. "
        "Binding of nuclear factors to the <200 bp promoter region was lost in Jurkat cells.")
    assert first["id"] == "genia_term.ner:train:99000001"  # MEDLINE: prefix removed


def test_pos_version_is_not_read(registry, tmp_path):
    # the part-of-speech release (GENIAcorpus3.02.pos.xml) is another format; its name must not match
    write_file(tmp_path, "GENIAcorpus3.02p/GENIAcorpus3.02.pos.xml", "<set><article/></set>")
    write_file(tmp_path, "GENIA_term_3.02/GENIAcorpus3.02.xml", SAMPLE_FILE.read_text(encoding="utf-8"))
    assert len(task_samples(registry, "genia_term.ner", "train", tmp_path)) == 2


def test_malformed_file_names_file_and_line(registry, tmp_path):
    text = SAMPLE_FILE.read_text(encoding="utf-8").replace("</cons> signalling", "</con> signalling")
    path = write_file(tmp_path, "GENIAcorpus3.02.xml", text)
    with pytest.raises(SourceError, match=r"GENIAcorpus3.02.xml:2\d.*malformed XML"):
        samples_of_files(registry, "genia_term.ner", "train", path)


def test_real_file(registry, medinst_real_data):
    path = find_real(medinst_real_data, "GENIAcorpus3.02.xml")
    raw = path.read_text(encoding="utf-8")
    articles = re.findall(r"<article>(.*?)</article>", raw, re.S)
    with_terms = sum(1 for a in articles if re.search(r'<cons [^>]*sem="', a))
    samples = task_samples(registry, "genia_term.ner", "train", path.parent)
    assert len(samples) == with_terms == 2000  # MedINST GENIA-Term: 2,000
