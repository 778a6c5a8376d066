from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    assert_readme_table_current,
    plugin_registry_fixture,
    require_path,
    sample_outputs,
    task_samples,
)

PLUGIN = "medinst_jnlpba"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"
TASKS = {"jnlpba.dna": "DNA", "jnlpba.rna": "RNA", "jnlpba.cell_type": "cell_type", "jnlpba.cell_line": "cell_line"}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = tuple(TASKS)


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_each_task_keeps_its_type_only(registry):
    out = {t: sample_outputs(task_samples(registry, t, "train", SAMPLES, bundled=True)) for t in TASKS}
    assert out == {
        "jnlpba.dna": {"0": "[NF-kappa B site <DNA>]"},
        "jnlpba.rna": {"1": "[IL-2 mRNA <RNA>]"},
        "jnlpba.cell_type": {"1": "[peripheral blood T cells <cell_type>]"},
        "jnlpba.cell_line": {"0": "[Jurkat T cells <cell_line>]"},
    }


def test_bundled_adjacent_mentions_of_one_type(registry):
    # B-DNA after I-DNA starts a second mention
    out = sample_outputs(task_samples(registry, "jnlpba.dna", "test", SAMPLES, bundled=True))
    assert out == {"0": "[HIV-1 LTR <DNA>] [promoter <DNA>]"}


def test_bundled_docstart_lines_are_not_sentences(registry):
    """The collection's JNLPBA files start every abstract with a '-DOCSTART-<TAB>O' line; it is no sentence."""
    samples = task_samples(registry, "jnlpba.dna", "dev", SAMPLES, bundled=True)
    assert [s["input"] for s in samples] == ["Monocytes express c-fos and c-fos mRNA ."]
    assert "-DOCSTART-" in (SAMPLES / "JNLPBA" / "devel.tsv").read_text()


def sentences_with(path: Path, etype: str) -> list[list[str]]:
    """The sentences holding a B-<etype> tag, read without the reader."""
    found = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        rows = [line.split("\t") for line in block.splitlines() if line.strip() and not line.startswith("-DOCSTART-")]
        if any(tag == f"B-{etype}" for _, tag in rows):
            found.append(rows)
    return found


@pytest.mark.parametrize("task, count", [("jnlpba.dna", 552), ("jnlpba.rna", 89), ("jnlpba.cell_type", 420),
                                         ("jnlpba.cell_line", 284)])
def test_real_devel_file(registry, medinst_real_data, task, count):
    path = require_path(medinst_real_data / "IOB" / "JNLPBA" / "devel.tsv")
    expected = sentences_with(path, TASKS[task])
    assert len(expected) == count  # MedINST's dev count
    text = path.read_text(encoding="utf-8")
    blocks = [b for b in text.split("\n\n") if b.strip()]
    assert text.count("-DOCSTART-") == 200 and len(blocks) - 200 == 1739  # abstracts and sentences
    samples = task_samples(registry, task, "dev", medinst_real_data)
    assert len(samples) == count
    # spot check: the mentions of the first sentence, rebuilt from its tags
    rows, mentions, current = expected[0], [], []
    for token, tag in rows + [("", "O")]:
        if tag == f"I-{TASKS[task]}":
            current.append(token)
            continue
        if current:
            mentions.append(f"[{' '.join(current)} <{TASKS[task]}>]")
        current = [token] if tag == f"B-{TASKS[task]}" else []
    assert samples[0]["output"] == " ".join(mentions)
    assert samples[0]["input"] == " ".join(t for t, _ in rows)
