"""Tests of the BioNLP-ST 2011 ID plugin: conformance, the bundled samples, and the real
training files (counts against MedINST's, every sample against the annotation
lines, which the test reads on its own)."""

from __future__ import annotations

from pathlib import Path

import pytest

from medinst_core.testing import (
    TaskConformance,
    add_macos_companions,
    assert_split_builds,
    plugin_registry_fixture,
    write_file,
)
from medinst_core.testing.brat import SharedTaskChecks, textbound

PLUGIN = "medinst_bionlp_st_2011_id"
TASKS = ('bionlp_st_2011_id.ner', 'bionlp_st_2011_id.ee', 'bionlp_st_2011_id.coref')
REAL = "BioNLP-ST-2011-ID"  # folder of the real files under the real-data directory
GOLD = ".a2"  # the annotation file holding events/relations/coreference next to .a1

# bundled samples: the key and exact output of every sample each task split gives (checked by hand)
BUNDLED = {
    'bionlp_st_2011_id.ner:train': {
        'PMC9000201-00-TIAB': '[PhoP/PhoQ <Two-component-system>] [Salmonella <Organism>] [PhoP <Protein>] [mgtCB operon <Regulon-operon>] [magnesium <Chemical>] [S. Typhimurium <Organism>] [Salmonella enterica <Organism>] [PhoP <Protein>]',
    },
    'bionlp_st_2011_id.ner:dev': {
        'PMC9000211-00-TIAB': '[RpoS <Protein>] [sigma S <Protein>] [Legionella <Organism>] [RpoS <Protein>]',
    },
    'bionlp_st_2011_id.ner:test': {
        'PMC9000221-00-TIAB': '[Efflux pump AcrB <Protein>] [Escherichia coli <Organism>] [AcrB <Protein>] [ciprofloxacin <Chemical>]',
    },
    'bionlp_st_2011_id.ee:train': {
        'PMC9000201-00-TIAB': '[<Binding> <binds> <PhoP>] [<Binding> <binds> <mgtCB operon>] [<Gene_expression> <expression> <mgtCB operon>]',
    },
    'bionlp_st_2011_id.ee:dev': {
        'PMC9000211-00-TIAB': '[<Gene_expression> <Expression> <RpoS>]',
    },
    'bionlp_st_2011_id.coref:train': {
        'PMC9000201-00-TIAB:T6': '[Salmonella enterica]',
    },
    'bionlp_st_2011_id.coref:dev': {
        'PMC9000211-00-TIAB:T1': '[sigma S]',
    },
}
# training samples our build makes from the real files, per task
REAL_TRAIN = {
    'ner': 151,
    'ee': 110,
    'coref': 169,
}


class TestConformance(TaskConformance):
    plugin = PLUGIN
    tasks = TASKS


class TestSharedTask(SharedTaskChecks):
    plugin = PLUGIN
    tasks = TASKS
    real_train = f"{REAL}/original-data/train"
    gold = GOLD
    real_counts = REAL_TRAIN
    bundled = BUNDLED


registry = plugin_registry_fixture(PLUGIN)


# -- the development and test archives, as distributed (hand-written files) ----
#
# The bundled samples cover the openbiocorpora devel folder and the official test folder; these
# tests read every dev/test split from the official archives' folders and from a GitHub download
# of the openbiocorpora repository. The development files have what the ID task's gold files
# have: the five given entity types, an argument-less Process event written with a trailing
# space, another with a trailing tab, Theme1/Theme2 roles, an Equiv chain and an 'Equiv T5 T5'
# that names one mention twice (no sample). The test folder has .a1 files only, one of them empty.

DEV = "BioNLP-ST_2011_Infectious_Diseases_development_data_rev1"
TEST = "BioNLP-ST_2011_Infectious_Diseases_test_data"
LAYOUTS = {
    "official": {"devel": f"downloads/{DEV}", "test": f"downloads/{TEST}"},
    "openbiocorpora": {"devel": "bionlp-st-2011-id-master/original-data/devel",
                       "test": "bionlp-st-2011-id-master/original-data/test"},
}
DEV_DOC = "PMC9200111-02-Results_and_Discussion-01"
DEV_TEXT = ("Salmonella enterica (S. enterica) uses the PhoP/PhoQ system that binds magnesium.\n"
            "PhoP is required for virulence, and growth proceeds.\n")
