"""Tests of the BioRelEx plugin: conformance, the bundled samples of the four tasks, and the biorelex_json
reader (grounding ids, interactions of every label, mentions, errors). No copy of the real files was
available."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest
from medinst_biorelex.reader import _db_name, _link_id, read_biorelex

from medinst_core.plugin_api import Diagnostics, FileIndex, ManifestError, SourceError
from medinst_core.testing import TaskConformance, plugin_registry_fixture, sample_outputs, task_samples

PLUGIN = "medinst_biorelex"
TASKS = ("biorelex.ner", "biorelex.re", "biorelex.ned", "biorelex.coref")
SAMPLES = Path(importlib.import_module(PLUGIN).__file__).parent / "samples"


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


registry = plugin_registry_fixture(PLUGIN)

BUNDLED = {
    ("biorelex.ner", "train"): {
        "1.0alpha7.train.0": "[Ras <protein>] [Raf-1 <protein>] [c-Raf <protein>] [plasma membrane <organelle>] "
                             "[Ras <protein>] [PI3Kγ <protein-family>]",
        "1.0alpha7.train.1": "[ATP <chemical>] [kinase domain <protein-domain>] [EGFR <protein>] [FLAG <experiment-tag>]",
    },  # 1.0alpha7.train.2 has no entity
    ("biorelex.re", "train"): {
        # every pair of mentions of the two participants; the negative interaction (label -1) is kept
        "1.0alpha7.train.0": "[<Ras> <bind> <Raf-1>] [<Ras> <bind> <c-Raf>] [<Ras> <bind> <PI3Kγ>]",
        "1.0alpha7.train.1": "[<ATP> <bind> <kinase domain>]",
    },
    ("biorelex.re", "dev"): {
        "1.0alpha7.dev.0": "[<Calmodulin> <bind> <Ca2+>] [<Calmodulin> <bind> <enzyme>] [<CaM> <bind> <Ca2+>] "
                           "[<CaM> <bind> <enzyme>]",
    },
    ("biorelex.ned", "train"): {
        "1.0alpha7.train.0": "[Ras <NCBI gene/3265>] [Ras <hgnc/HRAS>] [Ras <uniprot/P01112>] [Raf-1 <NCBI gene/5894>] "
                             "[Raf-1 <hgnc/RAF1>] [c-Raf <NCBI gene/5894>] [c-Raf <hgnc/RAF1>] [Ras <NCBI gene/3265>] "
                             "[Ras <hgnc/HRAS>] [Ras <uniprot/P01112>] [PI3Kγ <interpro/IPR000403>]",
        "1.0alpha7.train.1": "[ATP <pubchem:compound/5957>] [kinase domain <pfam/PF07714>] [EGFR <NCBI gene/1956>] "
                             "[EGFR <hgnc/EGFR>] [EGFR <uniprot/P00533>]",
    },
    ("biorelex.coref", "train"): {
        "1.0alpha7.train.0:1.0alpha7.train.0.ent0_0": "[Ras]",   # one name mentioned twice
        "1.0alpha7.train.0:1.0alpha7.train.0.ent1_0": "[c-Raf]",  # a name and its synonym
    },
    ("biorelex.coref", "dev"): {"1.0alpha7.dev.0:1.0alpha7.dev.0.ent0_0": "[CaM] [CaM]"},
}


@pytest.mark.parametrize("task_split", sorted(BUNDLED))
def test_bundled_samples(registry, task_split):
    task_id, split = task_split
    assert sample_outputs(task_samples(registry, task_id, split, SAMPLES, bundled=True)) == BUNDLED[task_split]


@pytest.mark.parametrize("link, source, db_name, db_id", [
    ("https://www.uniprot.org/uniprot/P01112", "uniprot", "uniprot", "P01112"),
    ("https://pfam.xfam.org/family/PF07714?tab=x", "pfam", "pfam", "PF07714"),
    ("https://www.genome.jp/kegg-bin/show_pathway?map=ko04120",
     "https://www.genome.jp/kegg-bin/show_pathway?map=ko04120", "kegg", "ko04120"),
    ("https://enzyme.expasy.org/EC/2.5.1.18", "https://enzyme.expasy.org/EC/2.5.1.18", "intenz", "2.5.1.18"),
    ("http://www.chemspider.com/Chemical-Structure.7995676.html",
     "http://www.chemspider.com/Chemical-Structure.7995676.html", "chemspider", "7995676"),
    ("https://www.drugbank.ca/drugs/DB00001", "DrugBank", "DrugBank", "DB00001"),
])
def test_grounding_links(link, source, db_name, db_id):
    assert (_db_name(source), _link_id(link)) == (db_name, db_id)


def _read(tmp_path, sentences, options=None, diagnostics=None):
    path = tmp_path / "1.0alpha7.train.json"
    path.write_text(json.dumps(sentences, indent=1), encoding="utf-8")
    files = FileIndex(tmp_path).resolve({"data": [path.name]}, what="test")
    return path, list(read_biorelex(files, options or {}, diagnostics if diagnostics is not None else Diagnostics()))


def _sentence(**changes):
    base = {"id": "s0", "paperid": "1", "text": "A binds B.", "url": "", "_line_": 1,
            "entities": [{"label": "protein", "names": {"A": {"is_mentioned": True, "mentions": [[0, 1]]}},
                          "grounding": None, "is_state": False, "is_mentioned": True, "is_mutant": False},
                         {"label": "protein", "names": {"B": {"is_mentioned": True, "mentions": [[8, 9]]}},
                          "grounding": {"entrez_gene": "NA", "hgnc_symbol": "NA", "source": "NCBI gene",
                                        "link": "https://www.ncbi.nlm.nih.gov/gene/7", "comment": "", "organism": ""},
                          "is_state": False, "is_mentioned": True, "is_mutant": False}],
            "interactions": [{"participants": [0, 1], "type": "bind", "implicit": False, "label": 1}]}
    base.update(changes)
    return base


def test_record(tmp_path):
    _, [record] = _read(tmp_path, [_sentence()])
    assert (record.id, record.document_id, record.text) == ("s0", "1", "A binds B.")
    assert [(e.id, e.text, e.offsets, e.normalized) for e in record.entities] == [
        ("s0.ent0_0", ("A",), ((0, 1),), ()), ("s0.ent1_0", ("B",), ((8, 9),), ())]  # NA ids, NCBI gene source
    assert [(r.arg1_id, r.arg2_id, r.type) for r in record.relations] == [("s0.ent0_0", "s0.ent1_0", "bind")]
    assert [c.entity_ids for c in record.coreferences] == [("s0.ent0_0",), ("s0.ent1_0",)]


def test_offset_mismatch_and_option(tmp_path):
    bad = _sentence(text="A binds C.")
    with pytest.raises(SourceError, match=r"1.0alpha7.train.json:2: sentence s0: entity 1 is named 'B' but the text"):
        _read(tmp_path, [bad])
    diagnostics = Diagnostics()
    _, [record] = _read(tmp_path, [bad], {"offset_check": "warn"}, diagnostics)
    assert diagnostics.counts["offset_mismatch"] == 1 and record.entities[1].text == ("B",)
    with pytest.raises(ManifestError, match="offset_check"):
        _read(tmp_path, [bad], {"offset_check": "ignore"})


@pytest.mark.parametrize("change, message", [
    ({"text": None}, "expected a 'text' entry"),
    ({"interactions": [{"participants": [0, 5], "type": "bind"}]}, "expected two entity indexes below 2"),
    ({"entities": [{"label": "protein", "names": {"A": {"mentions": [[0]]}}}]}, "expected a mention [start, end]"),
])
def test_errors_name_file_and_line(tmp_path, change, message):
    with pytest.raises(SourceError, match=re.escape(message)) as info:
        _read(tmp_path, [_sentence(id="ok"), _sentence(**change)])
    assert re.match(r".*1\.0alpha7\.train\.json:\d+: ", str(info.value))
    assert ":2:" not in str(info.value)  # the second sentence's line, not the first's


def test_release_file_names_only(registry, tmp_path):
    """The release assets are named 1.0alpha7.<split>.json (a renamed copy biorelex.<split>.json is found too);
    another corpus's <name>.train.json in the same data folder is not taken for BioRelEx."""
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "scitail.train.json").write_text("[]", encoding="utf-8")
    (tmp_path / "biorelex.train.json").write_bytes((SAMPLES / "1.0alpha7.train.json").read_bytes())
    samples = task_samples(registry, "biorelex.re", "train", tmp_path)
    assert sample_outputs(samples) == BUNDLED[("biorelex.re", "train")]
