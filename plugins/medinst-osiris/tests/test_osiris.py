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

PLUGIN = "medinst_osiris"
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = ("osiris.ner", "osiris.ned")


registry = plugin_registry_fixture(PLUGIN)


def test_readme_task_table_matches_the_manifests():
    assert_readme_table_current(Path(__file__).resolve().parents[1])


def test_bundled_ner(registry):
    out = sample_outputs(task_samples(registry, "osiris.ner", "train", SAMPLES, bundled=True))
    assert out == {
        "90000001": "[proopiomelanocortin <gene>] [POMC <gene>] [C8246T <variant>] [Arg16Gly <variant>] "
                    "[ADRB2 <gene>] [-1123 G/A <variant>] [putative regulator <gene>]",
        "90000002": "[interleukin 6 <gene>] [IL6 <gene>] [-174G>C <variant>] [-572 G to C <variant>]",
    }  # 90000003 has no mention: dropped


def test_bundled_ned_databases(registry):
    out = sample_outputs(task_samples(registry, "osiris.ned", "train", SAMPLES, bundled=True))
    # g_id="No" gives no link; v_id="No" falls back to v_norm (entities decoded)
    assert out["90000001"] == (
        "[proopiomelanocortin <NCBI Gene/5443>] [POMC <NCBI Gene/5443>] [C8246T <HGVS-like/8246C>T>] "
        "[Arg16Gly <dbSNP/1042713>] [ADRB2 <NCBI Gene/154>] [-1123 G/A <HGVS-like/-1123G>A>]"
    )


def test_bundled_input_is_title_space_abstract(registry):
    (first, _) = task_samples(registry, "osiris.ner", "train", SAMPLES, bundled=True)
    assert first["input"].startswith("A proopiomelanocortin variant and body weight in two cohorts. BACKGROUND: We typed")
    assert "(P < 0.05)" in first["input"]


def test_malformed_file_names_file_and_line(registry, tmp_path):
    text = (SAMPLES / "resources/OSIRIS/corpus.xml").read_text(encoding="utf-8").replace("</gene> variant", "</gen> variant", 1)
    path = write_file(tmp_path, "OSIRIS/corpus.xml", text)
    with pytest.raises(SourceError, match=r"corpus.xml:5.*malformed XML"):
        samples_of_files(registry, "osiris.ner", "train", path)


# -- the real file ------------------------------------------------------------


@pytest.fixture
def real(medinst_real_data) -> Path:
    return require_path(medinst_real_data / "OSIRIS" / "resources" / "OSIRIS" / "corpus.xml")


def outer_brackets(text: str) -> list[str]:
    """The contents of the outermost [...] groups (nested brackets stay inside)."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "[":
            depth += 1
            if depth == 1:
                start = i + 1
        elif ch == "]" and depth:
            depth -= 1
            if depth == 0:
                out.append(text[start:i])
    return out


def _independent(path: Path) -> dict[str, tuple[list[str], list[str]]]:
    """PMID -> (gene surfaces, variant surfaces), by regular expressions over the raw file."""
    out = {}
    for article in re.findall(r"<Article>(.*?)</Article>", path.read_text(encoding="utf-8"), re.S):
        pmid = re.search(r"<Pmid>(\d+)</Pmid>", article).group(1)
        genes = re.findall(r"<gene [^>]*>(.*?)</gene>", article)
        variants = re.findall(r"<variant [^>]*>(.*?)</variant>", article)
        out[pmid] = (genes, variants)
    return out


def test_real_counts(registry, real):
    docs = _independent(real)
    assert len(docs) == 105
    expected = sum(1 for g, v in docs.values() if g or v)
    for task in ("osiris.ner", "osiris.ned"):
        samples = task_samples(registry, task, "train", real.parents[2])
        assert len(samples) == expected == 105  # MedINST OSIRIS / OSIRIS-NED: 105


def test_real_mentions_match_the_tags(registry, real):
    docs = _independent(real)
    out = sample_outputs(task_samples(registry, "osiris.ner", "train", real.parents[2]))
    total = 0
    for pmid, (genes, variants) in docs.items():
        # nested brackets stay inside (a variant "codon 72 (... [Pro(72)Arg])")
        brackets = [tuple(b.rsplit(" <", 1)) for b in outer_brackets(out[pmid])]
        brackets = [(m, t.rstrip(">")) for m, t in brackets]
        total += len(brackets)
        assert sorted(t for _, t in brackets) == sorted(["gene"] * len(genes) + ["variant"] * len(variants))
        unescape = lambda s: s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()  # noqa: E731
        assert sorted(m for m, _ in brackets) == sorted(unescape(x) for x in genes + variants)
    assert total == 802 + 563


def test_real_spot_check(registry, real):
    out = sample_outputs(task_samples(registry, "osiris.ned", "train", real.parents[2]))
    assert out["12890863"].startswith(
        "[transforming growth factor beta1 <NCBI Gene/7040>] [transforming growth factor beta1 <NCBI Gene/7040>] "
        "[TGFB1 <NCBI Gene/7040>]")
    assert "[+1632 T <HGVS-like/1632T>]" in out["12890863"]