TEST_TEXT = "The rpoS regulon of Vibrio cholerae responds to iron.\n"


def _distribution(root: Path, folders: dict[str, str]) -> None:
    dev, test = (root / folders[k] for k in ("devel", "test"))
    write_file(dev, f"{DEV_DOC}.txt", DEV_TEXT)
    write_file(dev, f"{DEV_DOC}.a1", "".join([
        textbound(DEV_TEXT, "T1", "Organism", "Salmonella enterica"), textbound(DEV_TEXT, "T2", "Organism", "S. enterica"),
        textbound(DEV_TEXT, "T3", "Two-component-system", "PhoP/PhoQ"), textbound(DEV_TEXT, "T4", "Chemical", "magnesium"),
        textbound(DEV_TEXT, "T5", "Protein", "PhoP", "\n")]))
    write_file(dev, f"{DEV_DOC}.a2", "".join([
        textbound(DEV_TEXT, "T6", "Process", "virulence"), textbound(DEV_TEXT, "T7", "Positive_regulation", "required"),
        textbound(DEV_TEXT, "T8", "Binding", "binds"), textbound(DEV_TEXT, "T9", "Process", "growth"),
        "E1\tProcess:T6 \n", "E2\tPositive_regulation:T7 Theme:E1 Cause:T5\n",
        "E3\tBinding:T8 Theme1:T3 Theme2:T4\n", "E4\tProcess:T9\t\n",
        "*\tEquiv T1 T2\n", "*\tEquiv T5 T5\n"]))
    write_file(test, "PMC9200121-00-TIAB.txt", TEST_TEXT)
    write_file(test, "PMC9200121-00-TIAB.a1", textbound(TEST_TEXT, "T1", "Regulon-operon", "rpoS regulon")
           + textbound(TEST_TEXT, "T2", "Organism", "Vibrio cholerae") + textbound(TEST_TEXT, "T3", "Chemical", "iron"))
    write_file(test, "PMC9200121-03-Methods-01.txt", "Strains were grown overnight.\n")
    write_file(test, "PMC9200121-03-Methods-01.a1", "")
    for folder in (dev, test):
        write_file(folder, "README", "Data for the shared task.\n")


# task split -> (documents read, input, {sample key: output})
DISTRIBUTED = {
    ("bionlp_st_2011_id.ner", "dev"): (1, DEV_TEXT, {
        DEV_DOC: "[Salmonella enterica <Organism>] [S. enterica <Organism>] [PhoP/PhoQ <Two-component-system>] "
                 "[magnesium <Chemical>] [PhoP <Protein>]"}),
    ("bionlp_st_2011_id.ner", "test"): (2, TEST_TEXT, {
        "PMC9200121-00-TIAB": "[rpoS regulon <Regulon-operon>] [Vibrio cholerae <Organism>] [iron <Chemical>]"}),
    ("bionlp_st_2011_id.ee", "dev"): (1, DEV_TEXT, {
        DEV_DOC: "[<Binding> <binds> <PhoP/PhoQ>] [<Binding> <binds> <magnesium>]"}),
    ("bionlp_st_2011_id.coref", "dev"): (1, DEV_TEXT + "\nEntity: Salmonella enterica", {
        f"{DEV_DOC}:T1": "[S. enterica]"}),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
@pytest.mark.parametrize("task_split", sorted(DISTRIBUTED), ids=":".join)
def test_distributed_dev_and_test_layouts(registry, tmp_path, layout, task_split):
    _distribution(tmp_path, LAYOUTS[layout])
    records, text, outputs = DISTRIBUTED[task_split]
    assert_split_builds(registry, *task_split, tmp_path, records=records, outputs=outputs, inputs=[text])


def test_macos_companion_files_are_skipped(registry, tmp_path):
    # an archive re-packed on macOS carries a binary ._<name> companion beside every file, and
    # again under __MACOSX/; none of them is a document
    folders = LAYOUTS["official"]
    _distribution(tmp_path, folders)
    add_macos_companions(tmp_path)
    for (task_id, split), (records, _text, outputs) in DISTRIBUTED.items():
        assert_split_builds(registry, task_id, split, tmp_path, records=records, outputs=outputs)
