from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from medinst_core.plugin_api import Diagnostics, SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_muchmore"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
FIRST = "springer_english_train_V4.2/Orthopaede.00990001.eng.abstr.chunkmorph.annotated.xml"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("muchmore.ned", "muchmore.re", "muchmore.transl")


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_ned(registry):
    diagnostics = Diagnostics()
    samples = task_samples(registry, "muchmore.ned", "train", SAMPLES, bundled=True, diagnostics=diagnostics)
    out = sample_outputs(samples)
    # overlapping terms all listed; a term with two concepts gives two brackets; German files are not read
    assert out == {
        "Orthopaede.00990001.eng.abstr": "[anterior <UMLS/C0205094>] [anterior cruciate ligament <UMLS/C0078944>] "
        "[ligament <UMLS/C0023685>] [ligament <UMLS/C0023686>] [knee joint <UMLS/C0022745>] [Rupture <UMLS/C0035126>] "
        "[pain <UMLS/C0030193>] [effusion <UMLS/C0013687>]",
        "Orthopaede.00990002.eng.abstr": "[Sjögren syndrome <UMLS/C1527336>]",  # ISO-8859-1 decoded
    }
    assert samples[0]["input"] == "The anterior cruciate ligament stabilises the knee joint . Rupture causes pain and effusion ."
    assert diagnostics.counts["muchmore.empty_file"] == 1  # Orthopaede.00990003 is an empty file


def test_bundled_re_leaves_out_relations_within_one_term(registry):
    out = sample_outputs(task_samples(registry, "muchmore.re", "train", SAMPLES, bundled=True))
    assert out == {"Orthopaede.00990001.eng.abstr": "[<ligament> <surrounds> <knee joint>] [<Rupture> <result_of> <pain>]"}


def test_bundled_transl_pairs_by_name(registry):
    (sample,) = task_samples(registry, "muchmore.transl", "train", SAMPLES, bundled=True)
    # 00990002 has no German file and 00990004 no English one: no pair
    assert sample["id"] == "muchmore.transl:train:Orthopaede.00990001"
    assert sample["input"].startswith("Ligament injuries of the knee\nThe anterior cruciate ligament")
    assert sample["output"].endswith("Eine Ruptur führt zu Schmerz und Erguß.\nSchlüsselwörter: Knie, Band")


def _copy(tmp_path, old, new):
    folder = tmp_path / "springer_english_train_V4.2"
    folder.mkdir()
    path = folder / Path(FIRST).name
    path.write_bytes((SAMPLES / FIRST).read_bytes().replace(old.encode(), new.encode(), 1))
    return tmp_path


@pytest.mark.parametrize("old,new,message", [
    ('from="w7" to="w8"', 'from="w7" to="w18"', "sentence s1, term t4: token 'w7'..'w18' is not in the sentence"),
    ('term2="t4.1"', 'term2="t9.1"', "sentence s1, relation r1: concept 't9.1' is not in the sentence"),
    ("</umlsterms>", "</umlsterm>", "malformed XML"),
])
def test_bad_files_name_file_and_problem(registry, tmp_path, old, new, message):
    folder = _copy(tmp_path, old, new)
    with pytest.raises(SourceError, match=f"Orthopaede.00990001.eng.abstr.chunkmorph.annotated.xml.*{message}"):
        task_samples(registry, "muchmore.ned", "train", folder)


def test_two_english_abstracts_of_one_name_are_an_error(registry, tmp_path):
    for sub in ("a", "b"):
        shutil.copytree(SAMPLES / "springer_english_train_plain", tmp_path / sub)
    shutil.copytree(SAMPLES / "springer_german_train_plain", tmp_path / "de")
    with pytest.raises(SourceError, match="two en abstracts named Orthopaede.00990001"):
        task_samples(registry, "muchmore.transl", "train", tmp_path)


@pytest.mark.parametrize("task,medinst", [("muchmore.ned", 7820), ("muchmore.re", 7734)])
def test_real_annotated_counts(registry, medinst_real_data, task, medinst):
    folder = find_real(medinst_real_data, "*.eng.abstr.chunkmorph.annotated.xml").parent
    needle = b"<umlsterm " if task == "muchmore.ned" else b"<semrel "
    files = sorted(folder.glob("*.eng.abstr.chunkmorph.annotated.xml"))
    with_any = sum(1 for f in files if needle in f.read_bytes())
    samples = task_samples(registry, task, "train", folder)
    assert len(samples) <= with_any  # relations within one term are left out
    assert len(samples) == medinst


def test_real_pairs(registry, medinst_real_data):
    root = find_real(medinst_real_data, "*.ger.abstr").parent.parent
    english = {p.name.split(".eng.")[0] for p in root.rglob("*.eng.abstr")}
    german = {p.name.split(".ger.")[0] for p in root.rglob("*.ger.abstr")}
    samples = task_samples(registry, "muchmore.transl", "train", root)
    assert len(samples) == len(english & german) == 6374
