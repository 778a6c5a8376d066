from __future__ import annotations

import importlib
from pathlib import Path

from medinst_core.plugin_api import Diagnostics
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
    write_file,
)

PLUGIN = "medinst_genetag"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("genetag.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_train(registry):
    diag = Diagnostics()
    out = sample_outputs(task_samples(registry, "genetag.ner", "train", SAMPLES, bundled=True, diagnostics=diag))
    # nested names in text order (start, then end); the repeated line counted once; the line without its second '|' read;
    # the line whose text is not its tokens left out (so sentence 4 has no name and no sample)
    assert out == {
        "@@910000000001": "[IL - 2 <NEWGENE>] [IL - 2 receptor alpha chain <NEWGENE>] [IL - 2 <NEWGENE>]",
        "@@910000000003": "[c-fos <NEWGENE>] [c-jun <NEWGENE>] [TNF <NEWGENE>]",
    }
    assert diag.counts == {"spans.duplicate": 1, "spans.missing_separator": 1, "spans.text_mismatch": 1}


def test_bundled_splits_follow_medinst(registry):
    """dev reads the official test/ folder, test reads round1/."""
    dev = sample_outputs(task_samples(registry, "genetag.ner", "dev", SAMPLES, bundled=True))
    test = sample_outputs(task_samples(registry, "genetag.ner", "test", SAMPLES, bundled=True))
    assert dev == {"@@920000000001": "[Ras <NEWGENE>] [Raf <NEWGENE>]"}
    assert test == {"@@930000000001": "[cyclin D1 <NEWGENE>]"}


def test_openbiocorpora_layout(registry, tmp_path):
    write_file(tmp_path, "genetag/original-data/round1/TOKENIZED_CORPUS", "@@1 TBP/TAG binds/TAG ./.\n")
    write_file(tmp_path, "genetag/original-data/round1/Gold.format", "@@1|0 0|TBP\n")
    write_file(tmp_path, "genetag/original-data/round1/Correct.Data", "@@1|0 0|TBP\n")
    assert sample_outputs(task_samples(registry, "genetag.ner", "test", tmp_path)) == {"@@1": "[TBP <NEWGENE>]"}


def gold_sentences(path: Path) -> set[str]:
    return {line.split("|")[0] for line in path.read_text(encoding="ascii").splitlines() if line.strip()}


def test_real_files(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "GENETAG" / "original-data")
    for split, name, count in (("train", "train", 3875), ("dev", "test", 1311)):
        expected = gold_sentences(folder / name / "Gold.format")
        assert len(expected) == count  # = MedINST
        samples = task_samples(registry, "genetag.ner", split, medinst_real_data)
        assert {s["id"].split(":", 2)[2] for s in samples} == expected
    # spot check against the files: the second training sentence and its four Gold.format names
    out = sample_outputs(task_samples(registry, "genetag.ner", "train", medinst_real_data))
    assert out["@@98823379047"] == (
        "[Varicella-zoster virus ( VZV ) glycoprotein gI <NEWGENE>] [type 1 transmembrane glycoprotein <NEWGENE>] "
        "[gE <NEWGENE>] [gI Fc receptor <NEWGENE>]"
    )
    # the line written without its second '|' (@@18719714263|11 11OCT-1) is read
    assert "[OCT-1 <NEWGENE>]" in out["@@18719714263"]
