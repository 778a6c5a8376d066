from __future__ import annotations

import importlib
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
    write_file,
)

PLUGIN = "medinst_linnaeus"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("linnaeus.ner", "linnaeus.ned")


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])

HEADER = "#species id\tdocument\tstart\tend\ttext\tcode\n"


def test_bundled_ned(registry):
    out = sample_outputs(task_samples(registry, "linnaeus.ned", "train", SAMPLES, bundled=True))
    # pmcA9000002 has no line in tags.tsv and gives no sample; offsets count characters (Café before them)
    assert out == {
        "pmcA9000001": "[humans <ncbi/9606>] [human <ncbi/9606>] [mice <ncbi/10090>] "
                       "[Escherichia coli <ncbi/562>] [E. coli <ncbi/562>]",
        "pmcA9000003": "[Saccharomyces cerevisiae <ncbi/4932>] [fission yeast <ncbi/4896>] "
                       "[Baker's yeast <ncbi/4932>] [Baker's yeast <ncbi/4896>]",
    }


def test_bundled_input_is_the_whole_article(registry):
    [first, _] = task_samples(registry, "linnaeus.ned", "train", SAMPLES, bundled=True)
    text = (SAMPLES / "manual-corpus-species-1.0/txt/pmcA9000001.txt").read_text(encoding="utf-8")
    assert first["input"] == text


def test_bundled_bio(registry):
    out = sample_outputs(task_samples(registry, "linnaeus.ner", "train", SAMPLES, bundled=True))
    assert out["0"] == "Larvae [O] of [O] Drosophila [B] melanogaster [I] were [O] fed [O] yeast [B] . [O]"
    assert out["1"] == "Methods [O]"


def release(tmp_path, tags: str, docs: dict[str, str]) -> Path:
    for name, text in docs.items():
        write_file(tmp_path, f"manual-corpus-species-1.0/txt/{name}.txt", text)
    write_file(tmp_path, "manual-corpus-species-1.0/tags.tsv", HEADER + tags)
    return tmp_path


@pytest.mark.parametrize(
    "tags, fragment",
    [
        ("species:ncbi:9606\tpmcA1\t0\t3\tman\t\n", "'man' at 0-3, but pmcA1.txt has 'Man' there"),
        ("species:ncbi:9606\tpmcA2\t0\t3\tMan\t\n", "document 'pmcA2' has no text file"),
        ("species:ncbi:9606\tpmcA1\t0\t3\tMan\n", "expected 6 tab-separated fields"),
        ("ncbi:9606\tpmcA1\t0\t3\tMan\t\n", "not of the form type:database:id"),
        ("species:ncbi:9606\tpmcA1\t3\t0\tMan\t\n", "do not make a span"),
    ],
)
def test_bad_tags_lines_name_file_and_line(registry, tmp_path, tags, fragment):
    release(tmp_path, tags, {"pmcA1": "Man and mouse."})
    with pytest.raises(SourceError) as err:
        task_samples(registry, "linnaeus.ned", "train", tmp_path)
    assert fragment in str(err.value) and "tags.tsv" in str(err.value) and err.value.line == 2


def test_code_column_and_lf_crlf_texts(registry, tmp_path):
    """Offsets are characters of the file as written (a CRLF text keeps its CR); the code is kept."""
    release(tmp_path, "species:ncbi:10090\tpmcA1\t11\t16\tmouse\tmisspelling\n", {"pmcA1": "Man\r\nand \r\nmouse."})
    diag = Diagnostics()
    [sample] = task_samples(registry, "linnaeus.ned", "train", tmp_path, diagnostics=diag)
    assert sample["output"] == "[mouse <ncbi/10090>]" and not diag.counts


def iob_count(path: Path) -> int:
    return sum(1 for block in path.read_text(encoding="utf-8").split("\n\n") if block.strip())


def test_real_iob_files(registry, medinst_real_data):
    folder = require_path(medinst_real_data / "IOB" / "linnaeus-IOB")
    for split, name, count in (("train", "train.tsv", 11935), ("dev", "devel.tsv", 4078)):
        assert iob_count(folder / name) == count  # MedINST: 12,004 / 4,086 (see the manifest's note)
        samples = task_samples(registry, "linnaeus.ner", split, medinst_real_data)
        assert len(samples) == count
        words = [line.split("\t")[0] for line in (folder / name).read_text().split("\n\n")[0].splitlines()]
        assert samples[0]["input"] == " ".join(words)
