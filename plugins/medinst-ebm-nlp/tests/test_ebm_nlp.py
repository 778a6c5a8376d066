from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

from medinst_core.plugin_api import SourceError
from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_ebm_nlp"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
HIER = "ebm_nlp_2_00/annotations/aggregated/hierarchical_labels"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("ebm_nlp.ner",)


registry = plugin_registry_fixture(PLUGIN)


def find_real(root: Path, pattern: str) -> Path:
    """The first path below ``root`` matching ``pattern`` (any layout); the test is skipped when there is none."""
    return require_path(next(iter(sorted(root.rglob(pattern))), root / pattern))


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_train(registry):
    out = sample_outputs(task_samples(registry, "ebm_nlp.ner", "train", SAMPLES, bundled=True))
    assert out == {
        # adjacent tokens with different labels are separate spans (120 / women / over 65)
        "90000101": "[Early mobilisation <Intervention_Physical>] [120 <Participant_Sample-size>] "
                    "[women <Participant_Sex>] [over 65 <Participant_Age>] [Falls <Outcome_Physical>] "
                    "[pain <Outcome_Pain>] [usual care <Intervention_Control>]",
        "90000102": "[Oral vitamin D <Intervention_Pharmacological>] [placebo <Intervention_Control>] "
                    "[children <Participant_Age>] [asthma <Participant_Condition>] [Exacerbations <Outcome_Physical>]",
    }


def test_bundled_test_is_gold_only(registry):
    samples = task_samples(registry, "ebm_nlp.ner", "test", SAMPLES, bundled=True)
    # 90000202 has only zero labels (and no outcomes file): dropped; test/crowd labels are not read
    assert sample_outputs(samples) == {
        "90000201": "[Cognitive therapy <Intervention_Psychological>] [48 <Participant_Sample-size>] "
                    "[veterans <Participant_Condition>] [Sleep efficiency <Outcome_Physical>] [deaths <Outcome_Mortality>]",
    }
    assert samples[0]["input"] == "Cognitive therapy for insomnia in 48 veterans . Sleep efficiency improved and no deaths occurred ."


def test_label_file_of_the_wrong_length(registry, tmp_path):
    shutil.copytree(SAMPLES / "ebm_nlp_2_00", tmp_path / "ebm_nlp_2_00")
    ann = tmp_path / HIER / "outcomes/train/90000102.AGGREGATED.ann"
    ann.write_text(ann.read_text() + "0\n")
    with pytest.raises(SourceError, match=r"90000102.AGGREGATED.ann.*16 labels but 15 tokens"):
        task_samples(registry, "ebm_nlp.ner", "train", tmp_path)


def test_unknown_label(registry, tmp_path):
    shutil.copytree(SAMPLES / "ebm_nlp_2_00", tmp_path / "ebm_nlp_2_00")
    ann = tmp_path / HIER / "participants/train/90000101.AGGREGATED.ann"
    ann.write_text("9\n" + ann.read_text().split("\n", 1)[1])
    with pytest.raises(SourceError, match=r"90000101.AGGREGATED.ann:1.*unknown label '9' of layer 'participants'"):
        task_samples(registry, "ebm_nlp.ner", "train", tmp_path)


def test_missing_token_file(registry, tmp_path):
    shutil.copytree(SAMPLES / "ebm_nlp_2_00", tmp_path / "ebm_nlp_2_00")
    (tmp_path / "ebm_nlp_2_00/documents/90000102.tokens").unlink()
    with pytest.raises(SourceError, match="no token file for document '90000102'"):
        task_samples(registry, "ebm_nlp.ner", "train", tmp_path)


def _independent(root: Path, folder: str) -> int:
    """Documents of interventions/<folder> with a non-zero label in any element, without the core reader."""
    n = 0
    for ann in sorted((root / HIER / "interventions" / folder).glob("*.ann")):
        pmid = ann.name.split(".")[0]
        labelled = False
        for element in ("participants", "interventions", "outcomes"):
            f = root / HIER / element / folder / ann.name
            if f.exists() and any(x.strip() not in ("", "0") for x in f.read_text().splitlines()):
                labelled = True
        tokens = (root / "ebm_nlp_2_00/documents" / f"{pmid}.tokens").read_text().splitlines()
        assert len(tokens) == len(ann.read_text().splitlines())
        n += labelled
    return n


@pytest.mark.parametrize("split,folder,medinst", [("train", "train", 4735), ("test", "test/gold", 187)])
def test_real_counts(registry, medinst_real_data, split, folder, medinst):
    root = find_real(medinst_real_data, "ebm_nlp_2_00").parent
    require_path(root / HIER / "interventions" / folder)
    expected = _independent(root, folder)
    samples = task_samples(registry, "ebm_nlp.ner", split, root)
    assert len(samples) == expected == medinst
