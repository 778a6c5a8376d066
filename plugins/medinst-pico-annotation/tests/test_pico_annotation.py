from __future__ import annotations

import importlib
import json
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

PLUGIN = "medinst_pico_annotation"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
LAYERS = {"participants": "participant", "interventions": "intervention", "outcomes": "outcome"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("pico_annotation.ner",)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_outputs(registry):
    out = sample_outputs(task_samples(registry, "pico_annotation.ner", "train", SAMPLES, bundled=True))
    # the first two sentences are left out (as BigBIO's loader, which MedINST follows); 90000003:2 has one
    # expert's span only, outvoted: dropped
    assert out == {
        # two of three experts mark the participant span; an outcome overlaps it; two interventions in one sentence
        "90000002:3": "[Patients with chronic neck pain <participant>] [neck pain <outcome>] "
                      "[manual therapy <intervention>] [sham treatment <intervention>]",
        "90000002:4": "[Pain intensity <outcome>] [disability <outcome>]",
    }


def _copy(tmp_path, edit=None):
    for src in (SAMPLES / "pico-annotation").rglob("*.json"):
        data = json.loads(src.read_text())
        if edit:
            edit(src.name, data)
        dst = tmp_path / src.relative_to(SAMPLES)
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(json.dumps(data, indent=4))
    return tmp_path


def test_vector_of_the_wrong_length_is_an_error(registry, tmp_path):
    def edit(name, data):
        if name == "outcomes_expert.json":
            data["90000002:4"]["annotations"][1].append(0)
    folder = _copy(tmp_path, edit)
    with pytest.raises(SourceError, match=r"outcomes_expert.json.*'90000002:4': a label vector of 11 for 10 tokens"):
        task_samples(registry, "pico_annotation.ner", "train", folder)


def test_unknown_label_is_an_error(registry, tmp_path):
    def edit(name, data):
        if name == "participants_expert.json":
            for vec in data["90000002:3"]["annotations"]:
                vec[0] = 2
    folder = _copy(tmp_path, edit)
    with pytest.raises(SourceError, match=r"participants_expert.json.*unknown label '2' of layer 'participants'"):
        task_samples(registry, "pico_annotation.ner", "train", folder)


# -- the real files -----------------------------------------------------------


def _independent(data: Path) -> dict[str, list[tuple[str, str]]]:
    """sentence id -> [(span text, type)], majority of the three experts, without the core reader."""
    sentences = json.loads((data / "sentences.json").read_text(encoding="utf-8"))
    layers = {layer: json.loads((data / "annotations" / f"{layer}_expert.json").read_text()) for layer in LAYERS}
    out = {}
    for sid, text in sentences.items():
        words = text.split()
        spans = []
        for layer, etype in LAYERS.items():
            vectors = layers[layer][sid]["annotations"]
            marked = [sum(v[i] for v in vectors) >= 2 for i in range(len(words))]
            i = 0
            while i < len(words):
                if marked[i]:
                    j = i
                    while j < len(words) and marked[j]:
                        j += 1
                    spans.append((i, j, etype, " ".join(words[i:j])))
                    i = j
                else:
                    i += 1
        out[sid] = [(t, e) for _, _, e, t in sorted(spans)]
    return out


def test_real_count_and_spans(registry, medinst_real_data):
    data = require_path(medinst_real_data / "PICO-Annotation" / "data")
    expected = _independent(data)
    samples = task_samples(registry, "pico_annotation.ner", "train", data.parent)
    kept = [sid for sid in list(expected)[2:] if expected[sid]]
    assert len(samples) == len(kept) == 361  # MedINST PICO-Annotation: 361
    out = sample_outputs(samples)
    assert list(out) == kept
    for sid in kept:
        assert out[sid] == " ".join(f"[{t} <{e}>]" for t, e in expected[sid])


def test_real_spot_check(registry, medinst_real_data):
    data = require_path(medinst_real_data / "PICO-Annotation" / "data")
    out = sample_outputs(task_samples(registry, "pico_annotation.ner", "train", data.parent))
    sid = next(k for k, v in out.items() if "physiotherapy service" in v)
    assert out[sid] == "[physiotherapy service <intervention>] [admission rates to hospital <outcome>]"
