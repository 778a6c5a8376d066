from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, SourceError, SourceFiles
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

PLUGIN = "medinst_spl_adr"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
ZORTAVEX = SAMPLES / "train_xml" / "ZORTAVEX.xml"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("spl_adr.ner", "spl_adr.re", "spl_adr.ned")


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_ner(registry):
    out = sample_outputs(task_samples(registry, "spl_adr.ner", "train", SAMPLES, bundled=True))
    assert out == {  # BLANKOREL has no mention: dropped
        "QUELLIDAN": "[dizziness <AdverseReaction>] [dry mouth <AdverseReaction>]",
        "ZORTAVEX": "[Nausea <AdverseReaction>] [severe <Severity>] [headache <AdverseReaction>] "
                    # a discontinuous mention: its two fragments joined by a space
                    "[abdominal pain <AdverseReaction>] [back pain <AdverseReaction>] [Rash <AdverseReaction>] "
                    "[not observed <Negation>] [Hepatotoxicity <AdverseReaction>] "
                    "[Elevated transaminases <AdverseReaction>] [rats <Animal>]",
    }


def test_bundled_re_only_labels_with_relations(registry):
    out = sample_outputs(task_samples(registry, "spl_adr.re", "train", SAMPLES, bundled=True))
    assert out == {"ZORTAVEX": "[<headache> <Effect> <severe>] [<Rash> <Negated> <not observed>] "
                                "[<Elevated transaminases> <Hypothetical> <rats>]"}


def test_bundled_ned_links(registry):
    out = sample_outputs(task_samples(registry, "spl_adr.ned", "train", SAMPLES, bundled=True))
    # "Nausea" matches the reaction "nausea" (case ignored); two normalisations give two brackets; an
    # unmapped reaction (elevated transaminases) and a negated mention without a reaction (Rash) give none
    assert out["ZORTAVEX"] == (
        "[Nausea <MedDRA v18.1/llt_10028813>] [headache <MedDRA v18.1/llt_10019211>] "
        "[abdominal pain <MedDRA v18.1/llt_10000081>] [back pain <MedDRA v18.1/llt_10003988>] "
        "[Hepatotoxicity <MedDRA v18.1/llt_10019851>] [Hepatotoxicity <MedDRA v18.1/llt_10024667>]")


def test_offsets_are_section_relative_and_sections_joined_by_a_space():
    from medinst_spl_adr.reader import read_spl_adr

    (record,) = read_spl_adr(SourceFiles(SAMPLES, {"data": (ZORTAVEX,)}), {}, Diagnostics())
    s1, s2 = record.passages
    assert s2.offsets[0][0] == s1.offsets[0][1] + 1 and record.text[s1.offsets[0][1]] == " "
    m4 = next(e for e in record.entities if e.id == "M4")
    assert m4.text == ("abdominal", "pain") and [record.text[s:e] for s, e in m4.offsets] == ["abdominal", "pain"]
    m8 = next(e for e in record.entities if e.id == "M8")
    assert record.text[m8.offsets[0][0]:m8.offsets[0][1]] == "Hepatotoxicity" and m8.offsets[0][0] > s2.offsets[0][0]
    assert "dose & more" in record.text  # XML entities decoded


def test_match_case_option():
    from medinst_spl_adr.reader import read_spl_adr

    (record,) = read_spl_adr(SourceFiles(SAMPLES, {"data": (ZORTAVEX,)}), {"match_case": True}, Diagnostics())
    assert not next(e for e in record.entities if e.id == "M1").normalized  # "Nausea" != "nausea"


def test_str_differing_from_the_offsets_is_counted(registry, tmp_path):
    text = ZORTAVEX.read_text(encoding="utf-8").replace('str="back pain"', 'str="backache"')
    path = write_file(tmp_path, "train_xml/ZORTAVEX.xml", text)
    diagnostics = Diagnostics()
    samples_of_files(registry, "spl_adr.ner", "train", path, diagnostics=diagnostics)
    assert diagnostics.counts["spl_adr.offset_mismatch"] == 1


def test_mention_outside_its_section_is_left_out_and_counted(registry, tmp_path):
    text = ZORTAVEX.read_text(encoding="utf-8").replace('start="67" len="6"', 'start="67" len="600"')
    path = write_file(tmp_path, "train_xml/ZORTAVEX.xml", text)
    diagnostics = Diagnostics()
    (sample,) = samples_of_files(registry, "spl_adr.ner", "train", path, diagnostics=diagnostics)
    assert sample["output"].startswith("[severe <Severity>]")
    assert diagnostics.counts["spl_adr.offset_outside"] == 1


@pytest.mark.parametrize("old,new,message", [
    ('start="95,114" len="9,4"', 'start="95,114" len="9"', "mention M4: 2 starts but 1 lengths"),
    ('start="67" len="6"', 'start="6x7" len="6"', "mention M1: start '6x7' is not a comma-separated list"),
    ('id="M10" section="S2"', 'id="M10" section="S9"', "mention M10 names section 'S9'"),
    ("</Mentions>", "</Mention>", "malformed XML"),
])
def test_bad_files_name_file_and_problem(registry, tmp_path, old, new, message):
    path = write_file(tmp_path, "train_xml/ZORTAVEX.xml", ZORTAVEX.read_text(encoding="utf-8").replace(old, new, 1))
    with pytest.raises(SourceError, match=f"ZORTAVEX.xml.*{message}"):
        samples_of_files(registry, "spl_adr.ner", "train", path)


@pytest.mark.parametrize("task,medinst,needs", [("spl_adr.ner", 101, "<Mention "), ("spl_adr.re", 96, "<Relation "),
                                                ("spl_adr.ned", 101, "meddra_llt_id=")])
def test_real_counts(registry, medinst_real_data, task, medinst, needs):
    folder = find_real(medinst_real_data, "train_xml")
    files = sorted(folder.glob("*.xml"))
    assert len(files) == 101
    expected = sum(1 for f in files if needs in f.read_text(encoding="utf-8"))
    samples = task_samples(registry, task, "train", folder.parent)
    if task != "spl_adr.ned":  # a label whose only linked reactions are never mentioned would differ
        assert len(samples) == expected
    assert len(samples) == medinst
    assert all(re.fullmatch(r"[A-Za-z0-9_.\- ]+", s["id"].split(":")[-1]) for s in samples)
